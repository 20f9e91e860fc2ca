/**
 * The layer rules, as tldraw side effects on the editor's store:
 *
 * - every shape the person creates gets `meta.layerId`: the active layer, or — inside a
 *   group or frame — its parent's layer, so a group and its children share one layer [1];
 * - changes, deletions and creations outside what the person may write are refused
 *   (`canWriteInLayer` / `canWriteLayer` from `shared/layers.ts`, the same functions the
 *   server checks with), so the server never has to close the socket on us;
 * - the north star is never deleted and only a facilitator changes it;
 * - hidden shapes and shapes the person may not change cannot be selected.
 *
 * Only `source: 'user'` changes are checked: remote ones were checked by their author's
 * client and by the server, and refusing them here would make this store disagree with
 * everyone else's.
 */
import type { Editor, TLParentId, TLShape, TLShapeId } from 'tldraw'
import { canWriteLayer, type LayerRecord, ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { NORTH_STAR_ID } from '../../../shared/schema.ts'
import type { LayerView } from './layerView.ts'

const withLayer = <S extends TLShape>(shape: S, layerId: string): S =>
  shape.meta.layerId === layerId ? shape : { ...shape, meta: { ...shape.meta, layerId } }

/** Registers the rules on `editor`; returns the function that removes them. */
export function registerLayerRules(editor: Editor, view: LayerView): () => void {
  const { scope } = view
  const isFacilitator = scope.role === 'facilitator'
  const sideEffects = editor.sideEffects
  // Undo/redo restores records as they were: they keep their layer.
  const isReplaying = () =>
    (editor as unknown as { history: { isReplaying?: () => boolean } }).history.isReplaying?.() === true
  const parentShape = (parentId: TLParentId) =>
    parentId.startsWith('shape:') ? editor.getShape(parentId as TLShapeId) : undefined
  const layers = () => view.$layers.get()
  const asLayer = (record: unknown) => record as LayerRecord

  /** The layer a new shape goes to. */
  const layerForNew = (shape: TLShape): string => {
    const parent = parentShape(shape.parentId)
    if (parent) return view.effectiveLayer(parent)
    if (shape.type === 'group') {
      // [2] Grouping shapes of one layer keeps them there.
      const selected = new Set(editor.getSelectedShapes().map((s) => view.effectiveLayer(s)))
      const [only] = selected
      if (selected.size === 1 && only && view.canWriteIn(only)) return only
    }
    return view.$active.get()
  }

  const cleanups = [
    sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
      if (source !== 'user' || isReplaying() || shape.id === NORTH_STAR_ID) return shape
      return withLayer(shape, layerForNew(shape))
    }),
    // A before-create handler cannot refuse; undo a forbidden creation right after it.
    sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
      if (source !== 'user') return
      if (shape.id === NORTH_STAR_ID ? !isFacilitator : !view.canWriteShape(shape)) editor.store.remove([shape.id])
    }),
    sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
      if (source !== 'user') return next
      if (prev.id === NORTH_STAR_ID) return isFacilitator ? withLayer(next, ROOT_LAYER_ID) : prev
      if (!view.canWriteShape(prev)) return prev
      let result = next
      if (next.parentId !== prev.parentId && !isReplaying()) {
        const parent = parentShape(next.parentId)
        if (parent) result = withLayer(next, view.effectiveLayer(parent)) // [1]
      }
      return view.canWriteShape(result) ? result : prev
    }),
    sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
      if (source !== 'user') return
      if (shape.id === NORTH_STAR_ID || !view.canWriteShape(shape)) return false
    }),

    sideEffects.registerAfterCreateHandler('layer', (layer, source) => {
      if (source === 'user' && !canWriteLayer(layers(), scope, undefined, asLayer(layer))) {
        editor.store.remove([layer.id])
      }
    }),
    sideEffects.registerBeforeChangeHandler('layer', (prev, next, source) => {
      if (source !== 'user') return next
      return canWriteLayer(layers(), scope, asLayer(prev), asLayer(next)) ? next : prev
    }),
    sideEffects.registerBeforeDeleteHandler('layer', (layer, source) => {
      if (source !== 'user') return
      if (layer.id === ROOT_LAYER_ID || !canWriteLayer(layers(), scope, asLayer(layer), undefined)) return false
    }),

    // [3] What cannot be seen or changed cannot be selected.
    sideEffects.registerBeforeChangeHandler('instance_page_state', (prev, next) => {
      if (next.selectedShapeIds === prev.selectedShapeIds || next.selectedShapeIds.length === 0) return next
      const allowed = next.selectedShapeIds.filter((id) => {
        const shape = editor.getShape(id)
        if (!shape || editor.isShapeHidden(shape)) return false
        return id === NORTH_STAR_ID ? isFacilitator : view.canWriteShape(shape)
      })
      return allowed.length === next.selectedShapeIds.length ? next : { ...next, selectedShapeIds: allowed }
    }),
  ]
  return () => {
    for (const cleanup of cleanups) cleanup()
  }
}

// [1] tldraw reparents children into a group after creating it, and into a frame when a
//     shape is dropped on it; the child then takes its new parent's layer, so showing,
//     hiding and locking a layer never splits a group.
// [2] Grouping shapes from several layers puts the group (and so all of them) in the
//     active layer: the person chose to make them one thing.
// [3] Otherwise a participant could start dragging a department's shape they may not
//     change and watch it snap back.
