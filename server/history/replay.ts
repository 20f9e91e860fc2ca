/**
 * The board as it was at any moment, from the stored history: the nearest checkpoint at or
 * before the moment, then the rows after it replayed in order, into a garbage-collected
 * Y.Doc (gc stays on everywhere: a replay holds the document of one moment, not its past).
 *
 * Rows are applied one by one in one transaction, not merged first: `Y.mergeUpdates` of a
 * long log keeps every deleted value and takes seconds, applying them takes milliseconds
 * (RESEARCH.md §3.2). A row that does not decode is skipped, as a room skips it.
 *
 * Playback asks for a moment after the one it has (`from` → `to`): a small cache keeps the
 * last replayed document per board (`ReplayCursors`), so each frame replays only the rows
 * between, and what is sent is only what changed.
 */
import * as Y from 'yjs'
import type { BoardStore } from '../store/types.ts'

/** The row the board's history had reached at time `at` (ms): a row or a checkpoint kept for it. */
export function seqAtTime(store: BoardStore, boardId: string, at: number): number {
  let seq = store.seqAt(boardId, at)
  // Pruned history keeps daily checkpoints without their rows: one of them may be nearer.
  for (const checkpoint of store.listCheckpoints(boardId))
    if (checkpoint.at <= at && checkpoint.seq > seq) seq = checkpoint.seq
  return seq
}

/** Applies `rows` to `doc` one by one, in one transaction; returns how many decoded. */
function replay(doc: Y.Doc, updates: readonly Uint8Array[]): number {
  let applied = 0
  doc.transact(() => {
    for (const update of updates) {
      try {
        Y.applyUpdate(doc, update)
        applied++
      } catch {
        // an unreadable row: left out, as a room leaves it out
      }
    }
  })
  return applied
}

/** The board's document just after row `seq` (0: as it was before its first kept row). */
export function documentAt(store: BoardStore, boardId: string, seq: number): Y.Doc {
  const doc = new Y.Doc()
  const checkpoint = store.checkpointAtOrBefore(boardId, seq)
  const rows = store.historyRows(boardId, checkpoint?.seq ?? 0, seq)
  replay(doc, [...(checkpoint ? [checkpoint.state] : []), ...rows.map((row) => row.update)])
  return doc
}

interface Cursor {
  seq: number
  doc: Y.Doc
  used: number
}

/** How many boards keep a cursor, and for how long one unused is kept. */
const MAX_CURSORS = 8
const CURSOR_IDLE_MS = 60_000

/**
 * The last replayed document per board, so playback moves forward row by row instead of
 * from a checkpoint each frame. Bounded in number and in time; each is a plain Y.Doc.
 */
export class ReplayCursors {
  private cursors = new Map<string, Cursor>()

  constructor(
    private readonly store: BoardStore,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The board after row `to`, as one Yjs update: whole, or with `from` (a row before `to`
   * whose state the caller holds) only what changed since.
   */
  update(boardId: string, to: number, from?: number): Uint8Array {
    this.expire()
    if (from !== undefined && from < to) {
      const base = this.moveTo(boardId, from)
      const vector = Y.encodeStateVector(base)
      return Y.encodeStateAsUpdate(this.moveTo(boardId, to), vector)
    }
    return Y.encodeStateAsUpdate(this.moveTo(boardId, to))
  }

  /** Forgets a board's cursor (it was erased, or restored). */
  forget(boardId: string): void {
    this.cursors.get(boardId)?.doc.destroy()
    this.cursors.delete(boardId)
  }

  private moveTo(boardId: string, seq: number): Y.Doc {
    const cursor = this.cursors.get(boardId)
    // Forward, with no checkpoint in between: replaying the rows between is the least work.
    // Anything else starts from the nearest checkpoint.
    if (cursor && cursor.seq <= seq) {
      const nearest = this.store
        .listCheckpoints(boardId)
        .filter((checkpoint) => checkpoint.seq <= seq)
        .at(-1)
      if (!nearest || nearest.seq <= cursor.seq) {
        replay(
          cursor.doc,
          this.store.historyRows(boardId, cursor.seq, seq).map((row) => row.update),
        )
        cursor.seq = seq
        cursor.used = this.now()
        return cursor.doc
      }
    }
    this.forget(boardId)
    const doc = documentAt(this.store, boardId, seq)
    this.cursors.set(boardId, { seq, doc, used: this.now() })
    if (this.cursors.size > MAX_CURSORS) {
      const oldest = [...this.cursors.entries()].sort((a, b) => a[1].used - b[1].used)[0][0]
      this.forget(oldest)
    }
    return doc
  }

  private expire(): void {
    const now = this.now()
    for (const [boardId, cursor] of this.cursors) if (now - cursor.used > CURSOR_IDLE_MS) this.forget(boardId)
  }
}
