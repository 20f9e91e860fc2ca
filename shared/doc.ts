/**
 * The layout of a board's Y.Doc, and the check the server runs on every incoming update.
 *
 * Layout (any Yjs client can read and write it):
 * - `records` (Y.Map): every tldraw record — page, shape, binding, asset, document —
 *   keyed by its id (`shape:…`), the value the record exactly as tldraw's store holds it,
 *   as JSON text (`encodeRecord`). A change replaces the whole record (one Y.Map `set`).
 *   No nested Yjs types. Boards written before 2026-11-28 hold plain objects instead;
 *   every reader goes through `decodeRecord`, which takes both.
 * - `meta` (Y.Map): board-level values. `schema` holds tldraw's serialized store schema
 *   (`store.schema.serialize()`), so a client knows which migrations the records are at.
 *
 * Why a Y.Map of whole records: measured against y-utility's YKeyValue for 100,000 moves
 * of 100 shapes (see README, "Document layout"). With realistic drags (bursts of moves of
 * one shape by one person) both stay within 1.3× the JSON size of the records, and the
 * Y.Map is four times faster to write.
 *
 * Why JSON text rather than objects: Yjs decodes a string with one native call, an object
 * field by field in JavaScript. Applying a 10,000-record board took 70–100 ms with text
 * (plus 35–70 ms of `JSON.parse` where the records are read) against 460 ms with objects,
 * measured with the bench's shape records on a loaded 2-core machine. Every join, every
 * server restart and every page load pays that.
 */
import * as Y from 'yjs'
import { type ClientRun, type DecodedUpdate, findStruct } from './updates.ts'

export const RECORDS_ROOT = 'records'
export const META_ROOT = 'meta'
export const ROOTS: readonly string[] = [RECORDS_ROOT, META_ROOT]

/** Key in `meta` of tldraw's serialized schema. */
export const META_SCHEMA_KEY = 'schema'

/** A tldraw record as it is stored: a plain object with at least these fields. */
export interface StoredRecord {
  id: string
  typeName: string
  [key: string]: unknown
}

/** What `records` holds under a key: JSON text, or a plain object on older boards. */
export type StoredValue = string | StoredRecord

export function getRecordsMap(doc: Y.Doc): Y.Map<StoredValue> {
  return doc.getMap<StoredValue>(RECORDS_ROOT)
}

/** The value to store for a record. */
export function encodeRecord(record: StoredRecord | { id: string; typeName: string }): string {
  return JSON.stringify(record)
}

/** The record a stored value holds, or undefined if it is no well-formed record (for `key`). */
export function decodeRecord(value: unknown, key?: string): StoredRecord | undefined {
  let parsed = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value)
    } catch {
      return undefined
    }
  }
  return isStoredRecord(parsed, key) ? parsed : undefined
}

/** The record stored under `id`, decoded. */
export function getRecord(records: Y.Map<StoredValue>, id: string): StoredRecord | undefined {
  return decodeRecord(records.get(id), id)
}

/** Stores a record under its id. */
export function setRecord(records: Y.Map<StoredValue>, record: StoredRecord | { id: string; typeName: string }): void {
  records.set(record.id, encodeRecord(record))
}

export function getMetaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap<unknown>(META_ROOT)
}

/** A record's id prefix (`shape:abc` → `shape`). */
export function recordKind(id: string): string {
  const colon = id.indexOf(':')
  return colon === -1 ? '' : id.slice(0, colon)
}

export function isStoredRecord(value: unknown, key?: string): value is StoredRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const record = value as Record<string, unknown>
  // The kind is the key's (`shape:…` holds a shape): a value claiming another is none.
  return (
    typeof record.id === 'string' &&
    typeof record.typeName === 'string' &&
    recordKind(record.id) !== '' &&
    record.typeName === recordKind(record.id) &&
    (key === undefined || record.id === key)
  )
}

export type UpdateInspection =
  | {
      ok: true
      /** Records the update writes (creates or replaces), by id: the last value written. */
      written: Map<string, StoredRecord>
      /** Every value the update puts under each id that may be the one Yjs keeps (null:
       * the key ends deleted), so rights are checked for each; values another item of the
       * update overwrites are left out. An id in `deleted` without an entry is deleted. */
      values: Map<string, (StoredRecord | null)[]>
      /** Record ids whose current value the update deletes or replaces. */
      deleted: Set<string>
      /** Keys of `meta` the update writes or deletes. */
      metaKeys: Set<string>
      /** Every value the update puts under each `meta` key that may be the one Yjs keeps
       * (undefined: the key ends deleted); a key in `metaKeys` without one here is only
       * deleted. */
      metaValues: Map<string, unknown[]>
    }
  /** `missing`: the update builds on changes this document does not hold (yet). */
  | { ok: false; reason: 'malformed' | 'invalid-record' | 'missing'; message: string }

type DecodedStruct = DecodedUpdate['structs'][number]

