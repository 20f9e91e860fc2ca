/** tldraw-shaped records for tests, and comparable snapshots of a board's document. */
import * as Y from 'yjs'
import { initialRecords } from '../../server/boardDocument.ts'
import { decodeRecord, getMetaMap, getRecordsMap, type StoredRecord, setRecord } from '../../shared/doc.ts'
import type { Random } from './random.ts'

/** A geo shape record as tldraw's store holds it: valid for the full schema, as the server checks. */
export function shapeRecord(id: string, random?: Random): StoredRecord {
  const n = (max: number) => (random ? random.int(0, max) : 0)
  return {
    id: id.startsWith('shape:') ? id : `shape:${id}`,
    typeName: 'shape',
    type: 'geo',
    x: n(2000),
    y: n(2000),
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    props: {
      geo: 'rectangle',
      w: 10 + n(300),
      h: 10 + n(300),
      color: 'black',
      labelColor: 'black',
      fill: 'none',
      dash: 'draw',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      scale: 1,
      flipX: false,
      flipY: false,
      richText: { type: 'doc', content: [{ type: 'paragraph' }] },
    },
    meta: {},
  }
}

/**
 * An image asset inlined as a data URL, as tldraw stores a pasted picture, of about `bytes`
 * of JSON (base64 text standing in for the picture).
 */
export function imageAssetRecord(id: string, bytes: number): StoredRecord {
  const prefix = 'data:image/png;base64,'
  const base64 = 'iVBORw0KGgoAAAANSUhEUgAA'.repeat(Math.ceil(bytes / 24)).slice(0, Math.max(0, bytes - 260))
  return {
    id: id.startsWith('asset:') ? id : `asset:${id}`,
    typeName: 'asset',
    type: 'image',
    props: {
      name: 'photo.png',
      src: prefix + base64,
      w: 4000,
      h: 3000,
      mimeType: 'image/png',
      isAnimated: false,
      fileSize: Math.floor((base64.length * 3) / 4),
    },
    meta: {},
  }
}

export function pageRecord(id = 'page:page'): StoredRecord {
  return { id, typeName: 'page', name: 'Page 1', index: 'a1', meta: {} }
}

/** Writes records into a document in one transaction. */
export function putRecords(doc: Y.Doc, records: StoredRecord[]): void {
  const map = getRecordsMap(doc)
  doc.transact(() => {
    for (const record of records) setRecord(map, record)
  })
}

/** The document's records, decoded, keys sorted, for `toEqual`. */
export function recordsSnapshot(doc: Y.Doc): Record<string, unknown> {
  const records = getRecordsMap(doc)
  return Object.fromEntries(
    [...records.keys()].sort().map((key) => [key, decodeRecord(records.get(key), key) ?? records.get(key)]),
  )
}

/** Records and meta, for comparing whole boards. */
export function boardSnapshot(doc: Y.Doc): { records: Record<string, unknown>; meta: Record<string, unknown> } {
  return { records: recordsSnapshot(doc), meta: getMetaMap(doc).toJSON() as Record<string, unknown> }
}

/** Every root of the document by name (to show nothing else crept in). */
export function rootNames(doc: Y.Doc): string[] {
  return [...doc.share.keys()].sort()
}

/** Runs `change` on a copy of `doc` and returns the Yjs update it produced. */
export function updateFrom(doc: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  change(copy)
  const update = Y.encodeStateAsUpdate(copy, before)
  copy.destroy()
  return update
}

/** How many records a new board starts with (document, page, root layer, north star). */
export const NEW_BOARD_RECORDS = initialRecords('').length
