/**
 * The retention sweep: at start it thins the old history of boards nobody has open, skips
 * open ones, thins at most `maxBoards` per sweep and resumes after the last board it
 * looked at, so every board gets its turn.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, setRecord } from '../../shared/doc.ts'
import { shapeRecord } from '../../tests/helpers/records.ts'
import { silentLogger } from '../log.ts'
import { MemoryStore } from '../store/memory.ts'
import { RetentionSweep } from './sweep.ts'

const DAY = 24 * 60 * 60 * 1000
const hashes = { facilitator: 'f', participant: 'p', display: 'd' }

/** A store whose boards each have `rows` rows stored on `days` consecutive days, compacted as a release does. */
function storeWithBoards(ids: string[], days: number) {
  const clock = { now: Date.parse('2026-01-05T09:00:00.000Z') }
  const store = new MemoryStore(() => clock.now)
  const start = clock.now
  for (const id of ids) {
    clock.now = start
    store.createBoard({ id, name: id, created: new Date(clock.now).toISOString() }, hashes)
    const doc = new Y.Doc()
    let seq = 0
    for (let day = 0; day < days; day++) {
      clock.now = start + day * DAY
      const before = Y.encodeStateVector(doc)
      doc.transact(() => setRecord(getRecordsMap(doc), shapeRecord(`shape:${id}-${day}`)))
      seq = store.appendUpdates(id, [Y.encodeStateAsUpdate(doc, before)])
    }
    store.compact(id, Y.encodeStateAsUpdate(doc), seq)
  }
  return { store, clock }
}

describe(RetentionSweep, () => {
  it('thins the old history of closed boards at start, skipping open ones, a bounded number at a time', async () => {
    const { store, clock } = storeWithBoards(['board-a', 'board-b', 'board-c'], 5)
    clock.now += 200 * DAY
    const sweep = new RetentionSweep(store, silentLogger, {
      historyDays: 90,
      intervalMs: 60 * 60 * 1000,
      maxBoards: 1,
      now: () => clock.now,
      isOpen: (id) => id === 'board-b',
    })
    const first = await sweep.start()
    expect(first).toMatchObject({ thinned: 1, rows: 5 })
    expect(store.historyInfo('board-a')).toMatchObject({ rows: 0, checkpoints: 5 })
    expect(store.historyInfo('board-c').rows).toBe(5)
    // The next sweep goes on after board-a: board-b is open, board-c gets its turn.
    expect(await sweep.sweep()).toMatchObject({ thinned: 1, rows: 5 })
    expect(store.historyInfo('board-b').rows).toBe(5)
    expect(store.historyInfo('board-c')).toMatchObject({ rows: 0, checkpoints: 5 })
    // Nothing old is left on closed boards: a sweep thins nothing.
    expect(await sweep.sweep()).toMatchObject({ thinned: 0, rows: 0 })
    await sweep.stop()
  })

  it('leaves history younger than the retention alone', async () => {
    const { store, clock } = storeWithBoards(['board-a'], 5)
    clock.now += 30 * DAY
    const sweep = new RetentionSweep(store, silentLogger, {
      historyDays: 90,
      intervalMs: 60 * 60 * 1000,
      maxBoards: 10,
      now: () => clock.now,
      isOpen: () => false,
    })
    expect(await sweep.start()).toMatchObject({ looked: 1, thinned: 0 })
    expect(store.historyInfo('board-a').rows).toBe(5)
    await sweep.stop()
  })
})
