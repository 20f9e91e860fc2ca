/**
 * A person's sync sockets, cut and restored at will while the rest of the network stays up
 * (Playwright routes them): a Wi-Fi that half came back, a captive portal, a proxy that
 * drops WebSockets. Pages and the API still load; only the board's socket cannot get through.
 */
import type { WebSocketRoute } from 'playwright-core'
import type { Person } from './browser.ts'

/** Every sync socket of a person goes through this: `cut()` drops them and refuses new ones. */
export interface SyncLine {
  cut(): Promise<void>
  restore(): void
}

/** Routes `person`'s sync sockets; call it before the page opens (`openAs`'s `beforeOpen`). */
export async function routeSyncSockets(person: Pick<Person, 'context'>): Promise<SyncLine> {
  let up = true
  const open = new Set<WebSocketRoute>()
  await person.context.routeWebSocket(/\/sync\//, (ws) => {
    if (!up) {
      void ws.close({ code: 1001, reason: 'network gone' })
      return
    }
    // No handlers: frames pass through both ways unchanged.
    ws.connectToServer()
    open.add(ws)
    ws.onClose(() => open.delete(ws))
  })
  return {
    async cut() {
      up = false
      for (const ws of [...open]) await ws.close({ code: 1001, reason: 'network gone' })
    },
    restore() {
      up = true
    },
  }
}
