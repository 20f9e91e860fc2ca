/**
 * Every HTTP path Stip answers, and where a token travels, written once: the server
 * registers its routes with these patterns, the client and the tests build their URLs
 * from them, so a renamed path cannot leave one side behind. Patterns use fastify's
 * `:param` syntax; `routePath` fills them in.
 */
import { SYNC_PATH_PREFIX } from './protocol.ts'

/** Every JSON API route lives under this prefix; anything else is the app, a join link or ops. */
export const API_PREFIX = '/api'

export const ROUTES = {
  /** `GET`: what the client reads before it mounts the editor. */
  config: `${API_PREFIX}/config`,
  /** `POST`: create a board. */
  boards: `${API_PREFIX}/boards`,
  /** `GET` (facilitator): the board's info and counts. */
  board: `${API_PREFIX}/boards/:boardId`,
  /** `GET` (any token): which board and role a token opens. */
  me: `${API_PREFIX}/boards/:boardId/me`,
  /** `GET` (facilitator): the layers, depth-first. */
  layers: `${API_PREFIX}/boards/:boardId/layers`,
  /** `POST` (facilitator): a participant link scoped to a layer; `GET`: every scoped and join link. */
  links: `${API_PREFIX}/boards/:boardId/links`,
  /** `DELETE` (facilitator): revoke a scoped or join link; its sockets are closed. */
  link: `${API_PREFIX}/boards/:boardId/links/:linkId`,
  /** `POST` (facilitator): a new token for a role; the old one stops. */
  rotateLink: `${API_PREFIX}/boards/:boardId/links/:role/rotate`,
  /** `GET` (any token): every layer's development paths, milestones and progress (JSON or CSV). */
  paths: `${API_PREFIX}/boards/:boardId/paths`,
  /** `POST` (a token that may write the milestone's layer): set a milestone's status. */
  milestoneStatus: `${API_PREFIX}/boards/:boardId/milestones/:milestoneId/status`,
  /** `POST` (facilitator): a short join link for the wall display's QR code. */
  joinLinks: `${API_PREFIX}/boards/:boardId/join-links`,
  /** `GET` (facilitator): the board's versions; `POST`: save a named version. */
  versions: `${API_PREFIX}/boards/:boardId/versions`,
  /** `GET` (facilitator): one version's records, to show it read-only. */
  version: `${API_PREFIX}/boards/:boardId/versions/:versionId`,
  /** `POST` (facilitator): restore a version as a forward change (the board before is saved first). */
  restoreVersion: `${API_PREFIX}/boards/:boardId/versions/:versionId/restore`,
  /** `GET` (facilitator): the history's extent and its moments, for the replay's slider. */
  history: `${API_PREFIX}/boards/:boardId/history`,
  /** `GET` (facilitator): the board at one moment of its history, as a Yjs update. */
  historyState: `${API_PREFIX}/boards/:boardId/history/state`,
  /** `GET` (the archive's internal grant only): the board now, as a Yjs update, for the PDF page. */
  archiveState: `${API_PREFIX}/boards/:boardId/archive-state`,
  /** `GET` (administrator): every board with its sizes and connections. */
  adminBoards: `${API_PREFIX}/admin/boards`,
  /** `GET` (administrator): one board's archive (ZIP); `DELETE`: erase the board. */
  adminBoard: `${API_PREFIX}/admin/boards/:boardId`,
  /** `GET` (administrator): the archive of a board, one ZIP file. */
  adminArchive: `${API_PREFIX}/admin/boards/:boardId/archive`,
  /** `POST` (administrator): import an archive as a new board. */
  adminImport: `${API_PREFIX}/admin/import`,
  /** `GET` (administrator): the audit log, newest first. */
  adminAudit: `${API_PREFIX}/admin/audit`,
  /** `GET`: this API's OpenAPI document. */
  openapi: `${API_PREFIX}/openapi.json`,
  /** `GET`: a short join link; redirects to the board. */
  join: '/j/:token',
  /** `GET`: store and room health, for a load balancer or monitor. */
  health: '/healthz',
  /** `GET`: whether this process takes sockets now (503 while it hands its boards over), for a load balancer. */
  ready: '/readyz',
  /** `GET`: Prometheus metrics. */
  metrics: '/metrics',
  /** WebSocket upgrade: one board's sync socket. */
  sync: `${SYNC_PATH_PREFIX}:boardId`,
  /** `GET`: the app's entry page. */
  home: '/',
  /** `GET`: the administrator's page, routed by the client. */
  adminPage: '/admin',
  /** `GET`: a board (and its layers) in the app, routed by the client. */
  app: '/b/*',
} as const

/** Short join links (`/j/<token>`) redirect to the board; they fit a QR code on a wall. */
export const JOIN_PATH_PREFIX = ROUTES.join.slice(0, ROUTES.join.indexOf(':'))

/** The board app's path prefix: `/b/<boardId>`. */
export const BOARD_PATH_PREFIX = ROUTES.app.slice(0, -1)

/** The name a token travels under: the sync socket's query (`/sync/<id>?token=…`) and a
 * capability link's fragment (`/b/<id>#token=…`). */
export const TOKEN_PARAM = 'token'

/**
 * The name a browser's secret travels under on the sync socket (`/sync/<id>?token=…&client=…`):
 * 256 random bits each browser profile keeps, so the server can tell which Yjs client ids
 * are its own across reconnects and reloads. Redacted from logs like the token.
 */
export const CLIENT_PARAM = 'client'

/** API calls that need a role send the link's token as `Authorization: Bearer <token>`. */
export const AUTH_SCHEME = 'Bearer'

/** The `Authorization` header value for a token. */
export function authorizationHeader(token: string): string {
  return `${AUTH_SCHEME} ${token}`
}

/** The token in an `Authorization` header, or null when there is none in our scheme. */
export function tokenFromAuthorization(header: string | undefined): string | null {
  const match = new RegExp(`^${AUTH_SCHEME}\\s+(\\S+)\\s*$`, 'i').exec(header ?? '')
  return match ? match[1] : null
}

/** Fills a route pattern's `:params` in, each encoded: `routePath(ROUTES.me, { boardId })`. */
export function routePath(pattern: string, params: Record<string, string> = {}): string {
  return pattern.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`routePath: no value for :${name} in ${pattern}`)
    return encodeURIComponent(value)
  })
}

/** The path of a board's sync socket with its token and browser secret: `/sync/<boardId>?token=…&client=…`. */
export function syncPath(boardId: string, token?: string, clientSecret?: string): string {
  const path = routePath(ROUTES.sync, { boardId })
  const query = new URLSearchParams()
  if (token !== undefined) query.set(TOKEN_PARAM, token)
  if (clientSecret !== undefined) query.set(CLIENT_PARAM, clientSecret)
  const search = query.toString()
  return search === '' ? path : `${path}?${search}`
}

/**
 * Between Stip processes only (server/cluster/): the header a process sends, with the
 * cluster's secret (`STIP_CLUSTER_SECRET`), on a socket or request it forwards to the
 * board's owner. The owner checks the client's token itself; the header only says "this
 * came through a peer: do not forward it again".
 */
export const CLUSTER_HOP_HEADER = 'x-stip-cluster-hop'
