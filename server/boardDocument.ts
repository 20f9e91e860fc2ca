/**
 * The document every new board starts with: tldraw's document and single page, the root
 * layer "Missie & strategie", and the north star on it, and `meta.schema` saying which
 * schema they are at. Created by the server with the board, so there is exactly one north
 * star, no two first clients race to make a page, and a board only participants ever open
 * (who may not write the schema, `shared/meta.ts`) still says what its records are.
 */
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLRecord, toRichText } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import * as Y from 'yjs'
import { getMetaMap, getRecordsMap, META_SCHEMA_KEY, type StoredRecord, setRecord } from '../shared/doc.ts'
import { createRootLayer, ROOT_LAYER_ID } from '../shared/layers.ts'
import {
  asStoreLayer,
  checkRecord,
  NORTH_STAR_ID,
  NORTH_STAR_TYPE,
  PAGE_ID,
  stipSchema,
} from '../shared/schema/index.ts'

/** The first fractional index: the page among pages, the north star among shapes. */
const FIRST_INDEX = 'a1' as IndexKey

export function initialRecords(boardName: string): StoredRecord[] {
  const document = DocumentRecordType.create({ id: TLDOCUMENT_ID, name: boardName })
  const page = PageRecordType.create({ id: PAGE_ID, name: boardName, index: FIRST_INDEX })
  const northStar = stipSchema.types.shape.create({
    id: NORTH_STAR_ID,
    type: NORTH_STAR_TYPE,
    parentId: PAGE_ID,
    index: FIRST_INDEX,
    x: -320,
    y: -130,
    props: { w: 640, h: 260, mission: toRichText(''), subtitle: boardName },
    meta: { layerId: ROOT_LAYER_ID },
  })
  const records: TLRecord[] = [document, page, asStoreLayer(createRootLayer()), northStar]
  // What the server creates must pass the check every client runs on it.
  for (const record of records) {
    const check = checkRecord(record)
    if (!check.ok) throw new Error(`the first document's ${record.id} is ${check.reason}: ${check.message}`)
  }
  return records as unknown as StoredRecord[]
}

/** The board's first Yjs update. */
export function initialDocumentUpdate(boardName: string): Uint8Array {
  const doc = new Y.Doc()
  const map = getRecordsMap(doc)
  doc.transact(() => {
    for (const record of initialRecords(boardName)) setRecord(map, record)
    getMetaMap(doc).set(META_SCHEMA_KEY, stipSchema.serialize())
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
