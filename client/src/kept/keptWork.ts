/**
 * Kept work on one open board: nothing this browser drew is lost when the server refuses a
 * change of ours.
 *
 * 1. Refused (`keep`, called by `boardState` before it throws the local copy away and
 *    reloads): the whole local copy goes to the device's kept store (`storage.ts`), with
 *    what the server said.
 * 2. The next load (`resume`), once the server's copy is in: the kept copy's changes are
 *    sorted with the server's rules (`changes.ts`). What the server takes is written again
 *    at once, as this page's own change, in slices. What waits (a layer locked while the
 *    person was offline) is parked on the device; what the server never takes (an invalid
 *    or too large record) is dropped, and the person is told why.
 * 3. Parked changes are tried again whenever a layer changes (unlocked, say) and written as
 *    soon as they are allowed. Changes the full board could not take wait for the person's
 *    "try again" instead: the page cannot know when the board has room.
 *
 * The written changes are new structs of this page's client id, so the server judges them
 * like any other change; the refused structs are never sent again.
 */
import { atom, isEqual, type Signal } from 'tldraw'
import * as Y from 'yjs'
import { encodeRecord, getRecordsMap, recordKind, type StoredValue } from '../../../shared/doc.ts'
import { layerOfShape, type WriteScope } from '../../../shared/layers.ts'
import { CloseCode } from '../../../shared/protocol.ts'
import { sliceChange } from '../../../shared/slices.ts'
import {
  countChanges,
  decodeChanges,
  encodeChanges,
  keptChanges,
  mergeChanges,
  NO_CHANGES,
  type RecordChanges,
  type Refusal,
  sortKept,
} from './changes.ts'
import { type KeptEntry, readKept, writeKept } from './storage.ts'

export interface KeptWorkOptions {
  boardId: string
  doc: Y.Doc
  scope: WriteScope
  /** Resolves once the server's copy of the board is in `doc`. */
  whenServerSynced: () => Promise<void>
}

/** What the person is told about their kept work. */
export interface KeptState {
  /** Changes waiting for the right to write them (a locked layer). */
  parked: number
  /** Changes the full board could not take, waiting for "try again". */
  held: number
  /** The layers the parked shapes are in. */
  layerIds: readonly string[]
}

export type KeptWork = ReturnType<typeof createKeptWork>

/** How long the page waits after a layer changed before it tries parked changes again. */
const RETRY_AFTER_MS = 300

/** The transaction origin of kept changes written back (the binding applies them to the store). */
export const KEPT_ORIGIN = { kept: true }

export function createKeptWork({ boardId, doc, scope, whenServerSynced }: KeptWorkOptions) {
  const records = getRecordsMap(doc)
  const $state = atom<KeptState>('kept work', { parked: 0, held: 0, layerIds: [] }, { isEqual })
  /** Records the server never took: how many, and the close code that said why. */
  const $dropped = atom<{ count: number; code: number } | null>('kept work dropped', null)
  let parked: RecordChanges = NO_CHANGES
  let held: RecordChanges = NO_CHANGES
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  let disposed = false

  const show = () =>
    $state.set({
      parked: countChanges(parked),
      held: countChanges(held),
      layerIds: [
        ...new Set(
          parked.puts.filter((record) => recordKind(record.id) === 'shape').map((shape) => layerOfShape(shape)),
        ),
      ],
    })

  const save = () =>
    writeKept(boardId, { parked: encodeChanges(parked), held: encodeChanges(held) }).catch((error) =>
      console.warn('[stip] could not keep the parked changes on this device', error),
    )

  /** Writes `changes` into the doc as this page's own change, in slices the server takes one by one. */
  function write(changes: RecordChanges): void {
    const puts = changes.puts.map((record) => ({ id: record.id, json: encodeRecord(record) }))
    for (const slice of sliceChange(puts, changes.removals)) {
      doc.transact(() => {
        for (const { id, json } of slice) {
          if (json === null) records.delete(id)
          else records.set(id, json)
        }
      }, KEPT_ORIGIN)
    }
  }

  /** Parked changes that are allowed now are written; the rest keep waiting. */
  function retry(): void {
    if (disposed || countChanges(parked) === 0) return
    const sorted = sortKept(doc, scope, parked, null)
    if (countChanges(sorted.apply) === 0) return
    write(sorted.apply)
    parked = sorted.park
    const dropped = countChanges(sorted.drop)
    if (dropped > 0) $dropped.set({ count: dropped, code: CloseCode.InvalidRecord })
    show()
    void save()
  }

  // [1] A layer was locked, unlocked or moved: what waited may be allowed now.
  const onRecords = (event: Y.YMapEvent<StoredValue>) => {
    if (countChanges(parked) === 0) return
    if (![...event.keysChanged].some((key) => key.startsWith('layer:'))) return
    clearTimeout(retryTimer)
    retryTimer = setTimeout(retry, RETRY_AFTER_MS)
  }
  records.observe(onRecords)

  return {
    $state: $state as Signal<KeptState>,
    $dropped: $dropped as Signal<{ count: number; code: number } | null>,

    /**
     * Keeps the whole local copy on the device before it is thrown away: the server refused
     * one of its changes (`refusal`). Throws if the device cannot store it.
     */
    async keep(refusal: Refusal): Promise<void> {
      const entry: KeptEntry = (await readKept(boardId)) ?? {}
      const copy = Y.encodeStateAsUpdate(doc)
      const refused = entry.refused ? Y.mergeUpdates([entry.refused, copy]) : copy
      await writeKept(boardId, { ...entry, refused, refusal })
    },

    /** Sorts what an earlier page kept, once the server's copy is in, and writes what may be written. */
    async resume(): Promise<void> {
      const entry = await readKept(boardId)
      if (!entry || disposed) return
      await whenServerSynced()
      if (disposed) return
      parked = decodeChanges(entry.parked)
      held = decodeChanges(entry.held)
      const fromRefused = entry.refused ? keptChanges(doc, entry.refused) : NO_CHANGES
      const sorted = sortKept(doc, scope, mergeChanges(parked, fromRefused), entry.refusal ?? null)
      write(sorted.apply)
      if (entry.refusal?.code === CloseCode.BoardTooLarge) {
        held = mergeChanges(held, sorted.park)
        parked = NO_CHANGES
      } else parked = sorted.park
      const dropped = countChanges(sorted.drop)
      if (dropped > 0) $dropped.set({ count: dropped, code: entry.refusal?.code ?? CloseCode.InvalidRecord })
      show()
      await save() // [2]
    },

    /** "Try again": the changes the full board could not take are offered once more. */
    tryHeldAgain(): void {
      if (countChanges(held) === 0) return
      const sorted = sortKept(doc, scope, held, null)
      write(sorted.apply)
      held = NO_CHANGES
      parked = mergeChanges(parked, sorted.park)
      show()
      void save()
    },

    /** "Discard": the person gives up what waits on this device. */
    discard(): void {
      parked = NO_CHANGES
      held = NO_CHANGES
      show()
      void save()
    },

    dispose(): void {
      disposed = true
      clearTimeout(retryTimer)
      records.unobserve(onRecords)
    },
  }
}

// [1] Parked changes wait on rights, and rights change with layers only: their locks,
//     their place in the tree. Other records changing cannot make them allowed.
// [2] Saved after writing: a page closed in between sorts the kept copy again next time,
//     and what it wrote is then on the board already, so it is not written twice.
