/**
 * Stip's additions to tldraw's schema, shared by the client (its store) and the server
 * (the document it creates with every board, and its rights check):
 * - the north star shape: the mission on the horizon, one per board;
 * - the layer record (see `layers.ts`).
 * Changing a validator here means adding a migration here, or clients and stored boards
 * disagree.
 */
import { richTextValidator, type TLRichText } from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { LAYER_COLORS, LAYER_TYPE, type LayerRecord } from './layers.ts'

export const NORTH_STAR_TYPE = 'north-star'
/** The north star's fixed id: exactly one per board. */
export const NORTH_STAR_ID = 'shape:north-star'

export interface NorthStarProps {
  w: number
  h: number
  /** The mission statement (rich text). */
  mission: TLRichText
  /** A short line under it, e.g. "Voorbeeld Digitaal 2030". */
  subtitle: string
}

export const northStarProps = {
  w: T.nonZeroNumber,
  h: T.nonZeroNumber,
  mission: richTextValidator,
  subtitle: T.string,
}

/** tldraw `SchemaPropsInfo` for the north star shape (no migrations yet). */
export const northStarSchema = { props: northStarProps }

const layerValidator: T.Validator<LayerRecord> = T.object({
  id: T.string.check((id) => {
    if (!id.startsWith(`${LAYER_TYPE}:`)) throw new Error(`layer ids start with "${LAYER_TYPE}:"`)
  }),
  typeName: T.literal(LAYER_TYPE),
  name: T.string,
  parentId: T.string.nullable(),
  color: T.literalEnum(...LAYER_COLORS),
  description: T.string,
  owner: T.string,
  index: T.number,
  visible: T.boolean,
  locked: T.boolean,
  meta: T.jsonValue as T.Validator<Record<string, unknown>>,
}) as T.Validator<LayerRecord>

/** tldraw `CustomRecordInfo` for layers: synced and stored like shapes. */
export const layerRecordInfo = {
  scope: 'document' as const,
  validator: layerValidator,
}
