/**
 * The history under a board: seeking (nearest checkpoint + replay) gives the board as it
 * was after any row, playback sends only what changed, retention thins old history to one
 * checkpoint a day and still shows each day's end, compaction checkpoints the history, and
 * the hooks save a version when a long session ends and when an iteration does.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getMetaMap, getRecordsMap, setRecord } from '../../shared/doc.ts'
import { META_ITERATIONS_KEY } from '../../shared/iterations.ts'
import { shapeRecord } from '../../tests/helpers/records.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import { silentLogger } from '../log.ts'
import { fakeSocket } from '../room/fake-socket.ts'
import { unknownBrowser } from '../room/identity.ts'
import { Room } from '../room/room.ts'
import { MemoryStore } from '../store/memory.ts'
import { HistoryHooks } from './hooks.ts'
import { documentAt, ReplayCursors, seqAtTime } from './replay.ts'
import { pruneHistory } from './retention.ts'
import { recordsOf, restoreChange } from './versions.ts'

const BOARD = 'board-0001'
const HOUR = 60 * 60 * 1000
const DAY = 24 * HOUR
const hashes = { facilitator: 'f', participant: 'p', display: 'd' }

/** A store with a board whose history is `count` shapes added one row each, `stepMs` apart. */
function boardWithHistory(count: number, stepMs: number, checkpointEvery = 10) {
  const clock = { now: Date.parse('2026-03-02T08:00:00.000Z') }
  const store = new MemoryStore(() => clock.now)
  store.createBoard({ id: BOARD, name: 'Test', created: new Date(clock.now).toISOString() }, hashes)
  const doc = new Y.Doc()
  const states: { seq: number; at: number; ids: string[] }[] = []
  let lastUpdate: Uint8Array | null = null
  doc.on('update', (update: Uint8Array) => {
    lastUpdate = update
  })
  for (let i = 0; i < count; i++) {
    clock.now += stepMs
    doc.transact(() => {
      setRecord(getRecordsMap(doc), shapeRecord(`shape:s${i}`))
      if (i % 7 === 6) getRecordsMap(doc).delete(`shape:s${i - 3}`) // some deletes too
    })
    if (!lastUpdate) throw new Error('no update')
    const seq = store.appendUpdates(BOARD, [lastUpdate])
    states.push({ seq, at: clock.now, ids: [...getRecordsMap(doc).keys()].sort() })
    if ((i + 1) % checkpointEvery === 0) store.compact(BOARD, Y.encodeStateAsUpdate(doc), seq, { checkpoint: true })
  }
  store.compact(BOARD, Y.encodeStateAsUpdate(doc), states.at(-1)?.seq ?? 0)
  return { store, clock, doc, states }
}

const idsOf = (doc: Y.Doc) => [...getRecordsMap(doc).keys()].sort()

describe('seeking in the history', () => {
  it('gives the board after any row: checkpoint plus replay, by row or by time', () => {
    const { store, states } = boardWithHistory(45, 60_000)
    expect(store.listCheckpoints(BOARD)).toHaveLength(4)
    for (const state of states) {
      const doc = documentAt(store, BOARD, state.seq)
      expect(idsOf(doc), `after row ${state.seq}`).toEqual(state.ids)
      doc.destroy()
    }
    const middle = states[20]
    expect(seqAtTime(store, BOARD, middle.at + 30_000)).toBe(middle.seq)
    expect(seqAtTime(store, BOARD, 0)).toBe(0)
    expect(idsOf(documentAt(store, BOARD, 0))).toEqual([])
  })

  it('plays forward sending only what changed, and the sum is the board at each moment', () => {
    const { store, states } = boardWithHistory(45, 60_000)
    const cursors = new ReplayCursors(store)
    const watcher = new Y.Doc()
    Y.applyUpdate(watcher, cursors.update(BOARD, states[0].seq))
    let whole = 0
    let sent = 0
    for (let i = 1; i < states.length; i++) {
      const delta = cursors.update(BOARD, states[i].seq, states[i - 1].seq)
      Y.applyUpdate(watcher, delta)
      sent += delta.length
      whole += cursors.update(BOARD, states[i].seq).length
      expect(idsOf(watcher), `frame ${i}`).toEqual(states[i].ids)
    }
    expect(sent).toBeLessThan(whole / 3)
    // Seeking back gives the whole board as it was.
    const back = new Y.Doc()
    Y.applyUpdate(back, cursors.update(BOARD, states[5].seq))
    expect(idsOf(back)).toEqual(states[5].ids)
  })
})

