/**
 * The struct analysis on its own: which clients an update writes beyond the doc, why it
 * would leave something pending (gap, hole, missing origin, delete beyond what is held),
 * which deletions stripped structs may have caused, and cutting those out of the bytes.
 */
import * as encoding from 'lib0/encoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  clientRuns,
  clientsBeyondDoc,
  type DeleteRanges,
  deletesLiveContent,
  deletionsOfClients,
  encodeDeleteSet,
  findIncompleteness,
  withDeleteSet,
  withoutClients,
  withoutRanges,
} from './updates.ts'

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
    expect(findIncompleteness(server, Y.decodeUpdate(b))?.message).toMatch(/structs from clock 1/)
    expect(findIncompleteness(server, Y.decodeUpdate(Y.mergeUpdates([a, c])))?.message).toMatch(/structs from clock 2/)
    Y.applyUpdate(server, a)
    const other = new Y.Doc()
    Y.applyUpdate(other, Y.mergeUpdates([a, b]))
    const before = Y.encodeStateVector(other)
    other.getMap('records').set('k1', 'on top of b') // its origin is b, which the server lacks
    const builds = findIncompleteness(server, Y.decodeUpdate(Y.encodeStateAsUpdate(other, before)))
    expect(builds?.message).toMatch(/builds on/)
    // What must arrive first is the author's, not the sender's: only the author's clock can bring it.
    expect(builds?.waitsOn).toBe(author.clientID)
    expect(other.clientID).not.toBe(author.clientID)
    const deletes = Y.decodeUpdate(Y.encodeStateAsUpdate(other))
    expect(findIncompleteness(new Y.Doc(), { structs: [], ds: deletes.ds })?.message).toMatch(/deletes/)
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

describe(withDeleteSet, () => {
  /** Three values under one key, then one key deleted: a delete set over two clients. */
  function history(): { doc: Y.Doc; update: Uint8Array } {
    // Without garbage collection, so that a deleted value's content is still in the update.
    const one = new Y.Doc({ gc: false })
    steps(one, 4) // k0 and k1 twice each: the first two values are deleted
    const two = new Y.Doc({ gc: false })
    Y.applyUpdate(two, Y.encodeStateAsUpdate(one))
    two.getMap('records').set('k2', 'two')
    two.getMap('records').delete('k1')
    two.getMap('records').set('k3', 'three')
    two.getMap('records').delete('k3')
    return { doc: two, update: Y.diffUpdate(Y.encodeStateAsUpdate(two), new Uint8Array([0])) }
  }

  it('re-encodes a delete set byte for byte as Yjs writes it', () => {
    const { update } = history()
    const { ds } = Y.decodeUpdate(update)
    expect(ds.clients.size).toBe(2)
    const own = encodeDeleteSet(ds.clients)
    expect(update.subarray(update.length - own.length)).toEqual(own)
    expect(withDeleteSet(update, ds.clients)).toEqual(update)
  })

  it('removes exactly the ranges given, and the result applies to the expected records', () => {
    const { doc, update } = history()
    const { ds } = Y.decodeUpdate(update)
    const two = doc.clientID
    const [k3] = [...(doc.store.clients.get(two) ?? [])].filter(
      (struct) => struct instanceof Y.Item && struct.parentSub === 'k3',
    )
    const filtered = withDeleteSet(
      update,
      withoutRanges(ds.clients, new Map([[two, [{ clock: k3.id.clock, len: 1 }]]])),
    )
    expect(filtered).not.toBeNull()
    const decoded = Y.decodeUpdate(filtered as Uint8Array)
    expect(decoded.structs.length).toBe(Y.decodeUpdate(update).structs.length)
    const deleted = (ranges: DeleteRanges) =>
      [...ranges].flatMap(([client, list]) =>
        list.flatMap(({ clock, len }) => Array.from({ length: len }, (_, i) => `${client}:${clock + i}`)),
      )
    expect(deleted(decoded.ds.clients).sort()).toEqual(
      deleted(ds.clients)
        .filter((id) => id !== `${two}:${k3.id.clock}`)
        .sort(),
    )
    const applied = new Y.Doc()
    Y.applyUpdate(applied, filtered as Uint8Array)
    expect(applied.getMap('records').toJSON()).toEqual({ k0: 'v2', k2: 'two', k3: 'three' })
    expect(applied.store.pendingDs).toBeNull()
  })

  it('refuses to cut an update that does not end with its delete set as Yjs writes it', () => {
    const { update } = history()
    const { ds } = Y.decodeUpdate(update)
    const own = encodeDeleteSet(ds.clients)
    // The same delete set with its clients in ascending order: Yjs reads it, but never writes it so.
    const ascending = encoding.createEncoder()
    encoding.writeVarUint(ascending, ds.clients.size)
    for (const [client, ranges] of [...ds.clients].sort((a, b) => a[0] - b[0])) {
      encoding.writeVarUint(ascending, client)
      encoding.writeVarUint(ascending, ranges.length)
      for (const { clock, len } of ranges) {
        encoding.writeVarUint(ascending, clock)
        encoding.writeVarUint(ascending, len)
      }
    }
    const reordered = new Uint8Array([
      ...update.subarray(0, update.length - own.length),
      ...encoding.toUint8Array(ascending),
    ])
    expect(Y.decodeUpdate(reordered).ds.clients.size).toBe(2)
    expect(withDeleteSet(reordered, ds.clients)).toBeNull()
  })
})

