/**
 * Updates no well-behaved client sends but any client can: valid Yjs, built with Yjs
 * itself, whose effect on the document differs from what a naive reading of their
 * records suggests. For checking that the server's rights check reads an update the way
 * Yjs will apply it.
 *
 * The lib0 encoding below writes part of a Yjs update (its delete set), not a Stip frame;
 * frames are built with the codec of shared/protocol.ts.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { encodeRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'

/** The update with an empty delete set: only its new items are left. */
export function withoutDeleteSet(update: Uint8Array): Uint8Array {
  const { ds } = Y.decodeUpdate(update)
  const encoder = encoding.createEncoder()
  const clients = [...ds.clients.entries()].sort((a, b) => b[0] - a[0])
  encoding.writeVarUint(encoder, clients.length)
  for (const [client, items] of clients) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, items.length)
    for (const item of items) {
      encoding.writeVarUint(encoder, item.clock)
      encoding.writeVarUint(encoder, item.len)
    }
  }
  const dsBytes = encoding.toUint8Array(encoder)
  const cut = update.length - dsBytes.length
  if (cut < 0 || !dsBytes.every((byte, i) => update[cut + i] === byte)) {
    throw new Error('The update does not end with its delete set as expected.')
  }
  const stripped = new Uint8Array(cut + 1)
  stripped.set(update.subarray(0, cut))
  stripped[cut] = 0 // no clients in the delete set
  return stripped
}

function copyOf(doc: Y.Doc, clientID: number): Y.Doc {
  const copy = new Y.Doc()
  copy.clientID = clientID
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  return copy
}

/**
 * An update whose only item is a new, already-deleted value for `key`, placed after the
 * key's current value, and no delete set. Yjs applies it by deleting the key's current
 * value: a deletion of `key` that names no deleted record.
 */
export function deletionDisguisedAsNewItem(doc: Y.Doc, key: string): Uint8Array {
  const copy = copyOf(doc, 0x7ffffff0)
  const before = Y.encodeStateVector(copy)
  const records = getRecordsMap(copy)
  copy.transact(() => {
    records.set(key, records.get(key) as string) // the same value again, as a new item
    records.delete(key)
  })
  const update = withoutDeleteSet(Y.encodeStateAsUpdate(copy, before))
  copy.destroy()
  return update
}

/**
 * One update holding two concurrent values for `key`, written by two Yjs clients: `loser`
 * by a low client id, `winner` by a high one. Yjs keeps the higher client id's value.
 */
export function concurrentValues(doc: Y.Doc, key: string, winner: StoredRecord, loser: StoredRecord): Uint8Array {
  const low = copyOf(doc, 1)
  const high = copyOf(doc, 0x7ffffff0)
  const base = Y.encodeStateVector(low)
  getRecordsMap(low).set(key, encodeRecord(loser))
  getRecordsMap(high).set(key, encodeRecord(winner))
  const update = Y.mergeUpdates([Y.encodeStateAsUpdate(low, base), Y.encodeStateAsUpdate(high, base)])
  low.destroy()
  high.destroy()
  return update
}
