/**
 * The JSON API (documented in README.md, "API"). Calls that need a role send its token
 * as `Authorization: Bearer <token>`. Every error is `{ "error": { "code", "message" } }`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type {
  ApiError,
  BoardInfo,
  BoardSession,
  ClientConfig,
  CreateBoardResponse,
  CreateJoinLinkRequest,
  CreateJoinLinkResponse,
  CreateLinkRequest,
  CreateLinkResponse,
  HealthResponse,
  LayerListResponse,
} from '../shared/api.ts'
import {
  boardLink,
  boardPath,
  isBoardId,
  isTokenShaped,
  JOIN_PATH_PREFIX,
  joinLink,
  layerPath,
  scopedBoardLink,
  validateBoardName,
} from '../shared/board.ts'
import { decodeRecord, getRecordsMap, recordKind } from '../shared/doc.ts'
import { flattenLayers, isLayerId, layerOfShape, ROOT_LAYER_ID } from '../shared/layers.ts'
import { CloseCode } from '../shared/protocol.ts'
import { isRole, ROLES, type Role } from '../shared/roles.ts'
import { initialDocumentUpdate } from './boardDocument.ts'
import type { ServerConfig } from './config.ts'
import type { Logger } from './log.ts'
import type { Room } from './room/room.ts'
import type { RoomManager } from './room/rooms.ts'
import type { BoardRow, BoardStore } from './store/types.ts'
import { findGrant, hashToken, newBoardId, newShortToken, newToken } from './tokens.ts'

const MAX_BODY_BYTES = 64 * 1024

export interface ApiContext {
  config: ServerConfig
  store: BoardStore
  rooms: RoomManager
  log: Logger
  version: string
  startedAt: number
}

/** An error that becomes an HTTP response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** Handles `/api/…`, `/healthz` and short join links `/j/…`; returns false for any other path. */
export async function handleApi(context: ApiContext, req: IncomingMessage, res: ServerResponse, pathname: string) {
  if (pathname === '/healthz') {
    const store = context.store.health()
    const body: HealthResponse = {
      ok: store.ok,
      store,
      rooms: context.rooms.rooms.size,
      connections: context.rooms.connectionCount(),
      uptimeSeconds: Math.round((Date.now() - context.startedAt) / 1000),
    }
    sendJson(res, store.ok ? 200 : 503, body)
    return true
  }
  if (pathname.startsWith(JOIN_PATH_PREFIX) && req.method === 'GET') {
    redirectJoinLink(context, res, pathname.slice(JOIN_PATH_PREFIX.length))
    return true
  }
  if (!pathname.startsWith('/api/')) return false
  try {
    await route(context, req, res, pathname.slice('/api'.length).split('/').filter(Boolean))
  } catch (error) {
    if (error instanceof HttpError) sendError(res, error.status, error.code, error.message)
    else {
      context.log.error('api failure', { path: pathname, error: String(error) })
      sendError(res, 500, 'internal', 'Something went wrong on the server; nothing was changed.')
    }
  }
  return true
}

async function route(context: ApiContext, req: IncomingMessage, res: ServerResponse, parts: string[]) {
  const method = req.method ?? 'GET'
  const [resource, boardId, sub, role, action] = parts
  if (resource === 'config' && parts.length === 1 && method === 'GET') {
    const body: ClientConfig = {
      tldrawLicenseKey: context.config.tldrawLicenseKey,
      createTokenRequired: context.config.createToken !== null,
      version: context.version,
    }
    return sendJson(res, 200, body)
  }
  if (resource !== 'boards') throw new HttpError(404, 'not_found', 'No such API endpoint.')
  if (parts.length === 1 && method === 'POST') return createBoard(context, req, res)
  if (parts.length === 2 && method === 'GET') {
    const board = authorize(context, req, boardId, ['facilitator'])
    return sendJson(res, 200, boardInfo(context, board))
  }
  if (parts.length === 3 && sub === 'me' && method === 'GET') {
    const { board, grant } = authenticate(context, req, boardId)
    const body: BoardSession = { id: board.id, name: board.name, role: grant.role, layerId: grant.layerId }
    return sendJson(res, 200, body)
  }
  if (parts.length === 3 && sub === 'layers' && method === 'GET') {
    const board = authorize(context, req, boardId, ['facilitator'])
    return sendJson(res, 200, listLayers(context, board))
  }
  if (parts.length === 3 && sub === 'join-links' && method === 'POST') {
    const board = authorize(context, req, boardId, ['facilitator'])
    return sendJson(res, 201, await createJoinLink(context, req, board))
  }
  if (parts.length === 3 && sub === 'links' && method === 'POST') {
    const board = authorize(context, req, boardId, ['facilitator'])
    return sendJson(res, 201, await createScopedLink(context, req, board))
  }
  if (parts.length === 5 && sub === 'links' && action === 'rotate' && method === 'POST') {
    const board = authorize(context, req, boardId, ['facilitator'])
    if (!isRole(role)) throw new HttpError(400, 'unknown_role', `Role must be one of ${ROLES.join(', ')}.`)
    return sendJson(res, 200, rotateLink(context, req, board, role))
  }
  throw new HttpError(parts.length <= 5 ? 405 : 404, 'not_found', 'No such API endpoint or method.')
}