describe(withoutRanges, () => {
  it('cuts ranges in the middle, at their ends and whole, and drops a client left with none', () => {
    const ds = new Map([
      [
        1,
        [
          { clock: 0, len: 10 },
          { clock: 20, len: 5 },
        ],
      ],
      [2, [{ clock: 3, len: 2 }]],
    ])
    const cut = withoutRanges(
      ds,
      new Map([
        [
          1,
          [
            { clock: 4, len: 2 },
            { clock: 8, len: 14 },
          ],
        ],
        [2, [{ clock: 0, len: 100 }]],
      ]),
    )
    expect(cut).toEqual(
      new Map([
        [
          1,
          [
            { clock: 0, len: 4 },
            { clock: 6, len: 2 },
            { clock: 22, len: 3 },
          ],
        ],
      ]),
    )
  })
})

describe(deletionsOfClients, () => {
  it('names what a stripped write overwrote and the stripped clients’ clocks beyond the doc, not the sender’s own deletes', () => {
    const author = new Y.Doc()
    const [a] = steps(author, 2)
    const server = new Y.Doc()
    Y.applyUpdate(server, a) // k0 = v0
    const relayer = new Y.Doc()
    Y.applyUpdate(relayer, Y.encodeStateAsUpdate(author)) // k0 = v0, k1 = v1
    const before = Y.encodeStateVector(server)
    author.getMap('records').set('k0', 'lost') // overwrites v0, which the server holds
    Y.applyUpdate(relayer, Y.encodeStateAsUpdate(author))
    relayer.getMap('records').set('own', 'x')
    relayer.getMap('records').delete('own') // the relayer's own explicit delete
    const update = Y.encodeStateAsUpdate(relayer, before)
    const decoded = Y.decodeUpdate(update)
    const runs = clientRuns(decoded)
    const caused = deletionsOfClients(server, runs, [author.clientID])
    const held = Y.getState(server.store, author.clientID)
    expect(caused.get(author.clientID)).toEqual(
      expect.arrayContaining([
        { clock: held, len: Number.MAX_SAFE_INTEGER - held },
        { clock: 0, len: 1 },
      ]),
    )
    expect(caused.has(relayer.clientID)).toBe(false)
    const stripped = withoutClients(update, [author.clientID])
    const filtered = withDeleteSet(stripped, withoutRanges(Y.decodeUpdate(stripped).ds.clients, caused))
    expect(filtered).not.toBeNull()
    const left = Y.decodeUpdate(filtered as Uint8Array)
    expect(deletesLiveContent(server, left)).toBe(false)
    expect([...left.ds.clients.keys()]).toEqual([relayer.clientID])
    Y.applyUpdate(server, filtered as Uint8Array)
    expect(server.getMap('records').toJSON()).toEqual({ k0: 'v0' })
    expect(server.store.pendingStructs).toBeNull()
    expect(server.store.pendingDs).toBeNull()
  })
})
