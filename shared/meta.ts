/**
 * Every key of a board's `meta` map, with who may write it and what a valid value is. The
 * server's gate refuses a write to a key that is not listed here, by someone who is not
 * its owner, or with a value its validator refuses; the client's bindings
 * (`client/src/sync/meta.ts`, `client/src/sync/binding.ts`) take their sanitizers and
 * checks from here, so an honest client never writes what the server would refuse.
 *
 * - `schema`: tldraw's serialized store schema the records are at. Only a facilitator's
 *   client writes it (after migrating the board), and only a schema this server can
 *   migrate from: its own, or an older one. A "newer" schema would make every client stop
 *   writing (it looks like a board from a future Stip): one write would brick the board.
 *   It cannot be deleted. The server writes it when it creates a board.
 * - `display`: the wall display's live settings (`shared/display.ts`), facilitators only,
 *   and only fields its sanitizer keeps as they are.
 * - `iterations`: the board's iteration rhythm (`shared/iterations.ts`), facilitators only.
 * - `timer`, `control`, `spotlight`, `voting`: the facilitator's tools (`shared/timer.ts`,
 *   `shared/control.ts`, `shared/spotlight.ts`, `shared/voting.ts`), facilitators only.
 *
 * Adding a key: one entry in `META_KEYS`, with its owner and validator.
 */
import type { SerializedSchema } from '@tldraw/store'
import { META_CONTROL_KEY, refuseControl } from './control.ts'
import { META_DISPLAY_KEY, sanitizeDisplaySettings } from './display.ts'
import { META_SCHEMA_KEY } from './doc.ts'
import { type IterationRhythm, META_ITERATIONS_KEY, readRhythm, refuseRhythm } from './iterations.ts'
import type { Role } from './roles.ts'
import { stipSchema } from './schema/index.ts'
import { META_SPOTLIGHT_KEY, refuseSpotlight } from './spotlight.ts'
import { META_TIMER_KEY, refuseTimer } from './timer.ts'
import { META_VOTING_KEY, refuseRound } from './voting.ts'

/** Largest JSON a `meta` value may take: settings are small; this bounds what validating costs. */
export const MAX_META_VALUE_BYTES = 64 * 1024

/** A board-level setting: its key, and the valid part of a stored value (`{}` for nonsense). */
export interface MetaSetting<T extends object> {
  readonly key: string
  sanitize(value: unknown): Partial<T>
}

/** One key of `meta`: who may write it, and why a value is refused (null: valid). */
export interface MetaKeySpec {
  readonly key: string
  /** The only role that may write or delete it. */
  readonly owner: Role
  /** Why `value` may not be stored (undefined: the key is being deleted); null if it may. */
  refuse(value: unknown): string | null
}

/** The wall display's settings as a `MetaSetting` (the client binds it). */
export const DISPLAY_SETTING: MetaSetting<ReturnType<typeof sanitizeDisplaySettings>> = {
  key: META_DISPLAY_KEY,
  sanitize: sanitizeDisplaySettings,
}

/** The board's iteration rhythm as a `MetaSetting`: both fields, or nothing. */
export const ITERATIONS_SETTING: MetaSetting<IterationRhythm> = {
  key: META_ITERATIONS_KEY,
  sanitize: (value) => readRhythm(value) ?? {},
}

/** How a serialized schema relates to this build's: `unknown` for nonsense. */
export type SchemaRelation = 'same' | 'older' | 'newer' | 'unknown'

/**
 * Compares a board's stored schema to `ours`. "Newer" means a migration sequence we do not
 * know or a version past ours: we cannot read it safely. Sequences only we have (a newer
 * tldraw added them) count as "older": migrating adds them.
 */
