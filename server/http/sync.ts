/**
 * The sync socket: a raw `ws` upgrade on fastify's own HTTP server, because fastify routes
 * requests and an upgrade is not one. Everything is checked before the upgrade: a refused
 * socket gets a plain HTTP status, no room is loaded and not one byte of a document is sent.
 * The token arrives in the query (`?token=`, browsers can't set headers on a WebSocket) and
 * only the path is ever logged.
 *
 * Several processes (server/cluster/): the checks run here as everywhere; then a board that
 * another process owns is forwarded to it (hop.ts), where the same checks run again and
 * have the last word. A process that owns the board, or can take its lease, serves it.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import { isBoardId, isTokenShaped } from '../../shared/board.ts'
import { CloseCode, closeCodeName, MAX_FRAME_BYTES, PING_INTERVAL_MS, SYNC_PATH_PREFIX } from '../../shared/protocol.ts'
import { CLIENT_PARAM, TOKEN_PARAM } from '../../shared/routes.ts'
import { UpgradeRefusal } from '../../shared/upgrade.ts'
import { forwardSocket, hopOf, type Route } from '../cluster/hop.ts'
import type { RoomManager } from '../room/rooms.ts'
import { findGrant, hashToken } from '../tokens.ts'
import type { HttpContext } from './context.ts'
import { capacityRefusal, originAllowed } from './edge.ts'

/** The status line text of each refusal. */
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
}

/** Closes the sockets and stops the keep-alive. */
export interface SyncEndpoint {
  close(code?: CloseCode): Promise<void>
}

/** How long closing sockets get to hear why before they are cut. */
const CLOSE_GRACE_MS = 1000

