/**
 * A person's sync sockets, cut and restored at will while the rest of the network stays up
 * (Playwright routes them): a Wi-Fi that half came back, a captive portal, a proxy that
 * drops WebSockets. Pages and the API still load; only the board's socket cannot get through.
 */
import type { Browser, WebSocketRoute } from 'playwright-core'
import { launchBrowser, openAs, type Person } from './browser.ts'
import { type BoardServer, startBoardServer } from './browser-server.ts'

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

/** A facilitator who stays online and a participant whose sync line can be cut, on one fresh board. */
export interface OfflineScene {
  env: BoardServer
  browser: Browser
  facilitator: Person
  participant: Person
  line: SyncLine
  stop(): Promise<void>
}

/** Opens the board as Fien (facilitator) and Anna (participant, her sync sockets routed). */
export async function startOfflineScene(): Promise<OfflineScene> {
  const env = await startBoardServer()
  const browser = await launchBrowser()
  try {
    const facilitator = await openAs(browser, env.board.links.facilitator, 'Fien')
    let line: SyncLine | undefined
    const participant = await openAs(browser, env.board.links.participant, 'Anna', {
      beforeOpen: async (person) => {
        line = await routeSyncSockets(person)
      },
    })
    if (!line) throw new Error('the sync line was not routed')
    return {
      env,
      browser,
      facilitator,
      participant,
      line,
      async stop() {
        await browser.close()
        await env.server.stop()
      },
    }
  } catch (error) {
    await browser.close()
    await env.server.stop()
    throw error
  }
}