describe('retention', () => {
  it('thins history older than the days kept to one checkpoint a day, each the board at that day’s end', () => {
    // 40 rows, one every three hours: five days.
    const { store, clock, doc, states } = boardWithHistory(40, 3 * HOUR, 1000)
    clock.now = states.at(-1)?.at ?? 0
    const cutoff = Math.floor((clock.now - 2 * DAY) / DAY) * DAY
    const old = states.filter((state) => state.at < cutoff)
    expect(old.length).toBeGreaterThan(10)
    const removed = pruneHistory(store, BOARD, 2, clock.now)
    expect(removed).toBe(old.length)
    expect(store.historyInfo(BOARD).rows).toBe(states.length - old.length)
    // One checkpoint per pruned day, at its last row.
    const dayEnds = old.filter((state, i) => Math.floor(state.at / DAY) !== Math.floor((old[i + 1]?.at ?? 0) / DAY))
    expect(store.listCheckpoints(BOARD).map((c) => c.seq)).toEqual(dayEnds.map((state) => state.seq))
    for (const end of dayEnds) {
      const seq = seqAtTime(store, BOARD, end.at + HOUR) // later that day, before the next: the day's end
      expect(idsOf(documentAt(store, BOARD, seq))).toEqual(end.ids)
    }
    // The rows kept replay on top of the last day's end, to the board as it is.
    expect(idsOf(documentAt(store, BOARD, states.at(-1)?.seq ?? 0))).toEqual(idsOf(doc))
    // What a room loads is untouched, and a second run has nothing to do.
    const loaded = new Y.Doc()
    const stored = store.loadDocument(BOARD)
    for (const update of [stored.snapshot, ...stored.updates]) if (update) Y.applyUpdate(loaded, update)
    expect(idsOf(loaded)).toEqual(idsOf(doc))
    expect(pruneHistory(store, BOARD, 2, clock.now)).toBe(0)
  })
})

/** A room on a new board, with the history hooks on a clock the test moves. */
function roomWithHooks(options: { sessionMs?: number; created?: string; start?: string } = {}) {
  const clock = { now: Date.parse(options.start ?? '2026-01-07T09:00:00.000Z') }
  const store = new MemoryStore(() => clock.now)
  store.createBoard(
    { id: BOARD, name: 'Test', created: options.created ?? new Date(clock.now).toISOString() },
    hashes,
    initialDocumentUpdate('Test'),
  )
  const hooks = new HistoryHooks(store, silentLogger, {
    sessionMs: options.sessionMs ?? HOUR,
    historyDays: 90,
    now: () => clock.now,
  })
  const open = () => new Room(BOARD, store, silentLogger, {}, { hooks: [hooks] })
  return { store, clock, open }
}

/** Writes `change` into the room as a facilitator's change through the gate. */
function change(room: Room, write: (doc: Y.Doc) => void): void {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
  const before = Y.encodeStateVector(copy)
  write(copy)
  const result = room.applyServerChange(
    { role: 'facilitator', layerId: null, secretHash: unknownBrowser() },
    Y.encodeStateAsUpdate(copy, before),
  )
  if (!result.ok) throw new Error(`change refused: ${JSON.stringify(result)}`)
}