export function compareSchemas(theirs: unknown, ours: SerializedSchema = stipSchema.serialize()): SchemaRelation {
  if (!isSerializedSchema(theirs)) return 'unknown'
  if (theirs.schemaVersion > ours.schemaVersion) return 'newer'
  if (theirs.schemaVersion < 2 || ours.schemaVersion < 2) return 'older' // v1 predates sequences
  const theirSequences = (theirs as { sequences?: unknown }).sequences
  if (typeof theirSequences !== 'object' || theirSequences === null) return 'unknown'
  const ourSequences = (ours as { sequences: Record<string, number> }).sequences
  let relation: SchemaRelation = 'same'
  for (const [id, version] of Object.entries(theirSequences)) {
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) return 'unknown'
    const ourVersion = Object.hasOwn(ourSequences, id) ? ourSequences[id] : undefined
    if (ourVersion === undefined || version > ourVersion) return 'newer'
    if (version < ourVersion) relation = 'older'
  }
  for (const id of Object.keys(ourSequences)) if (!Object.hasOwn(theirSequences, id)) relation = 'older'
  return relation
}

export function isSerializedSchema(value: unknown): value is SerializedSchema {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { schemaVersion?: unknown }).schemaVersion === 'number'
  )
}

/** Why `value` may not be stored as `meta.schema` on this server; null if it may. */
export function refuseSchema(value: unknown): string | null {
  if (value === undefined) return 'the board schema cannot be deleted'
  const relation = compareSchemas(value)
  if (relation === 'newer') return 'a schema newer than this server'
  if (relation === 'unknown') return 'not a serialized schema'
  // The server must be able to migrate from it, or clients cannot either.
  try {
    if (!stipSchema.getMigrationsSince(value as SerializedSchema).ok) return 'a schema this server cannot migrate from'
  } catch {
    return 'not a serialized schema'
  }
  return null
}

/** Why `value` may not be stored as `meta.display`: a field its sanitizer drops or changes. */
export function refuseDisplay(value: unknown): string | null {
  if (value === undefined) return null // back to the kiosk's URL parameters
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'display settings are an object'
  const kept = sanitizeDisplaySettings(value) as Record<string, unknown>
  for (const [field, given] of Object.entries(value)) {
    if (!Object.hasOwn(kept, field) || kept[field] !== given) return `display setting "${field}" is invalid`
  }
  return null
}

export const META_KEYS: Readonly<Record<string, MetaKeySpec>> = {
  [META_SCHEMA_KEY]: { key: META_SCHEMA_KEY, owner: 'facilitator', refuse: refuseSchema },
  [META_DISPLAY_KEY]: { key: META_DISPLAY_KEY, owner: 'facilitator', refuse: refuseDisplay },
  [META_ITERATIONS_KEY]: { key: META_ITERATIONS_KEY, owner: 'facilitator', refuse: refuseRhythm },
  [META_TIMER_KEY]: { key: META_TIMER_KEY, owner: 'facilitator', refuse: refuseTimer },
  [META_CONTROL_KEY]: { key: META_CONTROL_KEY, owner: 'facilitator', refuse: refuseControl },
  [META_SPOTLIGHT_KEY]: { key: META_SPOTLIGHT_KEY, owner: 'facilitator', refuse: refuseSpotlight },
  [META_VOTING_KEY]: { key: META_VOTING_KEY, owner: 'facilitator', refuse: refuseRound },
}

/** The spec of a `meta` key, or undefined for a key nobody may write. */
export function metaKeySpec(key: string): MetaKeySpec | undefined {
  return Object.hasOwn(META_KEYS, key) ? META_KEYS[key] : undefined
}

/** May `role` write (or delete) `meta[key]` at all? The client asks before it writes. */
export function mayWriteMeta(role: Role, key: string): boolean {
  return metaKeySpec(key)?.owner === role
}

/**
 * Why a value may not be stored under `meta[key]` (undefined: the key is deleted), whoever
 * writes it: an unknown key, a value too big, or one the key's validator refuses.
 */
export function refuseMetaValue(key: string, value: unknown): string | null {
  const spec = metaKeySpec(key)
  if (!spec) return `unknown board setting "${key}"`
  if (value !== undefined) {
    let json: string | undefined
    try {
      json = JSON.stringify(value)
    } catch {
      return `board setting "${key}" is not JSON`
    }
    if (json === undefined || json.length > MAX_META_VALUE_BYTES) {
      return `board setting "${key}" is over ${MAX_META_VALUE_BYTES} bytes`
    }
  }
  return spec.refuse(value)
}
