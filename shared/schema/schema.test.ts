/**
 * The schema registry: what it accepts and refuses (the check the server's gate will run),
 * and that introducing it changes nothing for boards already stored: their `meta.schema`
 * migrates to nothing and compares equal to ours.
 */

import {
  createShapePropsMigrationIds,
  createTLSchema,
  defaultShapeSchemas,
  PointerRecordType,
  TLPOINTER_ID,
  type TLRecord,
  toRichText,
} from '@tldraw/tlschema'
import { describe, expect, it } from 'vitest'
import { initialRecords } from '../../server/boardDocument.ts'
import { decodeRecord, encodeRecord } from '../doc.ts'
import { createRootLayer, ROOT_LAYER_ID } from '../layers.ts'
import { compareSchemas } from '../meta.ts'
import {
  checkRecord,
  layerValidator,
  NORTH_STAR_ID,
  NORTH_STAR_TYPE,
  type NorthStarProps,
  type NorthStarShape,
  northStarProps,
  PAGE_ID,
  stipSchema,
} from './index.ts'

/** A new board's records, as they come out of the Y.Doc (JSON text, decoded). */
const storedBoard = () => initialRecords('Voorbeeld Digitaal 2030').map((record) => decodeRecord(encodeRecord(record)))
const northStar = () => storedBoard().find((record) => record?.id === NORTH_STAR_ID) as unknown as NorthStarShape

/**
 * The schema Stip built before `shared/schema/` existed (north star and layer without
 * `migrations`): what every board stored until now carries in `meta.schema` [1].
 */
const schemaBeforeTheRegistry = createTLSchema({
  shapes: { ...defaultShapeSchemas, [NORTH_STAR_TYPE]: { props: northStarProps } },
  records: { layer: { scope: 'document', validator: layerValidator } },
})

/** A board with every kind of Stip record, keyed by id as a store snapshot is. */
function snapshot(): Record<string, TLRecord> {
  const records = [
    ...storedBoard(),
    { ...createRootLayer('Sociaal domein'), id: 'layer:sociaal', parentId: ROOT_LAYER_ID },
  ]
  return Object.fromEntries(records.map((record) => [record?.id, record])) as Record<string, TLRecord>
}

describe('checkRecord', () => {
  it('accepts every record the server creates for a new board, as stored', () => {
    const records = storedBoard()
    expect(records.map((record) => record?.typeName).sort()).toEqual(['document', 'layer', 'page', 'shape'])
    for (const record of records) expect(checkRecord(record)).toMatchObject({ ok: true, record })
    expect(northStar()).toMatchObject({ id: 'shape:north-star', type: NORTH_STAR_TYPE, parentId: PAGE_ID })
  })

  it('refuses a north star whose props do not validate, and says why', () => {
    const result = checkRecord({ ...northStar(), props: { ...northStar().props, subtitle: 42 } })
    expect(result).toMatchObject({ ok: false, reason: 'invalid', typeName: 'shape' })
    expect(!result.ok && result.message).toContain('subtitle')
    expect(checkRecord({ ...northStar(), props: { ...northStar().props, w: 0 } })).toMatchObject({
      ok: false,
      reason: 'invalid',
    })
  })

  it('refuses a layer with a colour or id outside the model', () => {
    expect(checkRecord({ ...createRootLayer(), color: 'pink' })).toMatchObject({
      ok: false,
      reason: 'invalid',
      typeName: 'layer',
    })
    expect(checkRecord({ ...createRootLayer(), id: 'shape:root' })).toMatchObject({ ok: false, reason: 'invalid' })
    expect(checkRecord({ ...createRootLayer(), parentId: 7 })).toMatchObject({ ok: false, reason: 'invalid' })
  })

  it('names what is not a record, an unknown type, and a type that does not belong in the document', () => {
    expect(checkRecord('shape:x')).toMatchObject({ ok: false, reason: 'not-a-record' })
    expect(checkRecord({ id: 5, typeName: 'shape' })).toMatchObject({ ok: false, reason: 'not-a-record' })
    expect(checkRecord({ id: 'comment:1', typeName: 'comment' })).toMatchObject({
      ok: false,
      reason: 'unknown-type',
      typeName: 'comment',
    })
    expect(checkRecord({ id: 'x:1', typeName: 'constructor' })).toMatchObject({ ok: false, reason: 'unknown-type' })
    const pointer = PointerRecordType.create({ id: TLPOINTER_ID })
    expect(checkRecord(pointer)).toMatchObject({ ok: false, reason: 'not-in-document', typeName: 'pointer' })
  })

  it('refuses a shape type nobody registered', () => {
    expect(checkRecord({ ...northStar(), type: 'milestone' })).toMatchObject({ ok: false, reason: 'invalid' })
  })
})

