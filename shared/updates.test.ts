/**
 * The struct analysis on its own: which clients an update writes beyond the doc, and why it
 * would leave something pending (gap, hole, missing origin, delete beyond what is held).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clientRuns, clientsBeyondDoc, deletesLiveContent, findIncompleteness, withoutClients } from './updates.ts'

function steps(doc: Y.Doc, count: number): Uint8Array[] {
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  for (let i = 0; i < count; i++) doc.getMap('records').set(`k${i % 2}`, `v${i}`)
  return updates
}

describe(findIncompleteness, () => {
  it('accepts what continues from the doc, and a resend of what it holds', () => {
    const author = new Y.Doc()
    const [a, b] = steps(author, 2)
    const server = new Y.Doc()
    expect(findIncompleteness(server, Y.decodeUpdate(a))).toBeNull()
    Y.applyUpdate(server, a)
    expect(findIncompleteness(server, Y.decodeUpdate(Y.mergeUpdates([a, b])))).toBeNull()
  })

  it('names a clock gap, a hole (Skip), a missing origin and a delete beyond what is held', () => {
    const author = new Y.Doc()
    const [a, b, c] = steps(author, 3)
    const server = new Y.Doc()
    expect(findIncompleteness(server, Y.decodeUpdate(b))).toMatch(/structs from clock 1/)
    expect(findIncompleteness(server, Y.decodeUpdate(Y.mergeUpdates([a, c])))).toMatch(/structs from clock 2/)
    Y.applyUpdate(server, a)
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.mergeUpdates([a, b]))
    const before = Y.encodeStateVector(other)
    other.getMap('records').set('k1', 'on top of b') // its origin is b, which the server lacks
    expect(findIncompleteness(server, Y.decodeUpdate(Y.encodeStateAsUpdate(other, before)))).toMatch(/builds on/)
    const deletes = Y.decodeUpdate(Y.encodeStateAsUpdate(other))
    expect(findIncompleteness(new Y.Doc(), { structs: [], ds: deletes.ds })).toMatch(/deletes/)
    expect(server.store.pendingStructs).toBeNull()
  })
})

describe(clientRuns, () => {
  it('groups structs by client and refuses one client in two groups', () => {
    const one = new Y.Doc()
    const two = new Y.Doc()
    const [a] = steps(one, 1)
    const [b] = steps(two, 1)
    const runs = clientRuns(Y.decodeUpdate(Y.mergeUpdates([a, b])))
    expect([...runs.keys()].sort()).toEqual([one.clientID, two.clientID].sort())
    const decoded = Y.decodeUpdate(Y.mergeUpdates([a, b]))
    expect(() => clientRuns({ ...decoded, structs: [...decoded.structs, decoded.structs[0]] })).toThrow(
      /two groups|jump/,
    )
  })
})

describe(withoutClients, () => {
  it('drops a client’s structs, keeps the rest; a stripped write’s deletion is seen as live', () => {
    const author = new Y.Doc()
    const [a, b] = steps(author, 3)
    const server = new Y.Doc()
    Y.applyUpdate(server, a)
    const forger = new Y.Doc()
    Y.applyUpdate(forger, a)
    const before = Y.encodeStateVector(forger)
    forger.clientID = author.clientID
    forger.getMap('records').set('k0', 'forged') // replaces a's value: deletes it
    const forged = Y.encodeStateAsUpdate(forger, before)
    expect(clientsBeyondDoc(server, clientRuns(Y.decodeUpdate(forged)))).toEqual([author.clientID])
    const stripped = Y.decodeUpdate(withoutClients(forged, [author.clientID]))
    expect(stripped.structs).toEqual([])
    expect(deletesLiveContent(server, stripped)).toBe(true)
    expect(deletesLiveContent(server, Y.decodeUpdate(b))).toBe(false)
  })
})
