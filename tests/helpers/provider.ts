/**
 * A real y-websocket client: `WebsocketProvider` over the `ws` package, as an integrator
 * would write it. BroadcastChannel is off so that two providers in this process can only
 * reach each other through the server.
 */
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { SYNC_PATH_PREFIX } from '../../shared/protocol.ts'
import { CLIENT_PARAM, TOKEN_PARAM } from '../../shared/routes.ts'
import { browserSecretOf } from './raw-client.ts'
import { withTimeout } from './wait.ts'

export interface ProviderClient {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Close codes the server closed this provider's sockets with, in order. */
  closeCodes: number[]
  /** Disconnects and frees the provider. */
  destroy(): void
}

export async function connectProvider(
  wsUrl: string,
  boardId: string,
  token: string,
  {
    doc = new Y.Doc(),
    timeoutMs = 5_000,
    secret = browserSecretOf(doc),
  }: {
    doc?: Y.Doc
    timeoutMs?: number
    /** The browser secret to present; default: that of this doc's simulated browser. */
    secret?: string
  } = {},
): Promise<ProviderClient> {
  const serverUrl = `${wsUrl}${SYNC_PATH_PREFIX.replace(/\/$/, '')}`
  const provider = new WebsocketProvider(serverUrl, boardId, doc, {
    params: { [TOKEN_PARAM]: token, [CLIENT_PARAM]: secret },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    maxBackoffTime: 500,
  })
  const closeCodes: number[] = []
  provider.on('connection-close', (event) => {
    if (event) closeCodes.push(event.code)
  })
  const client: ProviderClient = {
    doc,
    provider,
    closeCodes,
    destroy: () => provider.destroy(),
  }
  try {
    await withTimeout(
      new Promise<void>((resolve) => {
        if (provider.synced) return resolve()
        const onSync = (synced: boolean) => {
          if (!synced) return
          provider.off('sync', onSync)
          resolve()
        }
        provider.on('sync', onSync)
      }),
      timeoutMs,
      'the provider to sync',
    )
  } catch (error) {
    provider.destroy()
    throw error
  }
  return client
}
