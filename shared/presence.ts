/**
 * Presence on the wire: what the server stamps onto every awareness state it forwards, and
 * the bounds an awareness state must keep. Shared because the server writes the stamp and
 * the client reads it, and because the client keeps its own state within the same bounds
 * before sending, so an honest person is never closed for a cursor.
 *
 * Awareness states are claims: anyone can write `user.role: 'facilitator'` into their own.
 * The server therefore adds `stip: { role, layerId }` to each state from the connection's
 * token (and sets `user.role` to the same role, for older clients), overriding whatever the
 * client put there. Who is a facilitator — for the role badges and for the wall display's
 * follow mode — is read from this stamp only.
 */
import { isRole, type Role } from './roles.ts'

/** The awareness state field the server owns. */
export const PRESENCE_STAMP_FIELD = 'stip'

/** What the server knows about the connection behind an awareness state. */
export interface PresenceStamp {
  role: Role
  /** For a participant link scoped to a layer: that layer; else null. */
  layerId: string | null
}

/**
 * The largest awareness state a client may send, in UTF-8 bytes of its JSON (as y-protocols
 * encodes it). tldraw's presence is well under 2 KiB; the bound leaves room for a selection
 * of several hundred shapes, which the client trims beyond (`fitPresence` in the client).
 * An administrator may raise the server's limit (`STIP_PRESENCE_MAX_BYTES`), never lower it
 * below this, or honest clients keeping to this bound would be closed.
 */
export const PRESENCE_MAX_STATE_BYTES = 32 * 1024

/**
 * Presence updates per second a connection may sustain (twice as many in a burst). The
 * client sends at most one per `PRESENCE_MIN_INTERVAL_MS`; the server allows twice that,
 * so renewals and reconnects never count against anyone. Raised with
 * `STIP_PRESENCE_MAX_PER_SECOND`, never lowered below this.
 */
export const PRESENCE_MAX_UPDATES_PER_SECOND = 120

/** The client's own pace: at most one presence update per display frame at 60 Hz. */
export const PRESENCE_MIN_INTERVAL_MS = 1000 / 60

/** Nesting an awareness state may have: tldraw's presence needs 4 (`presence.scribbles[0].points[0]`). */
export const PRESENCE_MAX_DEPTH = 16

/** The bytes y-protocols sends for `state`: its JSON, UTF-8 encoded. */
export function presenceStateBytes(state: unknown): number {
  return new TextEncoder().encode(JSON.stringify(state)).length
}

/** How deep `value` nests objects and arrays (a scalar is 0), stopping once past `limit`. */
export function nestingDepth(value: unknown, limit = PRESENCE_MAX_DEPTH): number {
  let deepest = 0
  const stack: [unknown, number][] = [[value, 0]]
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number]
    if (typeof item !== 'object' || item === null) continue
    const inner = depth + 1
    if (inner > deepest) deepest = inner
    if (deepest > limit) return deepest
    for (const child of Object.values(item)) stack.push([child, inner])
  }
  return deepest
}

/**
 * `state` as the server forwards it: the stamp set from the connection, and `user.role`
 * (what clients before the stamp read) set to the same role. Returns a new object.
 */
export function stampPresence(state: Record<string, unknown>, stamp: PresenceStamp): Record<string, unknown> {
  const stamped: Record<string, unknown> = {
    ...state,
    [PRESENCE_STAMP_FIELD]: { role: stamp.role, layerId: stamp.layerId },
  }
  const user = state.user
  if (typeof user === 'object' && user !== null && !Array.isArray(user)) stamped.user = { ...user, role: stamp.role }
  return stamped
}

/** The server's stamp on an awareness state, or null if it has none (or a broken one). */
export function readStamp(state: unknown): PresenceStamp | null {
  if (typeof state !== 'object' || state === null) return null
  const stamp = (state as Record<string, unknown>)[PRESENCE_STAMP_FIELD]
  if (typeof stamp !== 'object' || stamp === null) return null
  const { role, layerId } = stamp as { role?: unknown; layerId?: unknown }
  if (!isRole(role)) return null
  if (layerId !== null && typeof layerId !== 'string') return null
  return { role, layerId }
}
