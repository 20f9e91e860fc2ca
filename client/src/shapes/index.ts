/**
 * Stip's additions to the client's tldraw schema: the `layer` record type and the north
 * star shape, registered with tldraw's type maps so the store, side effects and queries
 * know them. The validators and the layer model themselves live in `shared/` (the contract
 * with the server); this file only tells TypeScript and the store about them.
 */
import { type BaseRecord, defaultShapeUtils, type RecordId, type TLStore } from 'tldraw'
import type { LayerRecord } from '../../../shared/layers.ts'
import type { NorthStarProps } from '../../../shared/schema.ts'
import { NorthStarShapeUtil } from './NorthStarShapeUtil.tsx'

/** A layer as tldraw's store holds it: `LayerRecord` with a branded id. */
export interface TLLayer extends BaseRecord<'layer', RecordId<TLLayer>>, Omit<LayerRecord, 'id' | 'typeName'> {}

declare module '@tldraw/tlschema' {
  interface TLGlobalRecordPropsMap {
    layer: TLLayer
  }
  interface TLGlobalShapePropsMap {
    'north-star': NorthStarProps
  }
}

/** Every shape util the board uses: tldraw's own and the north star. */
export const stipShapeUtils = [...defaultShapeUtils, NorthStarShapeUtil]

/** The store's layers as the plain `Layers` map `shared/layers.ts` works on. Reactive. */
export function readLayers(store: TLStore): Map<string, LayerRecord> {
  const map = new Map<string, LayerRecord>()
  for (const layer of store.query.records('layer').get()) map.set(layer.id, layer as unknown as LayerRecord)
  return map
}

/** A layer record from `shared/` as a store record. */
export const asStoreLayer = (layer: LayerRecord) => layer as unknown as TLLayer
