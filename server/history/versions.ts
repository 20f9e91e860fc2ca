/**
 * Versions of a board: saving one (the whole document, garbage-collected, as one Yjs
 * update), pruning the automatic ones, and the forward change that restores one.
 *
 * Restore is a forward change, never a rewind: the server compares the version's records
 * with the live board's and writes the updates that set each record that differs and
 * delete each record the version lacks, in slices as a client sends a big change, sent
 * through the room's gate like any change (`Room.applyServerChange`, with the
 * facilitator's rights), one per turn. So every client, connected or holding an offline
 * copy, converges on it by plain Yjs sync: the delete set names the very items a cached
 * copy still holds, so nothing the version lacks comes back when that copy reconnects; a
 * record someone creates offline afterwards is new work and stays. The board just before
 * is saved first as a `pre-restore` version, so a restore can be undone.
 *
 * Only the board's content is restored: its records and `meta.iterations`. Every other
 * `meta` key stays as it is live: the schema (the live records are at it), and the
 * session's live settings — the wall display, the timer, take control, spotlight, a vote
 * round — which are not content: restoring a version saved while control was taken must
 * not take it again.
 */
import * as Y from 'yjs'
import { decodeRecord, encodeRecord, getMetaMap, getRecordsMap } from '../../shared/doc.ts'
import { META_ITERATIONS_KEY } from '../../shared/iterations.ts'
import type { Role } from '../../shared/roles.ts'
import { sliceChange } from '../../shared/slices.ts'
import type { AutoTrigger, VersionKind } from '../../shared/versions.ts'
import { judgeCost } from '../room/effect.ts'
import { unknownBrowser } from '../room/identity.ts'
import type { Room, ServerChangeResult } from '../room/room.ts'
import type { BoardStore, VersionRow } from '../store/types.ts'

/** Automatic versions of each trigger kept per board (newest first); named ones are never pruned. */
export const KEEP_SESSION_VERSIONS = 20
export const KEEP_PRE_RESTORE_VERSIONS = 20

/** The `meta` keys a restore sets back: the board's content; the rest are live settings. */
const RESTORED_META: readonly string[] = [META_ITERATIONS_KEY]

/** Saves `doc` as a version, then prunes the automatic versions beyond what is kept. */
export function saveVersionOf(
  store: BoardStore,
  boardId: string,
  doc: Y.Doc,
  version: { name: string; kind: VersionKind; trigger?: AutoTrigger; role: Role | null; created?: string },
): VersionRow {
  const row = store.saveVersion(boardId, {
    name: version.name,
    kind: version.kind,
    trigger: version.trigger ?? null,
    createdByRole: version.role,
    state: Y.encodeStateAsUpdate(doc),
    created: version.created,
  })
  pruneVersions(store, boardId)
  return row
}

/**
 * Keeps the newest `KEEP_SESSION_VERSIONS` session versions and `KEEP_PRE_RESTORE_VERSIONS`
 * pre-restore ones; every named version and every iteration's version stays.
 */
export function pruneVersions(store: BoardStore, boardId: string): void {
  const versions = store.listVersions(boardId).reverse() // newest first
  const sessions = versions.filter((v) => v.kind === 'auto' && v.trigger === 'session')
  const preRestore = versions.filter((v) => v.kind === 'pre-restore')
  for (const old of [...sessions.slice(KEEP_SESSION_VERSIONS), ...preRestore.slice(KEEP_PRE_RESTORE_VERSIONS)])
    store.deleteVersion(boardId, old.id)
}

/** The records of a version's state (or any stored document), decoded, sorted by id. */
export function recordsOf(doc: Y.Doc): { id: string; record: Record<string, unknown> }[] {
  const records: { id: string; record: Record<string, unknown> }[] = []
  for (const [id, value] of getRecordsMap(doc)) {
    const record = decodeRecord(value, id)
    if (record) records.push({ id, record })
  }
  return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}

/** A Y.Doc holding a stored state (a version's, a checkpoint's). */
export function docOf(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, state)
  return doc
}

/**
 * The updates that make `live` hold what `version` holds (records and restored meta keys),
 * built on a copy of `live` under a client id of its own: exactly its sets and deletes, cut
 * into the slices a client would send for so big a change (`sliceChange`: layers first,
 * bindings last, each within `CHANGE_SLICE_BYTES`), one transaction each, the meta keys
 * with the last, so the gate takes each within its bound on an update's bytes. Null when
 * nothing differs. `changed` counts the records they set or delete.
 */
