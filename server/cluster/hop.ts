/**
 * Any process accepts any link: a sync socket or an API call that needs a board's room,
 * landing on a process that does not own the board, goes to the owner over an internal hop
 * (the owner's address is registered with its lease). The hop carries the client's URL as
 * is — token and browser secret included — so the owner checks them itself; the hop header
 * (`CLUSTER_HOP_HEADER` with `STIP_CLUSTER_SECRET`) only says it came through a peer, so
 * the owner never forwards it again.
 *
 * A socket's hop is made after the client's upgrade: its frames wait meanwhile. When the
 * owner cannot be reached (it died and its lease has not expired yet), the process asks
 * again every `RETRY_MS` — taking the lease itself once it is free and serving the socket
 * here — for up to two leases' time, then tells the client to reconnect (`Handover`).
 */
import type { IncomingMessage } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import WebSocket, { type RawData } from 'ws'
import { ApiErrorCode } from '../../shared/api.ts'
import { CloseCode, closeCodeName, MAX_FRAME_BYTES } from '../../shared/protocol.ts'
import { CLUSTER_HOP_HEADER } from '../../shared/routes.ts'
import { sameSecret } from '../http/edge.ts'
import { sendError } from '../http/errors.ts'
import type { Logger } from '../log.ts'

/** How often a socket waiting for an unreachable owner asks again. */
const RETRY_MS = 100

/** Whether a request or upgrade came from a peer with the cluster's secret; null: not a hop at all. */
export function hopOf(headers: IncomingMessage['headers'], secret: string | undefined): 'valid' | 'invalid' | null {
  const value = headers[CLUSTER_HOP_HEADER]
  if (value === undefined) return null
  return secret !== undefined && typeof value === 'string' && sameSecret(value, secret) ? 'valid' : 'invalid'
}

/** What a waiting socket learns when it asks who owns the board now. */
export type Route = { mine: true } | { mine: false; address: string }

export interface ForwardOptions {
  /** The client's path and query (`/sync/<board>?token=…&client=…`), sent to the owner as is. */
  path: string
  secret: string
  /** Asks who owns the board now (taking the lease if it is free). */
  route(): Route
  /** Serves the socket here after all (the lease became this process's), with the frames that waited. */
  serveHere(frames: RawData[]): void
  /** Give up after this long without an owner. */
  giveUpMs: number
  log: Logger
  /** Counted while the hop is open. */
  onOpen(): void
  onClose(): void
}

/** Pipes a client's socket to the board's owner at `address`. */
export function forwardSocket(client: WebSocket, address: string, options: ForwardOptions): void {
  const { path, secret, log } = options
  const waiting: RawData[] = []
  const deadline = Date.now() + options.giveUpMs
  let hop: WebSocket | null = null
  let opened = false
  let done = false

  const onClientMessage = (data: RawData, isBinary: boolean) => {
    if (!isBinary) return closeClient(CloseCode.MalformedMessage)
    if (opened && hop?.readyState === WebSocket.OPEN) hop.send(data, { binary: true })
    else waiting.push(data)
  }
  client.on('message', onClientMessage)
  client.on('close', () => {
    done = true
    hop?.close()
  })

  const closeClient = (code: number) => {
    done = true
    if (client.readyState === WebSocket.OPEN) client.close(code, closeCodeName(code))
  }

  const retry = () => {
    if (done) return
    if (Date.now() >= deadline) return closeClient(CloseCode.Handover)
    setTimeout(() => {
      if (done) return
      let route: Route
      try {
        route = options.route()
      } catch (error) {
        log.warn('hop: cannot read the lease', { error: String(error) })
        return retry()
      }
      if (route.mine) {
        done = true
        client.off('message', onClientMessage)
        options.serveHere(waiting.splice(0))
      } else attempt(route.address)
    }, RETRY_MS).unref()
  }

  const attempt = (to: string) => {
    const url = `${to.replace(/^http/, 'ws')}${path}`
    const socket = new WebSocket(url, { headers: { [CLUSTER_HOP_HEADER]: secret }, maxPayload: MAX_FRAME_BYTES })
    hop = socket
    socket.on('open', () => {
      if (done) return socket.close()
      opened = true
      options.onOpen()
      for (const frame of waiting.splice(0)) socket.send(frame, { binary: true })
    })
    socket.on('message', (data) => {
      if (client.readyState === WebSocket.OPEN) client.send(data, { binary: true })
    })
    socket.on('unexpected-response', (_request, response) => {
      // The owner refused the upgrade: its word on the token is final; anything else is a move.
      const status = response.statusCode ?? 0
      response.resume()
      socket.terminate()
      if (status === 401 || status === 403) closeClient(CloseCode.Unauthorized)
      else if (status === 404) closeClient(CloseCode.BoardNotFound)
    })
    socket.on('error', () => {}) // followed by close
    socket.on('close', (code) => {
      if (hop !== socket) return
      if (opened) {
        options.onClose()
        // The owner's own close code goes to the client; a dropped hop means the owner went.
        closeClient(code >= 4000 && code < 5000 ? code : CloseCode.Handover)
      } else retry()
    })
  }

  attempt(address)
}

/**
 * Forwards an API call to the board's owner and relays its answer. Bodies are JSON (the
 * server parses every body as JSON), so the parsed body is sent again as JSON.
 */
export async function forwardRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  address: string,
  secret: string,
): Promise<FastifyReply> {
  const headers: Record<string, string> = { [CLUSTER_HOP_HEADER]: secret }
  for (const name of ['authorization', 'content-type', 'accept', 'x-forwarded-proto', 'x-forwarded-for']) {
    const value = request.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  if (request.headers.host) headers['x-forwarded-host'] = request.headers.host
  let response: Response
  try {
    response = await fetch(`${address}${request.url}`, {
      method: request.method,
      headers,
      body: request.body === undefined || request.body === null ? undefined : JSON.stringify(request.body),
    })
  } catch {
    return sendError(reply, 503, ApiErrorCode.BoardMoving, 'The board is moving to another process; try again.')
  }
  for (const name of ['content-type', 'cache-control', 'content-disposition', 'retry-after', 'allow']) {
    const value = response.headers.get(name)
    if (value !== null) reply.header(name, value)
  }
  return reply.code(response.status).send(Buffer.from(await response.arrayBuffer()))
}