/**
 * Decodes a Yjs update (v1) without applying it and checks that it only writes plain,
 * well-formed records into the layout above. Returns which record ids it writes and
 * deletes, so that rights can be checked before anything is applied.
 *
 * An item's map and key are not always encoded: an item inserted next to another
 * (`origin`) inherits them from it. We resolve those from the update itself or from the
 * document. An origin that is in neither (a missing dependency) leaves the key unknown;
 * Yjs keeps such an item pending, and we still check its content.
 */
export function inspectUpdate(
  doc: Y.Doc,
  update: Uint8Array | { decoded: DecodedUpdate; runs: ReadonlyMap<number, ClientRun> },
): UpdateInspection {
  let decoded: DecodedUpdate
  if (update instanceof Uint8Array) {
    try {
      decoded = Y.decodeUpdate(update)
    } catch (error) {
      return { ok: false, reason: 'malformed', message: `Not a Yjs update: ${String(error)}` }
    }
  } else decoded = update.decoded
  /** Each client's structs in clock order: the runs the gate's identity check found [8]. */
  const byClient = new Map<number, readonly DecodedStruct[]>()
  if (update instanceof Uint8Array) {
    const lists = new Map<number, DecodedStruct[]>()
    for (const struct of decoded.structs) {
      const list = lists.get(struct.id.client) ?? []
      list.push(struct)
      lists.set(struct.id.client, list)
    }
    for (const [client, list] of lists) byClient.set(client, list)
  } else for (const [client, run] of update.runs) byClient.set(client, run.structs)
  /** The struct of this update that holds `id` (a client's structs come in clock order). */
  const findInUpdate = (id: Y.ID): DecodedStruct | undefined => findStruct(byClient.get(id.client) ?? [], id.clock)

  type Place = { root: string | null; key: string | null }
  /** Places found so far, per item of the update: a chain of neighbours is walked once [5]. */
  const places = new Map<Y.Item, Place | undefined>()
  /** The place an item states itself, or null if it inherits its neighbour's. */
  const ownPlace = (item: Y.Item): Place | null => {
    if (typeof item.parent === 'string') return { root: item.parent, key: item.parentSub }
    if (item.parent instanceof Y.AbstractType) {
      const root = item.parent._item === null ? Y.findRootTypeKey(item.parent) : null
      return { root, key: item.parentSub }
    }
    if (item.parent !== null) return { root: null, key: item.parentSub } // nested type
    return null
  }
  /** Where an item lives: its root name and map key, or undefined if unknown. */
  const placeOf = (start: Y.Item): Place | undefined => {
    const chain = new Set<Y.Item>()
    let item: Y.Item | undefined = start
    let place: Place | undefined
    while (item) {
      if (places.has(item)) {
        place = places.get(item)
        break
      }
      const own = ownPlace(item)
      if (own) {
        place = own
        break
      }
      chain.add(item)
      const neighbour: Y.ID | null = item.origin ?? item.rightOrigin
      if (neighbour === null) break
      const inUpdate = findInUpdate(neighbour)
      // An item of the update that is its own neighbour (or a loop of them) has no place.
      item = inUpdate instanceof Y.Item ? (chain.has(inUpdate) ? undefined : inUpdate) : findInDoc(doc, neighbour)
    }
    for (const link of chain) places.set(link, place)
    return place
  }

  /** Per client, the last clocks of items that another item of the update follows [6]. */
  const followed = new Map<number, Set<number>>()
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item) || struct.origin === null || struct.rightOrigin !== null) continue
    // Only a wholly new item is placed by the origin it states [6].
    if (struct.id.clock < Y.getState(doc.store, struct.id.client)) continue
    const { client, clock } = struct.origin
    // An origin at or after the item itself is no predecessor (placeOf refuses such a loop).
    if (client === struct.id.client && clock >= struct.id.clock) continue
    const clocks = followed.get(client) ?? new Set<number>()
    clocks.add(clock)
    followed.set(client, clocks)
  }
  /** Whether Yjs will place another item of this update right of all of `item` [6]. */
  const superseded = (item: Y.Item) => followed.get(item.id.client)?.has(item.id.clock + item.length - 1) === true
  /** The update's own delete set, sorted and merged so that it can be searched [7]. */
  const ownDeletions = Y.mergeDeleteSets([decoded.ds])
  /** Whether the update's delete set removes the last of `item`, which a value would be. */
  const deletesItsEnd = (item: Y.Item) =>
    Y.isDeleted(ownDeletions, Y.createID(item.id.client, item.id.clock + item.length - 1))

  const written = new Map<string, StoredRecord>()
  const values = new Map<string, (StoredRecord | null)[]>()
  const deleted = new Set<string>()
  const metaKeys = new Set<string>()
  const metaValues = new Map<string, unknown[]>()
  const refuse = (message: string): UpdateInspection => ({ ok: false, reason: 'invalid-record', message })
  for (const struct of decoded.structs) {
    if (!(struct instanceof Y.Item)) continue // GC and Skip carry no content
    // [1] Already in the document: Yjs skips it, and so do we.
    if (struct.id.clock + struct.length <= Y.getState(doc.store, struct.id.client)) continue
    const place = placeOf(struct)
    // [2] An item we cannot place depends on changes this server never accepted.
    if (!place) return { ok: false, reason: 'missing', message: 'Update depends on changes the server does not have.' }
    if (place.root === null || !ROOTS.includes(place.root)) return refuse('Update writes outside the board layout.')
    if (place.key === null) return refuse('Roots are maps; list inserts are refused.')
    const content = struct.content
    if (!(content instanceof Y.ContentAny) && !(content instanceof Y.ContentDeleted)) {
      return refuse('Only plain JSON values may be stored.')
    }
    // [3] Any item under a key replaces the key's current value, even one whose content is
    // already deleted; every value it carries may be the one Yjs keeps, unless another item
    // of the update follows it [6]; and one whose end the update deletes leaves the key
    // deleted [7]. A key left without candidates counts as deleted (`checkChange`, `judgeMeta`).
    const candidate = !superseded(struct)
    const endsDeleted = content instanceof Y.ContentDeleted || deletesItsEnd(struct)
    const key = place.key
    if (place.root === META_ROOT) {
      metaKeys.add(key)
      if (!candidate) continue
      const candidates = metaValues.get(key) ?? []
      metaValues.set(key, candidates)
      if (content instanceof Y.ContentAny) candidates.push(...content.arr)
      if (endsDeleted) candidates.push(undefined)
      continue
    }
    deleted.add(key)
    const records: StoredRecord[] = []
    for (const value of content instanceof Y.ContentAny ? content.arr : []) {
      const record = decodeRecord(value, key)
      if (!record) return refuse(`Not a valid record for ${key}.`)
      records.push(record)
    }
    if (!candidate) continue
    const candidates = values.get(key) ?? []
    values.set(key, candidates)
    for (const record of records) {
      candidates.push(record)
      written.set(key, record)
    }
    if (endsDeleted) candidates.push(null)
  }

  const records = doc.share.get(RECORDS_ROOT)
  const meta = doc.share.get(META_ROOT)
  for (const [client, ranges] of decoded.ds.clients) {
    const known = Y.getState(doc.store, client)
    const inUpdate = (byClient.get(client) ?? []).reduce((end, s) => Math.max(end, s.id.clock + s.length), 0)
    const structs = doc.store.clients.get(client) ?? []
    for (const { clock, len } of ranges) {
      // [4] Deleting what nobody has yet would delete it the moment it arrives.
      if (clock + len > Math.max(known, inUpdate))
        return { ok: false, reason: 'missing', message: 'Update deletes changes the server does not have.' }
      const end = Math.min(clock + len, known)
      if (clock >= end) continue // only this update's own new items, checked above
      for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
        const struct = structs[i]
        if (struct.id.clock >= end) break
        if (!(struct instanceof Y.Item) || struct.deleted || !struct.parentSub) continue
        if (struct.parent === records) deleted.add(struct.parentSub)
        else if (struct.parent === meta) metaKeys.add(struct.parentSub)
      }
    }
  }
  return { ok: true, written, values, deleted, metaKeys, metaValues }
}

