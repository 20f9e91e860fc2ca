/**
 * How long the full history is kept: every row for `STIP_HISTORY_DAYS` days, then one
 * checkpoint per day (the board as it was at the end of each day it changed), so replay
 * still shows how an old board grew, day by day, while its disk cost stops growing with
 * every stroke. Days are UTC days.
 *
 * Pruning runs when a room is released (after its last compaction, so the snapshot covers
 * every row) and only ever removes rows the snapshot covers: what a room loads is never
 * touched. A board with a row that does not decode is left exactly as it is. The day-end checkpoints are made by replaying the rows about to go, from the
 * checkpoint before them (or from nothing, for a board whose history is whole).
 */
import * as Y from 'yjs'
import type { BoardStore } from '../store/types.ts'

const DAY_MS = 24 * 60 * 60 * 1000

export const DEFAULT_HISTORY_DAYS = 90

/** Thins the board's history older than `keepDays` to daily checkpoints. Returns rows removed. */
export function pruneHistory(store: BoardStore, boardId: string, keepDays: number, now: number = Date.now()): number {
  const cutoff = Math.floor((now - keepDays * DAY_MS) / DAY_MS) * DAY_MS // the start of a UTC day
  const lastOld = store.seqAt(boardId, cutoff - 1)
  if (lastOld === 0) return 0
  const snapshotCovers = store.loadDocument(boardId).lastSeq
  const covered = store.historyRows(boardId, 0, Math.min(lastOld, snapshotCovers))
  // Only the old rows before the first recent one go: a row stored with a wrong time (a
  // restored copy, a hand-made row) never takes the recent history before it along.
  const firstRecent = covered.findIndex((row) => row.at >= cutoff)
  const rows = firstRecent < 0 ? covered : covered.slice(0, firstRecent)
  if (rows.length === 0) return 0
  const checkpoints = store.listCheckpoints(boardId)
  const existing = new Set(checkpoints.map((checkpoint) => checkpoint.seq))
  // The last row of each day among those that go.
  const dayEnds = new Set<number>()
  rows.forEach((row, i) => {
    const next = rows[i + 1]
    if (!next || Math.floor(next.at / DAY_MS) !== Math.floor(row.at / DAY_MS)) dayEnds.add(row.seq)
  })
  const base = store.checkpointAtOrBefore(boardId, rows[0].seq - 1)
  // Every checkpoint is made before anything is written.
  const made: { seq: number; state: Uint8Array }[] = []
  const doc = new Y.Doc()
  try {
    if (base) Y.applyUpdate(doc, base.state)
    for (const row of rows) {
      try {
        Y.applyUpdate(doc, row.update)
      } catch {
        // A row that does not decode opens the board read-only, its stored bytes kept for
        // the administrator: nothing of such a board is thinned either.
        return 0
      }
      if (dayEnds.has(row.seq) && !existing.has(row.seq)) made.push({ seq: row.seq, state: Y.encodeStateAsUpdate(doc) })
    }
  } finally {
    doc.destroy()
  }
  for (const checkpoint of made) store.addCheckpoint(boardId, checkpoint.seq, checkpoint.state)
  const before = rows[0].seq
  const keep = [...dayEnds, ...checkpoints.filter((checkpoint) => checkpoint.seq < before).map((c) => c.seq)]
  const last = rows.at(-1)?.seq ?? 0
  store.pruneHistory(boardId, last + 1, keep)
  return rows.length
}