describe('automatic versions', () => {
  it('saves one when the last person leaves a session of an hour or more, and none for a short one', () => {
    const { store, clock, open } = roomWithHooks()
    const room = open()
    const socket = room.connect(fakeSocket(), 'facilitator', 'f')
    change(room, (doc) => setRecord(getRecordsMap(doc), shapeRecord('shape:a')))
    clock.now += 20 * 60 * 1000
    room.disconnect(socket)
    expect(store.listVersions(BOARD)).toEqual([])

    const again = room.connect(fakeSocket(), 'facilitator', 'f')
    const other = room.connect(fakeSocket(), 'participant', 'p')
    change(room, (doc) => setRecord(getRecordsMap(doc), shapeRecord('shape:b')))
    clock.now += 61 * 60 * 1000
    room.disconnect(again)
    expect(store.listVersions(BOARD)).toEqual([]) // someone is still there
    room.disconnect(other)
    const versions = store.listVersions(BOARD)
    expect(versions).toMatchObject([{ kind: 'auto', trigger: 'session', createdByRole: null }])
    const saved = store.loadVersion(BOARD, versions[0].id)
    if (!saved) throw new Error('no version')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, saved.state)
    expect(recordsOf(doc).map((r) => r.id)).toContain('shape:b')
    room.destroy()
  })

  it('saves the board as it was at an iteration’s end, once, when the next iteration has begun', () => {
    const { store, clock, open } = roomWithHooks({ start: '2026-01-07T09:00:00' })
    const first = open()
    change(first, (doc) => {
      getMetaMap(doc).set(META_ITERATIONS_KEY, { weeks: 2, firstStart: '2026-01-05' })
      setRecord(getRecordsMap(doc), shapeRecord('shape:in-iteration-1'))
    })
    first.destroy()
    expect(store.listVersions(BOARD)).toEqual([])

    clock.now = Date.parse('2026-01-20T10:00:00') // iteration 2 began on the 19th
    const second = open()
    change(second, (doc) => setRecord(getRecordsMap(doc), shapeRecord('shape:in-iteration-2')))
    const versions = store.listVersions(BOARD)
    expect(versions).toMatchObject([{ name: 'Iteratie 1 · 5–18 jan', kind: 'auto', trigger: 'iteration' }])
    expect(versions[0].created).toBe(new Date(2026, 0, 19).toISOString())
    const saved = store.loadVersion(BOARD, versions[0].id)
    if (!saved) throw new Error('no version')
    const doc = new Y.Doc()
    Y.applyUpdate(doc, saved.state)
    const ids = recordsOf(doc).map((r) => r.id)
    expect(ids).toContain('shape:in-iteration-1')
    expect(ids).not.toContain('shape:in-iteration-2')
    second.destroy()
    open().destroy()
    expect(store.listVersions(BOARD)).toHaveLength(1) // once
  })
})

describe('checkpoints from compaction', () => {
  it('checkpoints the history every so many rows and when the room is released', () => {
    const store = new MemoryStore()
    store.createBoard(
      { id: BOARD, name: 'Test', created: new Date().toISOString() },
      hashes,
      initialDocumentUpdate('Test'),
    )
    const room = new Room(BOARD, store, silentLogger, { checkpointEveryRows: 3 })
    for (let i = 0; i < 7; i++) {
      change(room, (doc) => setRecord(getRecordsMap(doc), shapeRecord(`shape:c${i}`)))
      room.compact()
    }
    expect(store.listCheckpoints(BOARD)).toHaveLength(2) // after rows 3 and 6 of the room's 8
    room.destroy()
    expect(store.listCheckpoints(BOARD)).toHaveLength(3) // and the last one, as the room left
    const last = store.historyInfo(BOARD).lastSeq
    expect(store.listCheckpoints(BOARD).at(-1)?.seq).toBe(last)
    expect(idsOf(documentAt(store, BOARD, last)).filter((id) => id.startsWith('shape:c'))).toHaveLength(7)
  })
})

describe('the restore change', () => {
  it('sets and deletes records to match, restores the iteration rhythm, and leaves live settings alone', () => {
    const version = new Y.Doc()
    version.transact(() => {
      setRecord(getRecordsMap(version), shapeRecord('shape:kept'))
      setRecord(getRecordsMap(version), shapeRecord('shape:gone-since'))
      getMetaMap(version).set(META_ITERATIONS_KEY, { weeks: 2, firstStart: '2026-01-05' })
      getMetaMap(version).set('control', { by: 'then' })
    })
    const live = new Y.Doc()
    Y.applyUpdate(live, Y.encodeStateAsUpdate(version))
    live.transact(() => {
      setRecord(getRecordsMap(live), { ...shapeRecord('shape:kept'), x: 99 })
      getRecordsMap(live).delete('shape:gone-since')
      setRecord(getRecordsMap(live), shapeRecord('shape:new'))
      getMetaMap(live).set(META_ITERATIONS_KEY, { weeks: 3, firstStart: '2026-02-02' })
      getMetaMap(live).set('control', { by: 'now' })
      getMetaMap(live).set('timer', { running: true })
    })
    const change = restoreChange(live, version)
    if (!change) throw new Error('no change')
    expect(change.changed).toBe(3)
    for (const update of change.updates) Y.applyUpdate(live, update)
    expect(recordsOf(live)).toEqual(recordsOf(version))
    expect(getMetaMap(live).get(META_ITERATIONS_KEY)).toEqual({ weeks: 2, firstStart: '2026-01-05' })
    expect(getMetaMap(live).get('control')).toEqual({ by: 'now' })
    expect(getMetaMap(live).get('timer')).toEqual({ running: true })
    expect(restoreChange(live, version)).toBeNull()
  })
})