// [1] A client may resend what the server already has (a sync step 2 computed from an
//     older state vector); checking it again would refuse a change someone else made.
// [2] Yjs would keep such an item pending and integrate it, unchecked, when its origin
//     arrives. Well-behaved clients only build on what they got from the server.
// [3] A crafted update can delete a key's value with an item whose content is already
//     deleted, or carry two values for one key of which Yjs keeps the one from the higher
//     client id. So every item counts as a write to its key, and every value that may end
//     up under it is checked.
// [4] Yjs keeps such a deletion pending and applies it to a later, checked, update.
// [5] Items typed one after another name only their left neighbour, not their map: the
//     place of a run of n items is found by walking back to the first, once, not n times
//     (which was n² steps for one long run).
// [6] A map write's new item has the key's previous value as its `origin` (its last id),
//     and `Item.integrate` places an item right of its origin, never left; only the
//     rightmost item under a key is its value. So an item another one follows is
//     overwritten within this very update and can never be the value Yjs keeps: two
//     offline edits of one record arrive as the first (already deleted) and the second,
//     and only the second is checked. Only this update's wholly new items count: an item
//     of the document follows only what the document holds, which Yjs skips [1]; a struct
//     the document holds (in part) is skipped, or integrated after its held part, whatever
//     origin it states. An item with a right origin is not counted either: next to a GC
//     struct it would become one instead of an item, and a map write never has one. Two
//     items from two clients that both follow the key's old value follow neither each
//     other: both are checked.
// [7] The delete set is applied after the items: a new value whose last clock it deletes
//     leaves the key deleted, as an item whose content is already deleted does (a client
//     without garbage collection sends those). Sorted and merged, since `isDeleted`
//     searches by halves and a crafted delete set need be neither.
// [8] The gate decodes an update once (`server/room/identity.ts`) and passes what it
//     decoded; given bytes, as the tests do, this decodes them itself.

function findInDoc(doc: Y.Doc, id: Y.ID): Y.Item | undefined {
  const structs = doc.store.clients.get(id.client)
  if (!structs || id.clock >= Y.getState(doc.store, id.client)) return undefined
  const struct = structs[Y.findIndexSS(structs, id.clock)]
  return struct instanceof Y.Item ? struct : undefined
}
