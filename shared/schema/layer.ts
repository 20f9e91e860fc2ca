/**
 * The layer record as tldraw's store holds it: a record type of Stip's own
 * (`typeName: 'layer'`, scope `document`), synced and stored like shapes. The layer MODEL
 * (the tree, who may write where, colours) is `shared/layers.ts`; this file only tells
 * tldraw's schema what a layer record looks like.
 *
 * In tldraw's order: type, typed id, validator, migration ids and sequence.
 * Changing the validator means adding a migration here, or clients and stored boards disagree.
 */
import type { BaseRecord, RecordId } from '@tldraw/store'
import {
  type CustomRecordInfo,
  createCustomRecordMigrationIds,
  createCustomRecordMigrationSequence,
  idValidator,
  type TLStore,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { LAYER_COLORS, LAYER_TYPE, type LayerRecord, ROOT_LAYER_ID } from '../layers.ts'

/** A layer as tldraw's store holds it: `LayerRecord` with a branded id. */
export interface TLLayer extends BaseRecord<typeof LAYER_TYPE, TLLayerId>, Omit<LayerRecord, 'id' | 'typeName'> {}
export type TLLayerId = RecordId<TLLayer>

// Makes layers part of `TLRecord`, so `store.query.records('layer')` and `store.put` know them.
declare module '@tldraw/tlschema' {
  interface TLGlobalRecordPropsMap {
    layer: TLLayer
  }
}

/** The root layer's id (`ROOT_LAYER_ID`) as a store id. */
export const TL_ROOT_LAYER_ID = ROOT_LAYER_ID as TLLayerId

/** A layer record from `shared/layers.ts` as a store record: the same object, its id branded. */
export const asStoreLayer = (layer: LayerRecord): TLLayer => layer as unknown as TLLayer

/** The store's layers as the plain `Layers` map `shared/layers.ts` works on. Reactive. */
export function readLayers(store: TLStore): Map<string, LayerRecord> {
  const map = new Map<string, LayerRecord>()
  for (const layer of store.query.records(LAYER_TYPE).get()) map.set(layer.id, layer as unknown as LayerRecord)
  return map
}

export const layerValidator: T.Validator<TLLayer> = T.object({
  id: idValidator<TLLayerId>(LAYER_TYPE),
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
})

/**
 * Versions of the layer record, `com.tldraw.layer/<n>` (tldraw's prefix, it insists on it).
 * None yet: the first change adds `{ Name: 1 }` here and a step below.
 */
export const layerVersions = createCustomRecordMigrationIds(LAYER_TYPE, {})

/**
 * The layer record's migrations [1]. Empty: stored boards already carry this sequence at 0.
 *
 * [1] tldraw gives every custom record a sequence, `com.tldraw.layer`, marked retroactive:
 *     a board whose `meta.schema` lacks it (one from before layers) runs all of its steps,
 *     a board at 0 runs every step after 0. An empty sequence serializes as 0, exactly what
 *     the schema without `migrations` did, so boards stored before this file existed
 *     migrate to nothing and no client thinks them older or newer.
 */
export const layerMigrations = createCustomRecordMigrationSequence({ sequence: [] })

/** tldraw's `CustomRecordInfo` for layers. */
export const layerSchema = {
  scope: 'document',
  validator: layerValidator,
  migrations: layerMigrations,
} satisfies CustomRecordInfo
