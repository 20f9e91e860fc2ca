/**
 * The wire between a Stip client and the server.
 *
 * A board is synced over one WebSocket at `/sync/<boardId>?token=<token>` speaking the
 * standard y-websocket protocol, so any Yjs client (y-websocket's WebsocketProvider,
 * y-protocols by hand) can integrate:
 *
 * 1. Every binary frame starts with a varuint message type (`MessageType`).
 * 2. `Sync` frames carry a varuint sync step (`SyncStep`) and a varuint8array payload:
 *    the client sends SyncStep1 (its state vector); the server answers SyncStep2 (what
 *    the client lacks) and its own SyncStep1; the client answers SyncStep2. After that
 *    both sides send `Update`s.
 * 3. `Awareness` frames carry y-protocols awareness updates (cursors, names, colours).
 * 4. The server checks the token before the upgrade. A connection is closed with one of
 *    the `CloseCode`s below when it misbehaves or loses its rights; the reason string is
 *    the code's name, so logs and clients can tell them apart.
 *
 * A display (read-only) connection syncs like any other but the server never applies,
 * stores or forwards a document update from it.
 */

/** First varuint of every frame. Same numbers as y-websocket. */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** Second varuint of a `Sync` frame. Same numbers as y-protocols/sync. */
export const SyncStep = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const

/**
 * Close codes the server uses (4000–4999 is the application range). Clients treat
 * `Unauthorized` and `BoardNotFound` as final (no reconnect); the rest reconnect.
 */
export const CloseCode = {
  /** A frame could not be decoded: unknown type, truncated varint, broken Yjs update. */
  MalformedMessage: 4400,
  /** The token was rotated or revoked while the socket was open. */
  Unauthorized: 4401,
  /** The connection tried to change something its role may not change. */
  Forbidden: 4403,
  /** The board was deleted while the socket was open. */
  BoardNotFound: 4404,
  /** A frame was larger than `MAX_FRAME_BYTES`: the standard code, sent by ws itself. */
  MessageTooLarge: 1009,
  /** An update put something that is not a valid record into the document. */
  InvalidRecord: 4422,
  /** The store could not write the update; nothing of it was applied. Reconnect later. */
  StoreUnavailable: 4503,
  /** The server is shutting down (upgrade, restart). Reconnect. */
  ServerRestarting: 4504,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** The name of a close code, used as the WebSocket close reason. */
export function closeCodeName(code: number): string {
  for (const [name, value] of Object.entries(CloseCode)) if (value === code) return name
  return 'Unknown'
}

/** Close codes after which a client must not reconnect with the same token. */
export const FINAL_CLOSE_CODES: readonly number[] = [CloseCode.Unauthorized, CloseCode.BoardNotFound]

/** Largest frame the server accepts (a big paste of many shapes fits well within it). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024

/** Path prefix of the sync endpoint: `/sync/<boardId>`. */
export const SYNC_PATH_PREFIX = '/sync/'

/** Server keep-alive ping interval; a socket that misses two pings is dropped. */
export const PING_INTERVAL_MS = 30_000