async function createBoard(context: ApiContext, req: IncomingMessage, res: ServerResponse) {
  if (context.config.createToken !== null) {
    const token = bearerToken(req)
    if (token === null) throw new HttpError(401, 'token_missing', 'Creating a board needs the creation token.')
    if (token !== context.config.createToken) throw new HttpError(403, 'token_invalid', 'The creation token is wrong.')
  }
  const body = await readJson(req)
  const name = validateBoardName((body as { name?: unknown } | null)?.name)
  if (!name.ok) throw new HttpError(400, name.code, name.message)
  const board: BoardRow = { id: newBoardId(), name: name.name, created: new Date().toISOString() }
  const tokens = { facilitator: newToken(), participant: newToken(), display: newToken() }
  context.store.createBoard(board, {
    facilitator: hashToken(tokens.facilitator),
    participant: hashToken(tokens.participant),
    display: hashToken(tokens.display),
  })
  // The board starts with its page, root layer and north star, stored before anyone joins.
  context.store.appendUpdates(board.id, [initialDocumentUpdate(board.name)])
  context.log.info('board created', { board: board.id })
  const base = publicUrl(context, req)
  const response: CreateBoardResponse = {
    id: board.id,
    name: board.name,
    links: {
      facilitator: boardLink(base, board.id, tokens.facilitator),
      participant: boardLink(base, board.id, tokens.participant),
      display: boardLink(base, board.id, tokens.display),
    },
  }
  sendJson(res, 201, response)
}

function rotateLink(context: ApiContext, req: IncomingMessage, board: BoardRow, role: Role) {
  const token = newToken()
  const hash = hashToken(token)
  context.store.replaceToken(board.id, role, hash)
  // The old token stops at once for new requests (the store no longer knows it); sockets
  // opened with it are closed now.
  const closed = context.rooms.closeWhere(
    board.id,
    (connection) => connection.role === role && connection.layerId === null && connection.tokenHash !== hash,
    CloseCode.Unauthorized,
  )
  context.log.info('link rotated', { board: board.id, role, closedConnections: closed })
  return { role, link: boardLink(publicUrl(context, req), board.id, token) }
}

function boardInfo(context: ApiContext, board: BoardRow): BoardInfo {
  const connections: Record<Role, number> = { facilitator: 0, participant: 0, display: 0 }
  for (const connection of context.rooms.rooms.get(board.id)?.connections ?? []) connections[connection.role]++
  const counts = withRoom(context, board.id, (room) => room.counts())
  return { id: board.id, name: board.name, created: board.created, counts: { ...counts, connections } }
}

function listLayers(context: ApiContext, board: BoardRow): LayerListResponse {
  return withRoom(context, board.id, (room) => {
    const shapeCounts = new Map<string, number>()
    for (const [id, value] of getRecordsMap(room.doc)) {
      if (recordKind(id) !== 'shape') continue
      const record = decodeRecord(value, id)
      if (!record) continue
      const layerId = layerOfShape(record)
      shapeCounts.set(layerId, (shapeCounts.get(layerId) ?? 0) + 1)
    }
    const layers = flattenLayers(room.layers).map(({ layer, depth }) => ({
      id: layer.id,
      name: layer.name,
      parentId: layer.parentId,
      depth,
      color: layer.color,
      visible: layer.visible,
      locked: layer.locked,
      shapeCount: shapeCounts.get(layer.id) ?? 0,
    }))
    return { layers }
  })
}

