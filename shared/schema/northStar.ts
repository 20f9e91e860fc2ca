/**
 * The north star shape — "de stip op de horizon": the board's mission, one per board,
 * created by the server with the board. Client (its shape util), server (the first
 * document) and tests all take it from here, so they cannot disagree on its props.
 *
 * In tldraw's order: type, typed id, validator, migration ids and sequence.
 * Changing a validator means adding a migration here, or clients and stored boards disagree.
 */
import {
  createShapeId,
  createShapePropsMigrationIds,
  createShapePropsMigrationSequence,
  type RecordProps,
  richTextValidator,
  type SchemaPropsInfo,
  type TLRichText,
  type TLShape,
  type TLShapeId,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'

export const NORTH_STAR_TYPE = 'north-star'

export interface NorthStarProps {
  w: number
  h: number
  /** The mission statement (rich text). */
  mission: TLRichText
  /** A short line under it, e.g. "Voorbeeld Digitaal 2030". */
  subtitle: string
}

// Tells tldraw's types (and so `TLShape`, `editor.getShape`, `schema.types.shape.create`)
// about the shape, for client, server and tests alike.
declare module '@tldraw/tlschema' {
  interface TLGlobalShapePropsMap {
    'north-star': NorthStarProps
  }
}

export type NorthStarShape = TLShape<typeof NORTH_STAR_TYPE>

/** The north star's fixed id: exactly one per board. */
export const NORTH_STAR_ID: TLShapeId = createShapeId('north-star')

export const northStarProps: RecordProps<NorthStarShape> = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  mission: richTextValidator,
  subtitle: T.string,
}

/**
 * Versions of the north star's props, `com.tldraw.shape.north-star/<n>` (tldraw's prefix,
 * it insists on it). None yet: the first change adds `{ Name: 1 }` here and a step below.
 */
export const northStarVersions = createShapePropsMigrationIds(NORTH_STAR_TYPE, {})

/**
 * The north star's migrations [1]. Empty: stored boards already carry this sequence at 0.
 *
 * [1] tldraw gives every shape a sequence, `com.tldraw.shape.north-star`, marked
 *     retroactive: a board whose `meta.schema` lacks it (one from before the north star)
 *     runs all of its steps, a board at 0 runs every step after 0. An empty sequence
 *     serializes as 0, exactly what the schema without `migrations` did, so boards stored
 *     before this file existed migrate to nothing and no client thinks them older or newer.
 */
export const northStarMigrations = createShapePropsMigrationSequence({ sequence: [] })

/** tldraw's `SchemaPropsInfo` for the north star. */
export const northStarSchema = {
  props: northStarProps,
  migrations: northStarMigrations,
} satisfies SchemaPropsInfo
