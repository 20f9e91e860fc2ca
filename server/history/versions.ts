/**
 * Versions of a board: saving one (the whole document, garbage-collected, as one Yjs
 * update), pruning the automatic ones, and the forward change that restores one.
 *
 * Restore is a forward change, never a rewind: the server compares the version's records
 * with the live board's and writes one update that sets each record that differs and
 * deletes each record the version lacks, sent through the room's gate like any change
 * (`Room.applyServerChange`, with the facilitator's rights). So every client, connected or
 * holding an offline copy, converges on it by plain Yjs sync: the delete set names the very
 * items a cached copy still holds, so nothing the version lacks comes back when that copy
 * reconnects; a record someone creates offline afterwards is new work and stays. The board
 * just before is saved first as a `pre-restore` version, so a restore can be undone.
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
import type { AutoTrigger, VersionKind } from '../../shared/versions.ts'
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
 * The update that makes `live` hold what `version` holds (records and restored meta keys),
 * built on a copy of `live` under a client id of its own: exactly the sets and deletes of
 * that one transaction. Null when nothing differs. `changed` counts the records it sets or deletes.
 */
export function restoreChange(live: Y.Doc, version: Y.Doc): { update: Uint8Array; changed: number } | null {
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(live))
    const records = getRecordsMap(copy)
    const wanted = new Map(recordsOf(version).map(({ id, record }) => [id, record]))
    const meta = getMetaMap(copy)
    const wantedMeta = getMetaMap(version)
    let changed = 0
    let update: Uint8Array | null = null
    copy.on('update', (bytes: Uint8Array) => {
      update = bytes
    })
    copy.transact(() => {
      for (const [id, record] of wanted) {
        const current = decodeRecord(records.get(id), id)
        if (current && JSON.stringify(current) === JSON.stringify(record)) continue
        records.set(id, encodeRecord(record as { id: string; typeName: string }))
        changed++
      }
      for (const id of [...records.keys()]) {
        if (wanted.has(id)) continue
        records.delete(id)
        changed++
      }
      for (const key of RESTORED_META) {
        const value = wantedMeta.get(key)
        if (value === undefined) {
          if (meta.has(key)) meta.delete(key)
        } else if (JSON.stringify(meta.get(key)) !== JSON.stringify(value)) meta.set(key, value)
      }
    })
    return update ? { update, changed } : null
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
 * as it is as a `pre-restore` version, then applies the forward change through the gate.
 * If the gate or the store refuses it, the pre-restore version is taken back: nothing changed.
 */
export function restoreVersion(store: BoardStore, room: Room, versionId: string, role: Role): RestoreResult {
  const found = store.loadVersion(room.boardId, versionId)
  if (!found) return { ok: false, reason: 'not-found' }
  const version = docOf(found.state)
  try {
    const change = restoreChange(room.doc, version)
    if (!change) return { ok: false, reason: 'unchanged' }
    const preRestore = saveVersionOf(store, room.boardId, room.doc, {
      name: `Voor herstel van “${found.row.name}”`,
      kind: 'pre-restore',
      role,
    })
    const result = room.applyServerChange({ role, layerId: null, secretHash: unknownBrowser() }, change.update)
    if (!result.ok) {
      store.deleteVersion(room.boardId, preRestore.id)
      return result
    }
    return { ok: true, preRestore, changed: change.changed, durable: result.durable }
  } finally {
    version.destroy()
  }
}
