/**
 * Take control (`meta.control`, facilitators only): while it is set, participants can
 * neither edit nor move their view; their views follow the facilitator who took it.
 *
 * Enforced by the server's gate (`server/room/gate.ts`): a participant's document update
 * while control is on is held, not refused. The server drops it without closing the
 * connection, and asks that connection for everything it has once control is released
 * (a SyncStep1, which a y-websocket client answers with all the server lacks), so nothing
 * a participant drew just before control was taken, or while offline, is lost: it stays in
 * their browser (Y.Doc and IndexedDB) and arrives after the release. The client shows a
 * banner and makes the editor read-only meanwhile, so an honest participant sends nothing.
 *
 * Deleting the key releases everyone.
 */

export const META_CONTROL_KEY = 'control'

export interface ControlState {
  /** The facilitator's display name, for the banner. */
  by: string
  /** Their tldraw user id (presence), whose view participants follow. */
  leaderId: string
  /** Server time (ms) control was taken. */
  since: number
}

const MAX_NAME = 100

/** Why `value` may not be stored as `meta.control`; null if it may (undefined: released). */
export function refuseControl(value: unknown): string | null {
  if (value === undefined) return null
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'control is an object'
  const { by, leaderId, since, ...rest } = value as Record<string, unknown>
  if (Object.keys(rest).length > 0) return `unknown control field "${Object.keys(rest)[0]}"`
  if (typeof by !== 'string' || by.length > MAX_NAME) return 'control.by is a name'
  if (typeof leaderId !== 'string' || leaderId.length === 0 || leaderId.length > MAX_NAME) {
    return 'control.leaderId is a user id'
  }
  if (typeof since !== 'number' || !Number.isFinite(since)) return 'control.since is a time'
  return null
}

/** The control state in a stored value, or null: nobody has taken control. */
export function readControl(value: unknown): ControlState | null {
  return value !== undefined && refuseControl(value) === null ? (value as ControlState) : null
}
