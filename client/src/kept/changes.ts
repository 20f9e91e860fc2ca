/**
 * Kept work, the pure part: what this browser's refused copy of a board would still change
 * on the board as the server has it now, and which of those changes the server will take.
 *
 * When the server refuses one of our changes it closes the socket (`REFUSED_CHANGE_CODES`),
 * and the browser must start again from the server's copy, since the refused structs are in
 * its Y.Doc for good. That must not cost the person their other work: a participant who drew
 * offline for ten minutes, in a layer the facilitator locked meanwhile, loses nothing.
 *
 * - `keptChanges`: the record changes the refused copy makes to the board now, merged the
 *   way Yjs would merge them (a scratch doc: the board, then the whole refused copy; what
 *   the server already holds is skipped by Yjs itself), so nobody else's newer work is
 *   undone.
 * - `sortKept`: splits them, with the server's own rules (`shared/rights.ts` on the whole
 *   change, as the gate judges it; `checkRecord` of the Stip schema), into what is sent
 *   again now, what waits on this device until the person may write it again (a locked
 *   layer: "parked"), and what the server will never take (an invalid or too large record:
 *   dropped, with a notice). Whatever depends on a parked record (a binding to a parked
 *   shape, a shape inside a parked frame or group) waits with it.
 */
import * as Y from 'yjs'
import { decodeRecord, encodeRecord, getRecordsMap, recordKind, type StoredRecord } from '../../../shared/doc.ts'
import { isLayerId, type LayerRecord, type WriteScope } from '../../../shared/layers.ts'
import { CloseCode } from '../../../shared/protocol.ts'
import { checkChange } from '../../../shared/rights.ts'
import { checkRecord } from '../../../shared/schema/index.ts'

/** Record writes: new values, and ids removed. */
export interface RecordChanges {
  readonly puts: readonly StoredRecord[]
  readonly removals: readonly string[]
}

export const NO_CHANGES: RecordChanges = { puts: [], removals: [] }

/** What the server said when it refused: the close code, and the record it named, if any. */
export interface Refusal {
  readonly code: number
  readonly recordId: string | null
}

export interface SortedChanges {
  /** Sent again now: the server takes all of it. */
  readonly apply: RecordChanges
  /** Kept on this device until the person may write them again. */
  readonly park: RecordChanges
  /** Never taken by the server: invalid, too large. */
  readonly drop: RecordChanges
}

/** The record changes `kept` (a whole Y.Doc as one update) makes to `board` as it is now. */
export function keptChanges(board: Y.Doc, kept: Uint8Array): RecordChanges {
  const scratch = new Y.Doc()
  Y.applyUpdate(scratch, Y.encodeStateAsUpdate(board))
  Y.applyUpdate(scratch, kept)
  const now = getRecordsMap(board)
  const merged = getRecordsMap(scratch)
  const puts: StoredRecord[] = []
  for (const [id, value] of merged) {
    if (sameValue(now.get(id), value)) continue
    const record = decodeRecord(value, id)
    // Not a record at all (a value only an old or broken client writes): nothing to keep.
    if (record) puts.push(record)
  }
  const removals = [...now.keys()].filter((id) => !merged.has(id))
  scratch.destroy()
  return { puts, removals }
}

/** Whether two stored values hold the same record (older boards store objects). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'string' || typeof b === 'string' || a === undefined || b === undefined) return false
  return JSON.stringify(a) === JSON.stringify(b)
}

/** Every layer of `board`'s records. */
export function layersOf(board: Y.Doc): Map<string, LayerRecord> {
  const layers = new Map<string, LayerRecord>()
  for (const [id, value] of getRecordsMap(board)) {
    if (!isLayerId(id)) continue
    const record = decodeRecord(value, id)
    if (record) layers.set(id, record as unknown as LayerRecord)
  }
  return layers
}

/** Close codes about one record the server will never take, whoever sends it. */
const NEVER_TAKEN: readonly number[] = [CloseCode.InvalidRecord, CloseCode.RecordTooLarge]

/**
 * Splits `changes` into what the server takes now (the whole `apply` passes `checkChange`
 * for `scope` on `board`, as one change), what is parked and what is dropped. `refusal`:
 * what the server said last time, so the record it named is never sent again as it was.
 */