describe('stipSchema migrations', () => {
  it("serializes Stip's sequences at 0, as the schema before the registry did", () => {
    const sequences = stipSchema.serialize().sequences
    expect({ northStar: sequences['com.tldraw.shape.north-star'], layer: sequences['com.tldraw.layer'] }).toEqual({
      northStar: 0,
      layer: 0,
    })
    // The same sequences and versions, plus the paths' two shapes and the vote result (added
    // later, at 0): such a board is "older" only by them, and migrates to nothing.
    const before = schemaBeforeTheRegistry.serialize()
    expect(stipSchema.serialize()).toEqual({
      ...before,
      sequences: {
        ...before.sequences,
        'com.tldraw.shape.milestone': 0,
        'com.tldraw.shape.path-start': 0,
        'com.tldraw.vote-result': 0,
      },
    })
    expect(compareSchemas(before)).toBe('older')
  })

  it('loads a board stored with the schema before the registry unchanged', () => {
    const schema = schemaBeforeTheRegistry.serialize()
    expect(stipSchema.getMigrationsSince(schema)).toEqual({ ok: true, value: [] })
    expect(stipSchema.migrateStoreSnapshot({ schema, store: snapshot() })).toEqual({
      type: 'success',
      value: snapshot(),
    })
  })

  it('loads a board stored before the north star and layers existed (no Stip sequences) unchanged', () => {
    const { sequences } = schemaBeforeTheRegistry.serialize()
    const { 'com.tldraw.shape.north-star': _star, 'com.tldraw.layer': _layer, ...tldrawOnly } = sequences
    const schema = { schemaVersion: 2 as const, sequences: tldrawOnly }
    expect(stipSchema.getMigrationsSince(schema)).toEqual({ ok: true, value: [] })
    expect(stipSchema.migrateStoreSnapshot({ schema, store: snapshot() })).toEqual({
      type: 'success',
      value: snapshot(),
    })
  })

  it("runs a later north star migration on boards stored before it, so the sequence's form is ready for one", () => {
    const versions = createShapePropsMigrationIds(NORTH_STAR_TYPE, { AddTagline: 1 })
    const later = createTLSchema({
      shapes: {
        ...defaultShapeSchemas,
        [NORTH_STAR_TYPE]: {
          props: northStarProps,
          migrations: {
            sequence: [
              { id: versions.AddTagline, up: (props: NorthStarProps) => ({ ...props, mission: toRichText('Samen') }) },
            ],
          },
        },
      },
      records: { layer: { scope: 'document', validator: layerValidator } },
    })
    expect(later.serialize().sequences['com.tldraw.shape.north-star']).toBe(1)
    const migrated = later.migrateStoreSnapshot({ schema: stipSchema.serialize(), store: snapshot() })
    expect(migrated.type).toBe('success')
    const star = migrated.type === 'success' ? (migrated.value[NORTH_STAR_ID] as NorthStarShape) : null
    expect(star?.props).toMatchObject({ mission: toRichText('Samen') })
  })
})

// [1] `shared/schema.ts` before this folder: `{ props: northStarProps }` and
//     `{ scope: 'document', validator }`, with the same validators as now.
