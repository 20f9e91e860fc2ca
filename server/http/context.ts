/**
 * What every route module gets (config, store, rooms, log…) and the checks they share:
 * who a bearer token is on a board, the public address links are built from, and running
 * something on a board's room. Authentication runs as an `onRequest` hook, before the body
 * is read or validated, so a caller without the right token learns nothing about the input.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import * as Y from 'yjs'
import { ApiErrorCode } from '../../shared/api.ts'
import { isBoardId } from '../../shared/board.ts'
import type { Role } from '../../shared/roles.ts'
import { tokenFromAuthorization } from '../../shared/routes.ts'
import type { InternalGrants } from '../admin/grants.ts'
import type { ClusterContext } from '../cluster/cluster.ts'
import { hopOf } from '../cluster/hop.ts'
import type { ServerConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { Metrics } from '../metrics.ts'
import { DEFAULT_COMPACTION, RoomPersistence } from '../room/persistence.ts'
import type { Room } from '../room/room.ts'
import type { RoomManager } from '../room/rooms.ts'
import type { BoardRow, BoardStore, TokenGrant } from '../store/types.ts'
import { findGrant } from '../tokens.ts'
import { HttpError } from './errors.ts'

export interface HttpContext {
  config: ServerConfig
  store: BoardStore
  rooms: RoomManager
  log: Logger
  metrics: Metrics
  version: string
  startedAt: number
  /** One of several processes on PostgreSQL (server/cluster/); null: the only one. */
  cluster: ClusterContext | null
  /** The server's own short-lived read-only grants (the archive's PDF render). */
  grants: InternalGrants
}

/** The board and grant an authenticated request was let in with. */
export interface Access {
  board: BoardRow
  grant: TokenGrant
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `requireToken` / `requireRole`; null on routes without them. */
    access: Access | null
  }
}

/** The bearer token of a request, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  return tokenFromAuthorization(request.headers.authorization)
}

/** Checks the bearer token against the board: 404 unknown board, 401 missing, 403 wrong. */
export function authenticate(context: HttpContext, request: FastifyRequest): Access {
  const boardId = (request.params as { boardId?: string }).boardId
  const board = isBoardId(boardId) ? context.store.getBoard(boardId) : undefined
  if (!board) throw new HttpError(404, ApiErrorCode.BoardNotFound, 'No board with this id.')
  const token = bearerToken(request)
  if (token === null)
    throw new HttpError(401, ApiErrorCode.TokenMissing, 'Send the link’s token as "Authorization: Bearer <token>".')
  const grant = findGrant(context.store, board.id, token, context.grants)?.grant
  if (!grant) throw new HttpError(403, ApiErrorCode.TokenInvalid, 'This token does not open this board (anymore).')
  return { board, grant }
}

/** `onRequest` hook: any valid token of the board in `:boardId`. */
export function requireToken(context: HttpContext) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    request.access = authenticate(context, request)
  }
}

/** `onRequest` hook: a valid token of the board whose role is one of `roles`. */
export function requireRole(context: HttpContext, roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const access = authenticate(context, request)
    if (!roles.includes(access.grant.role))
      throw new HttpError(403, ApiErrorCode.RoleForbidden, `Only a ${roles.join(' or ')} may do this.`)
    request.access = access
  }
}

/** The access an authenticating hook set; a route that forgot its hook fails loudly. */
export function accessOf(request: FastifyRequest): Access {
  if (!request.access) throw new Error(`${request.routeOptions.url} has no authentication hook`)
  return request.access
}

/** The address people use: `PUBLIC_URL`, else the request's own host. */
export function publicUrl(context: HttpContext, request: FastifyRequest): string {
  if (context.config.publicUrl) return context.config.publicUrl
  const proto = request.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http'
  // A call another process forwarded here (server/cluster/hop.ts) names the host the person used.
  const forwarded = request.headers['x-forwarded-host']
  const hop = context.cluster !== null && hopOf(request.headers, context.cluster.secret) === 'valid'
  const host = hop && typeof forwarded === 'string' ? forwarded : request.headers.host
  return `${proto}://${host ?? `localhost:${context.config.port}`}`
}

/** Runs `fn` on the board's room; a board nobody has open is loaded for it, then released. */
export function withRoom<T>(context: HttpContext, boardId: string, fn: (room: Room) => T): T {
  const live = context.rooms.rooms.get(boardId)
  const room = live ?? context.rooms.get(boardId)
  try {
    return fn(room)
  } finally {
    if (!live) context.rooms.releaseIfIdle(room)
  }
}

/**
 * Runs `fn` on the board's document to read it: the live room's if the board is open, else
 * the stored one, loaded into a scratch document that is dropped after (no room is made,
 * nothing is written, no compaction runs). Rows that do not decode are left out, as a room
 * leaves them out when it opens a board read-only.
 */
export function readDocument<T>(context: HttpContext, boardId: string, fn: (doc: Y.Doc) => T): T {
  const live = context.rooms.rooms.get(boardId)
  if (live) return fn(live.doc)
  const scratch = new Y.Doc()
  let doc = scratch
  try {
    doc = new RoomPersistence(boardId, context.store, DEFAULT_COMPACTION).load(scratch).doc
    return fn(doc)
  } finally {
    scratch.destroy()
    doc.destroy()
  }
}
