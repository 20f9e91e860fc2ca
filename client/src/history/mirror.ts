/**
 * Read-only views of a board's past (a version, a moment of the replay) show records in a
 * tldraw store through the usual binding (`sync/binding.ts`), from a Y.Doc of their own
 * that nothing syncs with. `mirrorRecords` makes that document hold exactly the records
 * given — setting what differs, deleting what is not there — so going back in time is one
 * local change like going forward, and the binding updates the canvas either way.
 */
import * as Y from 'yjs'
import { encodeRecord, getRecordsMap, type StoredRecord, type StoredValue } from '../../../shared/doc.ts'

/** Makes `view`'s records exactly `wanted` (stored values: JSON text or, on old boards, objects). */
export function mirrorRecords(view: Y.Doc, wanted: ReadonlyMap<string, StoredValue>): void {
  const records = getRecordsMap(view)
  view.transact(() => {
    for (const [id, value] of wanted) {
      const text = typeof value === 'string' ? value : encodeRecord(value)
      if (records.get(id) !== text) records.set(id, text)
    }
    for (const id of [...records.keys()]) if (!wanted.has(id)) records.delete(id)
  })
}

/** The stored records of a document, by id. */
export function storedRecordsOf(doc: Y.Doc): Map<string, StoredValue> {
  return new Map(getRecordsMap(doc).entries())
}

/** The records of a list (a version's, from the API), by id. */
export function recordsById(records: readonly StoredRecord[]): Map<string, StoredValue> {
  return new Map(records.map((record) => [record.id, encodeRecord(record)]))
}

/** A document holding one Yjs update (the board at a moment). */
export function docFromUpdate(update: Uint8Array): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, update)
  return doc
}
