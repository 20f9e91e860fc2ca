/**
 * Opens a sync socket the way a browser would, with an `Origin` header, and reports how the
 * server answered: the refusal's status and body (its reason), or an open socket to close.
 * The raw client sends no Origin, like any program; this is for the tests of the edge.
 */
import WebSocket from 'ws'
import { withTimeout } from './wait.ts'

export interface UpgradeAnswer {
  /** HTTP status of a refusal, or null when the socket opened. */
  status: number | null
  /** The refusal's body: its reason (`shared/upgrade.ts`). */
  body: string
  /** The open socket (status null), for the caller to close. */
  socket: WebSocket | null
}

export function upgradeWithOrigin(url: string, origin?: string, timeoutMs = 5_000): Promise<UpgradeAnswer> {
  const socket = new WebSocket(url, origin === undefined ? {} : { origin })
  socket.on('error', () => {})
  const answer = new Promise<UpgradeAnswer>((resolve) => {
    socket.once('unexpected-response', (request, response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => {
        request.destroy()
        resolve({ status: response.statusCode ?? 0, body, socket: null })
      })
    })
    socket.once('open', () => resolve({ status: null, body: '', socket }))
  })
  return withTimeout(answer, timeoutMs, `an answer to the upgrade of ${url}`)
}