async function createScopedLink(
  context: ApiContext,
  req: IncomingMessage,
  board: BoardRow,
): Promise<CreateLinkResponse> {
  const body = (await readJson(req)) as Partial<CreateLinkRequest> | null
  if (body?.role !== 'participant') {
    throw new HttpError(400, 'unknown_role', 'Scoped links are for participants: "role": "participant".')
  }
  const layerId = requireLayer(context, board, body.layerId)
  const token = newToken()
  context.store.addScopedToken(board.id, 'participant', layerId, hashToken(token))
  context.log.info('scoped link created', { board: board.id, layer: layerId })
  return { link: scopedBoardLink(publicUrl(context, req), board.id, layerId, token), role: 'participant', layerId }
}

/**
 * A short participant link for the wall display's join code: `/j/<token>` with a 128-bit
 * token, so the QR code stays small enough to scan from across a room.
 */
async function createJoinLink(
  context: ApiContext,
  req: IncomingMessage,
  board: BoardRow,
): Promise<CreateJoinLinkResponse> {
  const body = (await readJson(req)) as Partial<CreateJoinLinkRequest> | null
  const layerId = requireLayer(context, board, body?.layerId)
  const token = newShortToken()
  context.store.addScopedToken(board.id, 'participant', layerId, hashToken(token))
  context.log.info('join link created', { board: board.id, layer: layerId })
  return { link: joinLink(publicUrl(context, req), token), layerId }
}

/** `GET /j/<token>`: on to the board (or its layer), the token in the fragment as always. */
function redirectJoinLink(context: ApiContext, res: ServerResponse, token: string): void {
  const grant = isTokenShaped(token) ? context.store.findTokenAnywhere(hashToken(token)) : undefined
  if (!grant) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
    res.end('Deze link werkt niet (meer). / This link no longer works.')
    return
  }
  const inLayer = grant.layerId !== null && grant.layerId !== ROOT_LAYER_ID
  const path = inLayer ? layerPath(grant.boardId, grant.layerId as string) : boardPath(grant.boardId)
  res.writeHead(302, {
    location: `${path}#token=${token}`,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
  })
  res.end()
}

function requireLayer(context: ApiContext, board: BoardRow, layerId: unknown): string {
  if (!isLayerId(layerId)) throw new HttpError(400, 'layer_missing', 'Name the layer: "layerId": "layer:…".')
  if (!withRoom(context, board.id, (room) => room.layers.has(layerId))) {
    throw new HttpError(404, 'layer_not_found', 'No layer with this id on this board.')
  }
  return layerId
}

/** Runs `fn` on the board's room; a board nobody has open is loaded for it, then released. */
function withRoom<T>(context: ApiContext, boardId: string, fn: (room: Room) => T): T {
  const live = context.rooms.rooms.get(boardId)
  const room = live ?? context.rooms.get(boardId)
  try {
    return fn(room)
  } finally {
    if (!live) context.rooms.releaseIfIdle(room)
  }
}

/** Checks the bearer token against the board: 404 unknown board, 401 missing, 403 wrong. */
export function authenticate(context: ApiContext, req: IncomingMessage, boardId: string | undefined) {
  const board = isBoardId(boardId) ? context.store.getBoard(boardId) : undefined
  if (!board) throw new HttpError(404, 'board_not_found', 'No board with this id.')
  const token = bearerToken(req)
  if (token === null)
    throw new HttpError(401, 'token_missing', 'Send the link’s token as "Authorization: Bearer <token>".')
  const grant = findGrant(context.store, board.id, token)?.grant
  if (!grant) throw new HttpError(403, 'token_invalid', 'This token does not open this board (anymore).')
  return { board, grant }
}

function authorize(context: ApiContext, req: IncomingMessage, boardId: string | undefined, roles: Role[]) {
  const { board, grant } = authenticate(context, req, boardId)
  if (!roles.includes(grant.role))
    throw new HttpError(403, 'role_forbidden', `Only a ${roles.join(' or ')} may do this.`)
  return board
}

function bearerToken(req: IncomingMessage): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return match ? match[1] : null
}

function publicUrl(context: ApiContext, req: IncomingMessage): string {
  if (context.config.publicUrl) return context.config.publicUrl
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'
  return `${proto}://${req.headers.host ?? `localhost:${context.config.port}`}`
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, 'body_too_large', `A request body is at most ${MAX_BODY_BYTES} bytes.`)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.')
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  })
  res.end(text)
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  const body: ApiError = { error: { code, message } }
  sendJson(res, status, body)
}
