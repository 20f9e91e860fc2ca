/**
 * The document every new board starts with: tldraw's document and single page, the root
 * layer "Missie & strategie", and the north star on it, and `meta.schema` saying which
 * schema they are at. Created by the server with the board, so there is exactly one north
 * star, no two first clients race to make a page, and a board only participants ever open
 * (who may not write the schema, `shared/meta.ts`) still says what its records are.
 *
 * A template adds to that: `empty` nothing (the mission is empty), `horizon` the picture of
 * "Stip op de horizon" with a layer and an empty path per department (`templates.ts`).
 */
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLRecord, toRichText } from '@tldraw/tlschema'
import type { IndexKey } from '@tldraw/utils'
import * as Y from 'yjs'
import type { BoardLanguage, BoardTemplate } from '../shared/board.ts'
import { getMetaMap, getRecordsMap, META_SCHEMA_KEY, type StoredRecord, setRecord } from '../shared/doc.ts'
import { META_ITERATIONS_KEY } from '../shared/iterations.ts'
import { createRootLayer, ROOT_LAYER_ID } from '../shared/layers.ts'
import {
  asStoreLayer,
  checkRecord,
  NORTH_STAR_ID,
  NORTH_STAR_TYPE,
  PAGE_ID,
  stipSchema,
} from '../shared/schema/index.ts'
import { horizonContent, NORTH_STAR_BOX } from './templates.ts'

/** The first fractional index: the page among pages, the north star among shapes. */
const FIRST_INDEX = 'a1' as IndexKey

export interface BoardStart {
  template: BoardTemplate
  /** With `horizon`: a layer with an empty path each (names checked by `validateDepartments`). */
  departments: readonly string[]
  language: BoardLanguage
  /** The calendar day the board is made on (default: the server's today). */
  today?: string
}

export const EMPTY_START: BoardStart = { template: 'empty', departments: [], language: 'nl' }

/** A new board's first document: its records and `meta` values besides the schema. */
export interface FirstDocument {
  records: StoredRecord[]
  meta: Record<string, unknown>
}

export function firstDocument(boardName: string, start: BoardStart = EMPTY_START): FirstDocument {
  const template =
    start.template === 'horizon'
      ? horizonContent(FIRST_INDEX, { departments: start.departments, language: start.language, today: start.today })
      : null
  const document = DocumentRecordType.create({ id: TLDOCUMENT_ID, name: boardName })
  const page = PageRecordType.create({ id: PAGE_ID, name: boardName, index: FIRST_INDEX })
  const northStar = stipSchema.types.shape.create({
    id: NORTH_STAR_ID,
    type: NORTH_STAR_TYPE,
    parentId: PAGE_ID,
    index: FIRST_INDEX,
    x: NORTH_STAR_BOX.x,
    y: NORTH_STAR_BOX.y,
    props: {
      w: NORTH_STAR_BOX.w,
      h: NORTH_STAR_BOX.h,
      mission: toRichText(template?.mission ?? ''),
      subtitle: boardName,
    },
    meta: { layerId: ROOT_LAYER_ID },
  })
  const records: TLRecord[] = [document, page, asStoreLayer(createRootLayer()), northStar, ...(template?.records ?? [])]
  // What the server creates must pass the check every client runs on it.
  for (const record of records) {
    const check = checkRecord(record)
    if (!check.ok) throw new Error(`the first document's ${record.id} is ${check.reason}: ${check.message}`)
  }
  const meta: Record<string, unknown> = template ? { [META_ITERATIONS_KEY]: template.iterations } : {}
  return { records: records as unknown as StoredRecord[], meta }
}

/** The records of an empty board. */
export function initialRecords(boardName: string): StoredRecord[] {
  return firstDocument(boardName).records
}

/** The board's first Yjs update. */
export function initialDocumentUpdate(boardName: string, start: BoardStart = EMPTY_START): Uint8Array {
  const doc = new Y.Doc()
  const map = getRecordsMap(doc)
  const first = firstDocument(boardName, start)
  doc.transact(() => {
    for (const record of first.records) setRecord(map, record)
    const meta = getMetaMap(doc)
    meta.set(META_SCHEMA_KEY, stipSchema.serialize())
    for (const [key, value] of Object.entries(first.meta)) meta.set(key, value)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
