/**
 * Where a change to a room's Y.Doc or awareness came from: the transaction origin, a tagged
 * union, so that the doc's one update handler can decide by kind what to store and whom to
 * send it to, instead of comparing against loose symbols and sockets.
 *
 * - `connection`: a client's update, accepted by the gate. Stored, then broadcast to every
 *   connection but one that sent all of the batch (it has it already: no echo).
 * - `persistence`: loaded from the store. Never stored again, never broadcast (whoever
 *   joins gets it through the sync handshake).
 * - `peer`: an update another process of the same board forwarded (several processes on one
 *   database). Stored and broadcast like a connection's; the peer link that will produce it
 *   decides what it forwards back. Nothing produces it yet.
 * - `server`: the server itself edited the document (no client). Stored and broadcast to all.
 *   A transaction without an origin counts as this.
 */
import type { Connection } from './room.ts'

export type Origin =
  | { readonly kind: 'connection'; readonly connection: Connection }
  | { readonly kind: 'persistence' }
  | { readonly kind: 'peer'; readonly peerId: string }
  | { readonly kind: 'server' }

export const PERSISTENCE: Origin = Object.freeze({ kind: 'persistence' })
export const SERVER: Origin = Object.freeze({ kind: 'server' })

export function fromConnection(connection: Connection): Origin {
  return { kind: 'connection', connection }
}

/** The origin Yjs hands an observer, as an `Origin`: anything untagged is the server's. */
export function originOf(origin: unknown): Origin {
  if (typeof origin === 'object' && origin !== null && 'kind' in origin) return origin as Origin
  return SERVER
}

/** Whether an update of this origin must be written to the store. */
export function isStored(origin: Origin): boolean {
  return origin.kind !== 'persistence'
}

/** Whether `connection` sent the update itself, and so needs no copy of it. */
export function isFrom(origin: Origin, connection: Connection): boolean {
  return origin.kind === 'connection' && origin.connection === connection
}
