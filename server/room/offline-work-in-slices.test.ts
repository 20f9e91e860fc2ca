/**
 * What the client sends back from long offline work, in slices (`sliceUpdate`,
 * `shared/slices.ts`), judged by the real gate one slice after another against the
 * server's document: every slice is applied (none is refused or sent back for a resync),
 * none leaves anything pending, and the board ends exactly as the client's. Offline work
 * here: a browser that drew, reloaded under a new Yjs client id (whose edits build on the
 * old id's), edited and deleted some of its own shapes; and two tabs whose offline work
 * builds on each other's.
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { LAYER_TYPE, type LayerRecord } from '../../shared/layers.ts'
import { CHANGE_SLICE_BYTES, sliceUpdate } from '../../shared/slices.ts'
import { recordsSnapshot, shapeRecord } from '../../tests/helpers/records.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import { judgeUpdate } from './gate.ts'
import { ClientOwners } from './identity.ts'
import { DEFAULT_LIMITS } from './limits.ts'

const SECRET = 'b'.repeat(64)
const participant = { role: 'participant', layerId: null, secretHash: SECRET } as const

function serverBoard() {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, initialDocumentUpdate('Test'))
  const layers = new Map<string, LayerRecord>()
  const records = getRecordsMap(doc)
  for (const id of records.keys()) {
    if (id.startsWith(`${LAYER_TYPE}:`)) layers.set(id, getRecord(records, id) as unknown as LayerRecord)
  }
  return { doc, layers, owners: new ClientOwners([], (client) => client === doc.clientID) }
}

describe(sliceUpdate, () => {
  it('cuts offline work into slices that the gate applies one by one, with nothing left pending', () => {
    const board = serverBoard()
    // The browser: the board as it was, then offline work under two client ids.
    const before = new Y.Doc()
    Y.applyUpdate(before, Y.encodeStateAsUpdate(board.doc))
    const first = new Y.Doc()
    first.clientID = 7001
    Y.applyUpdate(first, Y.encodeStateAsUpdate(before))
    const records = getRecordsMap(first)
    first.transact(() => {
      for (let i = 0; i < 2_000; i++)
        records.set(`shape:o${i}`, JSON.stringify({ ...shapeRecord(`shape:o${i}`), x: i }))
    })
    // Reloaded from its local copy: a new client id, building on the first one's work.
    const second = new Y.Doc()
    second.clientID = 7002
    Y.applyUpdate(second, Y.encodeStateAsUpdate(first))
    const again = getRecordsMap(second)
    second.transact(() => {
      for (let i = 0; i < 2_000; i += 2)
        again.set(`shape:o${i}`, JSON.stringify({ ...shapeRecord(`shape:o${i}`), y: i }))
      for (let i = 1; i < 200; i += 2) again.delete(`shape:o${i}`)
    })

    // The server asks for all it lacks; the client answers in slices.
    const held = Y.decodeStateVector(Y.encodeStateVector(board.doc))
    const whole = Y.encodeStateAsUpdate(second, Y.encodeStateVector(board.doc))
    const slices = sliceUpdate(whole, held)
    expect(whole.length).toBeGreaterThan(4 * CHANGE_SLICE_BYTES)
    expect(slices.length).toBeGreaterThan(4)
    for (const slice of slices) expect(slice.length).toBeLessThan(CHANGE_SLICE_BYTES + 16 * 1024)
    expect(Math.max(...slices.map((slice) => slice.length))).toBeLessThan(DEFAULT_LIMITS.maxUpdateBytes)

    for (const [index, slice] of slices.entries()) {
      const verdict = judgeUpdate(participant, slice, board)
      expect(verdict.action, `slice ${index}`).toBe('apply')
      if (verdict.action !== 'apply') return
      Y.applyUpdate(board.doc, verdict.update)
      board.owners.claim(verdict.claims)
      expect(board.doc.store.pendingStructs, `slice ${index}`).toBeNull()
      expect(board.doc.store.pendingDs, `slice ${index}`).toBeNull()
    }
    expect(recordsSnapshot(board.doc)).toEqual(recordsSnapshot(second))
    expect(getRecordsMap(board.doc).has('shape:o1')).toBe(false)
  })

  it('orders the work of two tabs that saw each other’s offline work, each slice within the server’s bound', () => {
    const board = serverBoard()
    const tab = (client: number) => {
      const doc = new Y.Doc()
      doc.clientID = client
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(board.doc))
      return doc
    }
    const [a, b] = [tab(7101), tab(7102)]
    // Offline, the tabs share their changes (y-websocket's BroadcastChannel): each round
    // one tab draws shapes and moves one the other drew last, so each builds on the other's.
    for (let round = 0; round < 12; round++) {
      const [writer, reader] = round % 2 === 0 ? [a, b] : [b, a]
      const records = getRecordsMap(writer)
      writer.transact(() => {
        if (round > 0)
          records.set(`shape:r${round - 1}-0`, JSON.stringify({ ...shapeRecord(`shape:r${round - 1}-0`), x: round }))
        for (let i = 0; i < 100; i++)
          records.set(`shape:r${round}-${i}`, JSON.stringify({ ...shapeRecord(`shape:r${round}-${i}`), y: i }))
      })
      Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer, Y.encodeStateVector(reader)))
    }

    const held = Y.decodeStateVector(Y.encodeStateVector(board.doc))
    const whole = Y.encodeStateAsUpdate(a, Y.encodeStateVector(board.doc))
    const slices = sliceUpdate(whole, held)
    expect(whole.length).toBeGreaterThan(DEFAULT_LIMITS.maxUpdateBytes)
    expect(slices.length).toBeGreaterThan(2)
    for (const [index, slice] of slices.entries()) {
      expect(slice.length, `slice ${index}`).toBeLessThan(DEFAULT_LIMITS.maxUpdateBytes)
      const verdict = judgeUpdate(participant, slice, board)
      expect(verdict.action, `slice ${index}`).toBe('apply')
      if (verdict.action !== 'apply') return
      Y.applyUpdate(board.doc, verdict.update)
      board.owners.claim(verdict.claims)
      expect(board.doc.store.pendingStructs, `slice ${index}`).toBeNull()
    }
    expect(recordsSnapshot(board.doc)).toEqual(recordsSnapshot(a))
  })

  it('leaves an update within the limit as it is', () => {
    const doc = new Y.Doc()
    getRecordsMap(doc).set('shape:a', JSON.stringify(shapeRecord('shape:a')))
    const update = Y.encodeStateAsUpdate(doc)
    expect(sliceUpdate(update, new Map())).toEqual([update])
  })
})
