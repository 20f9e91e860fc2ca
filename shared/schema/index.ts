/**
 * Stip's tldraw schema, listed once: the shapes and records Stip adds to tldraw's, the
 * full schema built from them, and the check of one stored record against it. The server
 * (the first document, and its gate), the client (its store) and the tests all use this.
 *
 * Adding a shape or record: one file here in the order of `northStar.ts` (type, typed id,
 * validator, migration ids and sequence) plus one line below; for a shape also its util in
 * `client/src/shapes/` and one line in that folder's index.
 */
import {
  type CustomRecordInfo,
  createTLSchema,
  defaultAssetSchemas,
  defaultBindingSchemas,
  defaultShapeSchemas,
  PageRecordType,
  type SchemaPropsInfo,
  type TLPageId,
  type TLRecord,
  type TLSchema,
} from '@tldraw/tlschema'
import { LAYER_TYPE } from '../layers.ts'
import { layerSchema } from './layer.ts'
import { MILESTONE_TYPE, milestoneSchema } from './milestone.ts'
import { NORTH_STAR_TYPE, northStarSchema } from './northStar.ts'
import { PATH_START_TYPE, pathStartSchema } from './pathStart.ts'
import { VOTE_RESULT_TYPE, voteResultSchema } from './voteResult.ts'

export * from './layer.ts'
export * from './milestone.ts'
export * from './northStar.ts'
export * from './pathStart.ts'
export * from './voteResult.ts'

/** Stip's shapes, next to tldraw's default ones. */
export const stipShapeSchemas = {
  [NORTH_STAR_TYPE]: northStarSchema,
  [MILESTONE_TYPE]: milestoneSchema,
  [PATH_START_TYPE]: pathStartSchema,
} satisfies Record<string, SchemaPropsInfo>

/** Stip's record types of its own (tldraw's `records` option). */
export const stipRecordSchemas = {
  [LAYER_TYPE]: layerSchema,
  [VOTE_RESULT_TYPE]: voteResultSchema,
} satisfies Record<string, CustomRecordInfo>

/** The fixed id of a board's one page: the server creates it, a client without it makes the same one. */
export const PAGE_ID: TLPageId = PageRecordType.createId('page')

/**
 * The full schema: tldraw's default shapes, bindings and assets plus Stip's. Equal, sequence
 * for sequence, to what the client's store builds from its shape utils and `stipRecordSchemas`.
 */
export function createStipSchema(): TLSchema {
  return createTLSchema({
    shapes: { ...defaultShapeSchemas, ...stipShapeSchemas },
    bindings: defaultBindingSchemas,
    assets: defaultAssetSchemas,
    records: stipRecordSchemas,
  })
}

/** One schema for the process: it holds no state but tldraw's cache of migration plans. */
export const stipSchema: TLSchema = createStipSchema()

/** Why a stored record is refused. */
export type RecordRefusal =
  /** Not an object with a string `id` and `typeName`. */
  | 'not-a-record'
  /** A `typeName` the schema does not know. */
  | 'unknown-type'
  /** A known type that never belongs in a board's document (session or presence state). */
  | 'not-in-document'
  /** The type's validator refused it. */
  | 'invalid'

export type RecordCheck =
  | { ok: true; record: TLRecord }
  | { ok: false; reason: RecordRefusal; typeName?: string; message: string }

/**
 * Checks one record from a board's document against the full schema, by its `typeName`.
 * Returns why it is refused instead of throwing, so a caller can refuse an update, skip the
 * record or report it, and say which.
 */
export function checkRecord(record: unknown, schema: TLSchema = stipSchema): RecordCheck {
  if (typeof record !== 'object' || record === null) {
    return { ok: false, reason: 'not-a-record', message: 'not an object' }
  }
  const { id, typeName } = record as { id?: unknown; typeName?: unknown }
  if (typeof id !== 'string' || typeof typeName !== 'string') {
    return { ok: false, reason: 'not-a-record', message: 'no string id and typeName' }
  }
  // Own properties only: a typeName like "constructor" is not a record type.
  const type = Object.hasOwn(schema.types, typeName)
    ? (schema.types as Record<string, TLSchema['types'][keyof TLSchema['types']]>)[typeName]
    : undefined
  if (!type) return { ok: false, reason: 'unknown-type', typeName, message: `unknown record type "${typeName}"` }
  if (type.scope !== 'document') {
    return {
      ok: false,
      reason: 'not-in-document',
      typeName,
      message: `"${typeName}" records do not belong in the document`,
    }
  }
  try {
    return { ok: true, record: type.validate(record) as TLRecord }
  } catch (error) {
    return { ok: false, reason: 'invalid', typeName, message: error instanceof Error ? error.message : String(error) }
  }
}