export function restoreChange(live: Y.Doc, version: Y.Doc): { updates: Uint8Array[]; changed: number } | null {
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live))
    const records = getRecordsMap(copy)
    const wanted = new Map(recordsOf(version).map(({ id, record }) => [id, record]))
    const meta = getMetaMap(copy)
    const wantedMeta = getMetaMap(version)
    const puts: { id: string; json: string }[] = []
    for (const [id, record] of wanted) {
      const current = decodeRecord(records.get(id), id)
      if (current && JSON.stringify(current) === JSON.stringify(record)) continue
      puts.push({ id, json: encodeRecord(record as { id: string; typeName: string }) })
    }
    const removals = [...records.keys()].filter((id) => !wanted.has(id))
    const updates: Uint8Array[] = []
    copy.on('update', (bytes: Uint8Array) => updates.push(bytes))
    const slices = sliceChange(puts, removals)
    for (const [index, slice] of slices.entries()) {
      copy.transact(() => {
        for (const { id, json } of slice) {
          if (json === null) records.delete(id)
          else records.set(id, json)
        }
        if (index < slices.length - 1) return
        for (const key of RESTORED_META) {
          const value = wantedMeta.get(key)
          if (value === undefined) {
            if (meta.has(key)) meta.delete(key)
          } else if (JSON.stringify(meta.get(key)) !== JSON.stringify(value)) meta.set(key, value)
        }
      })
    }
    return updates.length > 0 ? { updates, changed: puts.length + removals.length } : null
  } finally {
    copy.destroy()
  }
}

export type RestoreResult =
  | { ok: true; preRestore: VersionRow; changed: number; durable: Promise<void> }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'unchanged' }
  | (Exclude<ServerChangeResult, { ok: true }> & { ok: false })

/**
 * Restores version `versionId` on the live room, as `role` (a facilitator): saves the board
 * as it is as a `pre-restore` version, then applies the forward change through the gate,
 * one slice per turn of the event loop [1]. If the gate's cost check refuses any slice, or
 * the gate or the store the first, nothing changed (the pre-restore version is taken back). One refused later (the
 * store failed meanwhile, the board filled up) leaves the board part-restored, and the
 * pre-restore version to undo it with.
 */
export async function restoreVersion(
  store: BoardStore,
  room: Room,
  versionId: string,
  role: Role,
): Promise<RestoreResult> {
  const found = store.loadVersion(room.boardId, versionId)
  if (!found) return { ok: false, reason: 'not-found' }
  const version = docOf(found.state)
  let change: ReturnType<typeof restoreChange>
  try {
    change = restoreChange(room.doc, version)
  } finally {
    version.destroy()
  }
  if (!change) return { ok: false, reason: 'unchanged' }
  // A slice too costly for the gate (a picture past today's asset limit, say) refuses the
  // whole restore before any slice is applied.
  for (const update of change.updates) {
    const cost = judgeCost(update, room.limits)
    if ('action' in cost) return { ok: false, reason: 'refused', verdict: cost }
  }
  const preRestore = saveVersionOf(store, room.boardId, room.doc, {
    name: `Voor herstel van “${found.row.name}”`,
    kind: 'pre-restore',
    role,
  })
  // One identity for all slices: they continue one client id.
  const sender = { role, layerId: null, secretHash: unknownBrowser() }
  let durable: Promise<void> = Promise.resolve()
  for (const [index, update] of change.updates.entries()) {
    if (index > 0) await new Promise((resolve) => setImmediate(resolve))
    const result = room.applyServerChange(sender, update)
    if (!result.ok) {
      if (index === 0) store.deleteVersion(room.boardId, preRestore.id)
      return result
    }
    durable = result.durable
  }
  return { ok: true, preRestore, changed: change.changed, durable }
}

// [1] Judging, applying and storing a restore of 5,000 shapes as one update held the event
//     loop for longer than the 50 ms one frame may (issue #10), and past
//     `STIP_MAX_UPDATE_BYTES` the gate refuses it. In slices, with a turn between them, every
//     socket's frames are handled in between; the slices are stored and broadcast each as
//     its own change, and clients converge on the last exactly as on one update.
