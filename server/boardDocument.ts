/**
 * The document every new board starts with: tldraw's document and single page, the root
 * layer "Missie & strategie", and the north star on it. Created by the server with the
 * board, so there is exactly one north star and no two first clients race to make a page.
 */
import {
  createTLSchema,
  DocumentRecordType,
  defaultShapeSchemas,
  PageRecordType,
  TLDOCUMENT_ID,
  toRichText,
} from '@tldraw/tlschema'
import * as Y from 'yjs'
import { getRecordsMap, type StoredRecord, setRecord } from '../shared/doc.ts'
import { createRootLayer, ROOT_LAYER_ID } from '../shared/layers.ts'
import {
  layerRecordInfo,
  NORTH_STAR_ID,
  NORTH_STAR_TYPE,
  type NorthStarProps,
  northStarSchema,
} from '../shared/schema.ts'

export const PAGE_ID = 'page:page'

/** Stip's full schema, to validate what the server itself creates. */
const schema = createTLSchema({
  shapes: { ...defaultShapeSchemas, [NORTH_STAR_TYPE]: northStarSchema },
  records: { layer: layerRecordInfo },
})

export function initialRecords(boardName: string): StoredRecord[] {
  const document = DocumentRecordType.create({ id: TLDOCUMENT_ID, name: boardName })
  const page = PageRecordType.create({ id: PAGE_ID as never, name: boardName, index: 'a1' as never })
  const mission: NorthStarProps = {
    w: 640,
    h: 260,
    mission: toRichText(''),
    subtitle: boardName,
  }
  const northStar = schema.types.shape.create({
    id: NORTH_STAR_ID as never,
    type: NORTH_STAR_TYPE,
    parentId: PAGE_ID as never,
    index: 'a1' as never,
    x: -320,
    y: -130,
    props: mission,
    meta: { layerId: ROOT_LAYER_ID },
  } as never)
  const records = [document, page, createRootLayer(), northStar] as unknown as StoredRecord[]
  for (const record of records) schema.types[record.typeName as keyof typeof schema.types].validate(record)
  return records
}

/** The board's first Yjs update. */
export function initialDocumentUpdate(boardName: string): Uint8Array {
  const doc = new Y.Doc()
  const map = getRecordsMap(doc)
  doc.transact(() => {
    for (const record of initialRecords(boardName)) setRecord(map, record)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