export function sortKept(
  board: Y.Doc,
  scope: WriteScope,
  changes: RecordChanges,
  refusal: Refusal | null,
): SortedChanges {
  const records = getRecordsMap(board)
  const current = (id: string) => decodeRecord(records.get(id), id)
  const drop: RecordChanges = { puts: [], removals: [] }
  const puts = new Map<string, StoredRecord>()
  const removals = new Set<string>()
  const parkedPuts = new Map<string, StoredRecord>()
  const parkedRemovals = new Set<string>()
  const named = refusal?.recordId ?? null
  for (const record of changes.puts) {
    if (!checkRecord(record).ok || (record.id === named && NEVER_TAKEN.includes(refusal?.code ?? 0))) {
      ;(drop.puts as StoredRecord[]).push(record)
    } else if (record.id === named || refusal?.code === CloseCode.BoardTooLarge) {
      parkedPuts.set(record.id, record) // a full board takes deletions, and nothing new
    } else puts.set(record.id, record)
  }
  for (const id of changes.removals) {
    if (id === named) parkedRemovals.add(id)
    else removals.add(id)
  }

  const park = (id: string) => {
    const record = puts.get(id)
    if (record) {
      puts.delete(id)
      parkedPuts.set(id, record)
    } else if (removals.delete(id)) parkedRemovals.add(id)
  }
  const layers = layersOf(board)
  for (;;) {
    parkDependents(puts, parkedPuts, park)
    const verdict = checkChange(scope, {
      before: current,
      layers,
      written: puts,
      deleted: new Set([...removals, ...[...puts.keys()].filter((id) => records.has(id))]),
    })
    if (verdict.ok) break
    if (!puts.has(verdict.recordId) && !removals.has(verdict.recordId)) {
      // Refused for no record of ours (the link is read-only now): all of it waits.
      for (const id of [...puts.keys(), ...removals]) park(id)
      break
    }
    park(verdict.recordId)
  }
  return {
    apply: { puts: [...puts.values()], removals: [...removals] },
    park: { puts: [...parkedPuts.values()], removals: [...parkedRemovals] },
    drop,
  }
}

/** Parks, until nothing changes, what refers to a parked shape: its bindings and children. */
function parkDependents(
  puts: ReadonlyMap<string, StoredRecord>,
  parked: ReadonlyMap<string, StoredRecord>,
  park: (id: string) => void,
): void {
  for (let changed = true; changed; ) {
    changed = false
    for (const record of [...puts.values()]) {
      const refs = referencesOf(record)
      if (refs.some((id) => parked.has(id))) {
        park(record.id)
        changed = true
      }
    }
  }
}

/** The other records `record` needs: a shape's parent shape, a binding's two shapes. */
function referencesOf(record: StoredRecord): string[] {
  const fields = record as StoredRecord & { parentId?: unknown; fromId?: unknown; toId?: unknown }
  const kind = recordKind(record.id)
  if (kind === 'shape' && typeof fields.parentId === 'string') return [fields.parentId]
  if (kind === 'binding') return [fields.fromId, fields.toId].filter((id): id is string => typeof id === 'string')
  return []
}

/** `changes` as the JSON kept on the device. */
export function encodeChanges(changes: RecordChanges): { puts: string[]; removals: string[] } {
  return { puts: changes.puts.map((record) => encodeRecord(record)), removals: [...changes.removals] }
}

/** Kept JSON back as changes; anything that is not a record is left out. */
export function decodeChanges(kept: { puts?: unknown; removals?: unknown } | undefined): RecordChanges {
  const puts = Array.isArray(kept?.puts) ? kept.puts : []
  const removals = Array.isArray(kept?.removals) ? kept.removals : []
  return {
    puts: puts.map((json) => decodeRecord(json)).filter((record): record is StoredRecord => record !== undefined),
    removals: removals.filter((id): id is string => typeof id === 'string'),
  }
}

/** `later` over `earlier`: a record changed in both takes the later change. */
export function mergeChanges(earlier: RecordChanges, later: RecordChanges): RecordChanges {
  const touched = new Set([...later.puts.map((record) => record.id), ...later.removals])
  return {
    puts: [...earlier.puts.filter((record) => !touched.has(record.id)), ...later.puts],
    removals: [...earlier.removals.filter((id) => !touched.has(id)), ...later.removals],
  }
}

/** How many records `changes` touches. */
export function countChanges(changes: RecordChanges): number {
  return changes.puts.length + changes.removals.length
}
