/**
 * The Stip server: one HTTP server for the client, the API and the WebSocket sync.
 * This file and `main.ts` are the only ones that touch `ws` and HTTP; rooms know
 * nothing of either.
 */
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type WebSocket, WebSocketServer } from 'ws'
import { isBoardId } from '../shared/board.ts'
import { CloseCode, closeCodeName, MAX_FRAME_BYTES, PING_INTERVAL_MS, SYNC_PATH_PREFIX } from '../shared/protocol.ts'
import { type ApiContext, handleApi } from './api.ts'
import { DEFAULT_CONFIG, type ServerConfig } from './config.ts'
import { createLogger, type Logger } from './log.ts'
import type { RoomOptions } from './room/room.ts'
import { RoomManager } from './room/rooms.ts'
import { serveStatic } from './static.ts'
import { MemoryStore } from './store/memory.ts'
import { SqliteStore } from './store/sqlite.ts'
import type { BoardStore } from './store/types.ts'
import { findGrant } from './tokens.ts'

export interface StartOptions extends Partial<ServerConfig> {
  /** Use this store instead of the one `dataDir` implies (the caller closes it). */
  store?: BoardStore
  log?: Logger
  room?: Partial<RoomOptions>
}

export interface StipServer {
  /** `http://127.0.0.1:<port>` (or the configured host). */
  url: string
  port: number
  rooms: RoomManager
  store: BoardStore
  /** Flushes every room, closes every connection (`ServerRestarting`) and the store. */
  close(): Promise<void>
}

const VERSION: string = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version

export async function startServer(options: StartOptions = {}): Promise<StipServer> {
  const { store: givenStore, log = createLogger(), room: roomOptions, ...partial } = options
  const config: ServerConfig = { ...DEFAULT_CONFIG, port: 0, host: '127.0.0.1', ...partial }
  const store =
    givenStore ??
    (config.dataDir ? new SqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous }) : new MemoryStore())
  const rooms = new RoomManager(store, log, roomOptions)
  const context: ApiContext = { config, store, rooms, log, version: VERSION, startedAt: Date.now() }

  const server = http.createServer((req, res) => {
    const pathname = pathOf(req.url)
    handleApi(context, req, res, pathname)
      .then((handled) => {
        if (!handled) serveStatic(config.clientDir, req, res, pathname)
      })
      .catch((error) => {
        log.error('request failed', { path: pathname, error: String(error) })
        if (!res.headersSent) res.writeHead(500)
        res.end()
      })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES })
  const alive = new WeakMap<WebSocket, boolean>()

  server.on('upgrade', (req, socket: Duplex, head) => {
    socket.on('error', (error) => log.warn('upgrade socket error', { error: String(error) }))
    const url = new URL(req.url ?? '/', 'http://localhost')
    // Everything is checked before the upgrade: a refused socket gets a plain HTTP status,
    // no room is loaded and not one byte of a document is sent.
    const refuse = (status: number, text: string) => {
      log.warn('sync refused', { path: url.pathname, status })
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (!url.pathname.startsWith(SYNC_PATH_PREFIX)) return refuse(404, 'Not Found')
    const boardId = url.pathname.slice(SYNC_PATH_PREFIX.length)
    if (!isBoardId(boardId)) return refuse(400, 'Bad Request')
    if (!store.getBoard(boardId)) return refuse(404, 'Not Found')
    const token = url.searchParams.get('token')
    if (!token) return refuse(401, 'Unauthorized')
    const found = findGrant(store, boardId, token)
    if (!found) return refuse(403, 'Forbidden')
    const { grant, tokenHash } = found
    const { role } = grant

    wss.handleUpgrade(req, socket, head, (ws) => {
      const { room, connection } = rooms.connect(
        boardId,
        {
          send: (data) => ws.send(data),
          close: (code, reason) => ws.close(code, reason),
        },
        grant,
        tokenHash,
      )
      log.info('connected', { board: boardId, role })
      alive.set(ws, true)
      ws.on('pong', () => alive.set(ws, true))
      ws.on('message', (data, isBinary) => {
        if (!isBinary) return room.close(connection, CloseCode.MalformedMessage)
        // Copy: a frame may be a view into a larger buffer, and a lying length must not
        // read past it.
        room.receive(connection, new Uint8Array(toBuffer(data)))
        if (!connection.open) rooms.releaseIfIdle(room)
      })
      ws.on('error', (error) => log.warn('socket error', { board: boardId, role, error: String(error) }))
      ws.on('close', (code) => {
        log.info('disconnected', { board: boardId, role, code, reason: closeCodeName(code) })
        rooms.disconnect(room, connection)
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

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  server.on('error', (error) => log.error('server error', { error: String(error) }))
  const port = (server.address() as AddressInfo).port
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host

  let closing: Promise<void> | undefined
  return {
    url: `http://${displayHost}:${port}`,
    port,
    rooms,
    store,
    close() {
      closing ??= (async () => {
        clearInterval(pinger)
        rooms.closeAll(CloseCode.ServerRestarting)
        for (const ws of wss.clients) ws.terminate()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections()
        })
        if (!givenStore) store.close()
      })()
      return closing
    },
  }
}

function pathOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname
  } catch {
    return '/'
  }
}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.isBuffer(data) ? data : Buffer.from(data)
}
