import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { withoutDeleteSet } from '../tests/helpers/layers-crafted.ts'
import { decodeRecord, encodeRecord, getMetaMap, getRecord, getRecordsMap, inspectUpdate, setRecord } from './doc.ts'

const shape = (id: string, x = 0) => ({ id, typeName: 'shape', type: 'geo', x, y: 0 })

/** The update `change` makes to a copy of `doc` (as a peer would send it). */
function updateFrom(doc: Y.Doc, change: (peer: Y.Doc) => void): Uint8Array {
  const peer = new Y.Doc()
  Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(peer)
  change(peer)
  return Y.encodeStateAsUpdate(peer, before)
}

describe(inspectUpdate, () => {
  it('lists the records an update writes and deletes', () => {
    const doc = new Y.Doc()
    setRecord(getRecordsMap(doc), shape('shape:a'))
    setRecord(getRecordsMap(doc), shape('shape:b'))
    const update = updateFrom(doc, (peer) => {
      setRecord(getRecordsMap(peer), shape('shape:a', 10)) // inherits its key from the old item
      setRecord(getRecordsMap(peer), shape('shape:c'))
      getRecordsMap(peer).delete('shape:b')
    })
    const result = inspectUpdate(doc, update)
    expect(result).toEqual({
      ok: true,
      written: new Map([
        ['shape:a', shape('shape:a', 10)],
        ['shape:c', shape('shape:c')],
      ]),
      values: new Map([
        ['shape:a', [shape('shape:a', 10)]],
        ['shape:c', [shape('shape:c')]],
      ]),
      deleted: new Set(['shape:a', 'shape:b', 'shape:c']),
      metaKeys: new Set(),
      metaValues: new Map(),
    })
  })

  it('reads records stored as plain objects, as boards made before JSON text hold them', () => {
    const doc = new Y.Doc()
    const update = updateFrom(doc, (peer) => peer.getMap('records').set('shape:a', shape('shape:a')))
    expect(inspectUpdate(doc, update)).toMatchObject({ ok: true, written: new Map([['shape:a', shape('shape:a')]]) })
  })

  it('accepts meta values and lists their keys', () => {
    const doc = new Y.Doc()
    doc.getMap('meta').set('display', { mode: 'tour' })
    const result = inspectUpdate(
      doc,
      updateFrom(doc, (peer) => {
        peer.getMap('meta').set('schema', { schemaVersion: 2 })
        peer.getMap('meta').delete('display')
      }),
    )
    expect(result).toMatchObject({ ok: true, metaKeys: new Set(['schema', 'display']) })
  })

  it.each([
    ['a record without a typeName', (peer: Y.Doc) => peer.getMap('records').set('shape:a', { id: 'shape:a' })],
    ['a record under another key', (peer: Y.Doc) => peer.getMap('records').set('shape:a', shape('shape:b'))],
    [
      'JSON text under another key',
      (peer: Y.Doc) => peer.getMap('records').set('shape:a', encodeRecord(shape('shape:b'))),
    ],
    ['a value that is not an object', (peer: Y.Doc) => peer.getMap('records').set('shape:a', 42)],
    ['text that is not JSON', (peer: Y.Doc) => peer.getMap('records').set('shape:a', '{"id":"shape:a",')],
    ['JSON text of an array', (peer: Y.Doc) => peer.getMap('records').set('shape:a', '[1,2]')],
    ['a nested Yjs type', (peer: Y.Doc) => peer.getMap('records').set('shape:a', new Y.Map())],
    ['another root', (peer: Y.Doc) => peer.getMap('elsewhere').set('x', 1)],
    ['a list root', (peer: Y.Doc) => peer.getArray('records').push([shape('shape:a')])],
  ])('refuses %s', (_, change) => {
    const doc = new Y.Doc()
    const result = inspectUpdate(doc, updateFrom(doc, change))
    expect(result).toMatchObject({ ok: false, reason: 'invalid-record' })
  })

  describe('the values Yjs may keep under a key', () => {
    it('is only the last of two offline edits of one record: the first is overwritten in the update itself', () => {
      const doc = new Y.Doc()
      setRecord(getRecordsMap(doc), shape('shape:a'))
      const update = updateFrom(doc, (peer) => {
        setRecord(getRecordsMap(peer), shape('shape:a', 10))
        setRecord(getRecordsMap(peer), shape('shape:a', 20))
      })
      // What the offline client sends: the first edit as an already deleted item, then the second.
      expect(Y.decodeUpdate(update).structs.map((item) => (item as Y.Item).content.constructor)).toEqual([
        Y.ContentDeleted,
        Y.ContentAny,
      ])
      expect(inspectUpdate(doc, update)).toMatchObject({
        ok: true,
        written: new Map([['shape:a', shape('shape:a', 20)]]),
        values: new Map([['shape:a', [shape('shape:a', 20)]]]),
        deleted: new Set(['shape:a']),
      })
    })

    it('is only the last of many edits, merged by Yjs into one deleted run', () => {
      const doc = new Y.Doc()
      getMetaMap(doc).set('display', { mode: 'tour' })
      const update = updateFrom(doc, (peer) => {
        for (const mode of ['a', 'b', 'c']) getMetaMap(peer).set('display', { mode })
      })
      expect(inspectUpdate(doc, update)).toMatchObject({
        ok: true,
        metaKeys: new Set(['display']),
        metaValues: new Map([['display', [{ mode: 'c' }]]]),
      })
    })

    it('is both of two concurrent values from two clients: the higher client id wins', () => {
      const doc = new Y.Doc()
      setRecord(getRecordsMap(doc), shape('shape:a'))
      const low = new Y.Doc()
      low.clientID = 1
      const high = new Y.Doc()
      high.clientID = 2
      const base = Y.encodeStateVector(doc)
      for (const [peer, x] of [
        [low, 10],
        [high, 20],
      ] as const) {
        Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
        setRecord(getRecordsMap(peer), shape('shape:a', x))
      }
      const update = Y.mergeUpdates([Y.encodeStateAsUpdate(low, base), Y.encodeStateAsUpdate(high, base)])
      // An update lists the higher client id first.
      expect(inspectUpdate(doc, update)).toMatchObject({
        ok: true,
        values: new Map([['shape:a', [shape('shape:a', 20), shape('shape:a', 10)]]]),
        deleted: new Set(['shape:a']),
      })
      Y.applyUpdate(doc, update)
      expect(getRecord(getRecordsMap(doc), 'shape:a')).toEqual(shape('shape:a', 20))
    })

    it('is a deletion for a lone already deleted item, even without a delete set', () => {
      const doc = new Y.Doc()
      setRecord(getRecordsMap(doc), shape('shape:a'))
      const update = withoutDeleteSet(
        updateFrom(doc, (peer) =>
          peer.transact(() => {
            setRecord(getRecordsMap(peer), shape('shape:a', 10))
            getRecordsMap(peer).delete('shape:a')
          }),
        ),
      )
      expect(Y.decodeUpdate(update).ds.clients.size).toBe(0)
      expect(inspectUpdate(doc, update)).toMatchObject({
        ok: true,
        written: new Map(),
        values: new Map([['shape:a', [null]]]),
        deleted: new Set(['shape:a']),
      })
    })

    it('is a deletion too for a new value the update itself deletes (a client without garbage collection)', () => {
      const doc = new Y.Doc()
      setRecord(getRecordsMap(doc), shape('shape:a'))
      getMetaMap(doc).set('display', { mode: 'tour' })
      const peer = new Y.Doc({ gc: false })
      Y.applyUpdate(peer, Y.encodeStateAsUpdate(doc))
      const base = Y.encodeStateVector(peer)
      setRecord(getRecordsMap(peer), shape('shape:a', 10))
      getRecordsMap(peer).delete('shape:a')
      getMetaMap(peer).set('display', { mode: 'free' })
      getMetaMap(peer).delete('display')
      const update = Y.encodeStateAsUpdate(peer, base)
      const contents = Y.decodeUpdate(update).structs.map((item) => (item as Y.Item).content)
      expect(contents.every((content) => content instanceof Y.ContentAny)).toBe(true)
      expect(inspectUpdate(doc, update)).toMatchObject({
        ok: true,
        values: new Map([['shape:a', [shape('shape:a', 10), null]]]),
        metaValues: new Map([['display', [{ mode: 'free' }, undefined]]]),
      })
    })
  })

  it('calls bytes that are no Yjs update malformed', () => {
    const doc = new Y.Doc()
    const truncated = updateFrom(doc, (peer) => getRecordsMap(peer).set('shape:a', shape('shape:a'))).slice(0, 7)
    expect(inspectUpdate(doc, truncated)).toMatchObject({ ok: false, reason: 'malformed' })
    expect(inspectUpdate(doc, new Uint8Array([255, 255, 255]))).toMatchObject({ ok: false, reason: 'malformed' })
  })
})

describe(decodeRecord, () => {
  it('reads JSON text and plain objects alike', () => {
    expect(decodeRecord(encodeRecord(shape('shape:a')), 'shape:a')).toEqual(shape('shape:a'))
    expect(decodeRecord(shape('shape:a'), 'shape:a')).toEqual(shape('shape:a'))
  })

  it('returns nothing for what is no record', () => {
    for (const value of ['', 'null', '"shape:a"', '{"id":"shape:a"}', 42, null, undefined, [shape('shape:a')]]) {
      expect(decodeRecord(value)).toBeUndefined()
    }
    expect(decodeRecord(encodeRecord(shape('shape:a')), 'shape:b')).toBeUndefined()
  })
})
