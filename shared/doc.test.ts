import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, inspectUpdate } from './doc.ts'

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
    getRecordsMap(doc).set('shape:a', shape('shape:a'))
    getRecordsMap(doc).set('shape:b', shape('shape:b'))
    const update = updateFrom(doc, (peer) => {
      getRecordsMap(peer).set('shape:a', shape('shape:a', 10)) // inherits its key from the old item
      getRecordsMap(peer).set('shape:c', shape('shape:c'))
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
    })
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
    ['a value that is not an object', (peer: Y.Doc) => peer.getMap('records').set('shape:a', 42)],
    ['a nested Yjs type', (peer: Y.Doc) => peer.getMap('records').set('shape:a', new Y.Map())],
    ['another root', (peer: Y.Doc) => peer.getMap('elsewhere').set('x', 1)],
    ['a list root', (peer: Y.Doc) => peer.getArray('records').push([shape('shape:a')])],
  ])('refuses %s', (_, change) => {
    const doc = new Y.Doc()
    const result = inspectUpdate(doc, updateFrom(doc, change))
    expect(result).toMatchObject({ ok: false, reason: 'invalid-record' })
  })

  it('calls bytes that are no Yjs update malformed', () => {
    const doc = new Y.Doc()
    const truncated = updateFrom(doc, (peer) => getRecordsMap(peer).set('shape:a', shape('shape:a'))).slice(0, 7)
    expect(inspectUpdate(doc, truncated)).toMatchObject({ ok: false, reason: 'malformed' })
    expect(inspectUpdate(doc, new Uint8Array([255, 255, 255]))).toMatchObject({ ok: false, reason: 'malformed' })
  })
})
