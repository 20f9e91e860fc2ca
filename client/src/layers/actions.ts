/**
 * Changes to the layer tree, applied to the editor's store. The tree logic (and its
 * refusals) is `shared/layers.ts`; this file only turns a `LayerChange` into one tldraw
 * change — one undo step, so ctrl+z after deleting a layer brings back the layer, its
 * sub-layers and their shapes together.
 */
import type { Editor, TLShapeId } from 'tldraw'
import {
  addLayer,
  childrenOf,
  deleteLayer,
  type LayerChange,
  type LayerColor,
  type LayerRecord,
  type Layers,
  layerIdFromName,
  moveLayer,
  updateLayer,
} from '../../../shared/layers.ts'
import { asStoreLayer } from '../../../shared/schema/index.ts'

export type LayerFields = Partial<Pick<LayerRecord, 'name' | 'color' | 'visible' | 'locked'>>

/** Applies a change as one undoable step; returns whether it was applied. */
export function applyLayerChange(editor: Editor, change: LayerChange, shapeIds: string[] = []): boolean {
  if (!change.ok) return false
  editor.markHistoryStoppingPoint('layer change')
  editor.run(() => {
    if (shapeIds.length) editor.deleteShapes(shapeIds as TLShapeId[])
    if (change.remove.length) editor.store.remove(change.remove as never[])
    if (change.put.length) editor.store.put(change.put.map(asStoreLayer))
  })
  return true
}

/** A readable, URL-friendly id: `layer:sociaal-domein-k3x9`. */
export function newLayerId(name: string): string {
  return layerIdFromName(name, Math.random().toString(36).slice(2, 6).padEnd(4, '0'))
}

export function planAdd(layers: Layers, parentId: string, name: string, color?: LayerColor): LayerChange {
  return addLayer(layers, { id: newLayerId(name), name, parentId, color })
}

export function planUpdate(layers: Layers, id: string, fields: LayerFields): LayerChange {
  return updateLayer(layers, id, fields)
}

export function planDelete(editor: Editor, layers: Layers, id: string) {
  return deleteLayer(layers, id, editor.getCurrentPageShapes())
}

/** Moves among siblings (`up`/`down`), into the previous sibling (`indent`) or after the parent (`outdent`). */
export function planStep(layers: Layers, id: string, step: 'up' | 'down' | 'indent' | 'outdent'): LayerChange {
  const layer = layers.get(id)
  const fail: LayerChange = { ok: false, code: 'not_found', message: 'Nowhere to go.' }
  if (!layer || layer.parentId === null) return fail
  const siblings = childrenOf(layers, layer.parentId)
  const at = siblings.findIndex((sibling) => sibling.id === id)
  switch (step) {
    case 'up':
      return at > 0 ? moveLayer(layers, id, layer.parentId, siblings[at - 1].id) : fail
    case 'down':
      return at < siblings.length - 1 ? moveLayer(layers, id, layer.parentId, siblings[at + 2]?.id ?? null) : fail
    case 'indent':
      return at > 0 ? moveLayer(layers, id, siblings[at - 1].id, null) : fail
    case 'outdent': {
      const parent = layers.get(layer.parentId)
      if (!parent || parent.parentId === null) return fail
      const uncles = childrenOf(layers, parent.parentId)
      const next = uncles[uncles.findIndex((uncle) => uncle.id === parent.id) + 1]
      return moveLayer(layers, id, parent.parentId, next?.id ?? null)
    }
  }
}

/** Where a dragged layer lands when dropped on `target`: before, inside (last) or after it. */
export function planDrop(
  layers: Layers,
  id: string,
  target: string,
  position: 'before' | 'inside' | 'after',
): LayerChange {
  const targetLayer = layers.get(target)
  const fail: LayerChange = { ok: false, code: 'not_found', message: 'No such layer.' }
  if (!targetLayer || id === target) return fail
  if (position === 'inside' || targetLayer.parentId === null) return moveLayer(layers, id, target, null)
  const siblings = childrenOf(layers, targetLayer.parentId).filter((sibling) => sibling.id !== id)
  const at = siblings.findIndex((sibling) => sibling.id === target)
  const beforeId = position === 'before' ? target : (siblings[at + 1]?.id ?? null)
  return moveLayer(layers, id, targetLayer.parentId, beforeId)
}