export function attachSync(server: Server, context: HttpContext): SyncEndpoint {
  const { store, rooms, log, metrics } = context
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const alive = new WeakMap<WebSocket, boolean>()

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (error) => log.warn('upgrade socket error', { error: String(error) }))
    const url = new URL(req.url ?? '/', 'http://localhost')
    const refuse = (status: number, reason: string, detail: Record<string, unknown> = {}) => {
      log.warn('sync refused', { path: url.pathname, status, reason, ...detail })
      metrics.upgradeRefused(status, reason)
      const head = `HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nConnection: close\r\n`
      const type = 'Content-Type: text/plain; charset=utf-8\r\n'
      socket.end(`${head}${type}Content-Length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`)
    }
    const refuseFor = ({ status, reason }: UpgradeRefusal, detail: Record<string, unknown> = {}) =>
      refuse(status, reason, detail)
    // A peer forwarding a client (server/cluster/hop.ts): only with the cluster's secret.
    const hop = hopOf(req.headers, context.cluster?.secret)
    if (hop === 'invalid') return refuseFor(UpgradeRefusal.BadClusterHop)
    // Before anything is looked up: a page on another site gets nothing (see edge.ts). A
    // valid hop was checked by the peer, against the Host the client used.
    if (hop === null && !originAllowed(req, context.config))
      return refuseFor(UpgradeRefusal.OriginNotAllowed, { origin: req.headers.origin })
    if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) return refuseFor(UpgradeRefusal.NotSyncPath)
    const boardId = url.pathname.slice(SYNC_PATH_PREFIX.length)
    if (!isBoardId(boardId)) return refuseFor(UpgradeRefusal.BadBoardId)
    if (!store.getBoard(boardId)) return refuseFor(UpgradeRefusal.UnknownBoard)
    const token = url.searchParams.get(TOKEN_PARAM)
    if (!token) return refuseFor(UpgradeRefusal.NoToken)
    const found = findGrant(store, boardId, token, context.grants)
    if (!found) return refuseFor(UpgradeRefusal.BadToken)
    // Every sync socket this process holds counts, those it forwards to a board's owner too.
    const connections = Math.max(wss.clients.size, rooms.connectionCount())
    const load = { rooms: rooms.rooms.size, connections, roomLoaded: rooms.rooms.has(boardId) }
    const full = capacityRefusal(load, context.config)
    if (full) return refuseFor(full, load)
    const { grant, tokenHash } = found
    // The browser's secret, shaped like a token; a client without one gets one of its own.
    const secret = url.searchParams.get(CLIENT_PARAM)
    if (secret !== null && !isTokenShaped(secret)) return refuseFor(UpgradeRefusal.BadClientSecret)
    const secretHash = secret === null ? undefined : hashToken(secret)
    const { role } = grant

    // Several processes: the board's owner serves it; this one forwards to it (hop.ts). A
    // process handing its boards over (SIGTERM) takes no new socket: the client tries another.
    if (context.cluster && !context.cluster.ready()) return refuseFor(UpgradeRefusal.BoardMoving)
    let route: Route = { mine: true }
    try {
      if (!rooms.rooms.has(boardId) && rooms.ownership) route = rooms.ownership.claim(boardId)
    } catch (error) {
      log.error('lease unreadable', { board: boardId, error: String(error) })
      return refuseFor(UpgradeRefusal.BoardMoving)
    }
    if (!route.mine && hop === 'valid') return refuseFor(UpgradeRefusal.BoardMoving)

    const serve = (ws: WebSocket, waiting: RawData[] = []) => {
      let joined: ReturnType<RoomManager['connect']>
      try {
        joined = rooms.connect(
          boardId,
          {
            send: (data) => ws.send(data),
            close: (code, reason) => ws.close(code, reason),
            // What the client has not read yet: the room closes a socket that never reads.
            get bufferedAmount() {
              return ws.bufferedAmount
            },
          },
          grant,
          tokenHash,
          secretHash,
        )
      } catch (error) {
        // The board's owner changed between the check and now: the client comes back.
        log.warn('board moved while connecting', { board: boardId, error: String(error) })
        return ws.close(CloseCode.Handover, closeCodeName(CloseCode.Handover))
      }
      const { room, connection } = joined
      log.info('connected', { board: boardId, role, hop: hop === 'valid' })
      const receive = (data: RawData) => {
        // Copy: a frame may be a view into a larger buffer, and a lying length must not
        // read past it.
        room.receive(connection, new Uint8Array(toBuffer(data)))
        if (!connection.open) rooms.releaseIfIdle(room)
      }
      ws.on('message', (data, isBinary) => {
        if (!isBinary) return room.close(connection, CloseCode.MalformedMessage)
        receive(data)
      })
      ws.on('close', (code) => {
        log.info('disconnected', { board: boardId, role, code, reason: closeCodeName(code) })
        rooms.disconnect(room, connection)
      })
      for (const frame of waiting) if (connection.open) receive(frame)
    }

    wss.handleUpgrade(req, socket, head, (ws) => {
      alive.set(ws, true)
      ws.on('pong', () => alive.set(ws, true))
      ws.on('error', (error: Error & { code?: string }) => {
        // ws closes a frame over maxPayload itself (1009); the room never sees it.
        if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') metrics.socketClosed(CloseCode.MessageTooLarge)
        log.warn('socket error', { board: boardId, role, error: String(error) })
      })
      const { cluster } = context
      if (route.mine || !cluster) return serve(ws)
      forwardSocket(ws, route.address, {
        path: `${url.pathname}${url.search}`,
        secret: cluster.secret,
        route: () => rooms.ownership?.claim(boardId) ?? { mine: true },
        serveHere: (waiting) => serve(ws, waiting),
        giveUpMs: 2 * cluster.leaseMs,
        log,
        onOpen: () => cluster.stats.forwardOpened(boardId),
        onClose: () => cluster.stats.forwardClosed(boardId),
      })
    })
  })

  // Keep-alive: a socket that missed a ping is dead (sleeping laptop, dropped Wi-Fi).
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (alive.get(ws) === false) {
        ws.terminate()
        continue
      }
      alive.set(ws, false)
      ws.ping()
    }
  }, PING_INTERVAL_MS)
  pinger.unref()

  return {
    async close(code?: CloseCode) {
      clearInterval(pinger)
      // With a why (a hand-over), every socket is told it — those outside any room (forwarded
      // ones) too — and given a moment to hear it, so its client reconnects at once.
      if (code !== undefined) {
        const open = [...wss.clients]
        for (const ws of open) ws.close(code, closeCodeName(code))
        const closed = open.map((ws) => new Promise((resolve) => ws.once('close', resolve)))
        await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS))])
      }
      for (const ws of wss.clients) ws.terminate()
    },
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.isBuffer(data) ? data : Buffer.from(data)
}
