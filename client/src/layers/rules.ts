/**
 * The layer rules, as tldraw side effects on the editor's store:
 *
 * - every shape the person creates gets `meta.layerId`: the active layer, or — inside a
 *   group or frame — its parent's layer, so a group and its children share one layer [1];
 * - every change the person is about to make to a shape, binding, layer, page or the
 *   document is put to `checkChange` from `shared/rights.ts` — the very function the
 *   server checks updates with — and refused (or undone) here if the server would refuse
 *   it, so the server never has to close the socket on us. The rules themselves (north
 *   star, layers, bindings, document and page) live only there;
 * - hidden shapes and shapes the person may not change cannot be selected.
 *
 * Only `source: 'user'` changes are checked: remote ones were checked by their author's
 * client and by the server, and refusing them here would make this store disagree with
 * everyone else's.
 */
import type { Editor, TLParentId, TLRecord, TLShape, TLShapeId } from 'tldraw'
import type { StoredRecord } from '../../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { checkChange, recordChange } from '../../../shared/rights.ts'
import { NORTH_STAR_ID } from '../../../shared/schema/index.ts'
import type { LayerView } from './layerView.ts'

const withLayer = <S extends TLShape>(shape: S, layerId: string): S =>
  shape.meta.layerId === layerId ? shape : { ...shape, meta: { ...shape.meta, layerId } }

/** Registers the rules on `editor`; returns the function that removes them. */
export function registerLayerRules(editor: Editor, view: LayerView): () => void {
  const { scope } = view
  const sideEffects = editor.sideEffects
  // Undo/redo restores records as they were: they keep their layer.
  const isReplaying = () =>
    (editor as unknown as { history: { isReplaying?: () => boolean } }).history.isReplaying?.() === true
  const parentShape = (parentId: TLParentId) =>
    parentId.startsWith('shape:') ? editor.getShape(parentId as TLShapeId) : undefined
  const lookup = (id: string) => editor.store.get(id as TLRecord['id']) as StoredRecord | undefined

  /** Would the server accept turning `before` into `after` (undefined: create, delete)? */
  const allowed = (before: TLRecord | undefined, after: TLRecord | undefined): boolean =>
    checkChange(
      scope,
      recordChange(before as StoredRecord | undefined, after as StoredRecord | undefined, lookup, view.$layers.get()),
    ).ok

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

  /** Refuses what `checkChange` refuses: creations are undone, changes and deletions not made. */
  const guard = (
    typeName: 'binding' | 'layer' | 'page' | 'document',
    { creates, deletes }: { creates: boolean; deletes: boolean },
  ) => [
    sideEffects.registerBeforeChangeHandler(typeName, (prev, next, source) =>
      source !== 'user' || allowed(prev, next) ? next : prev,
    ),
    // A before-create handler cannot refuse; undo a forbidden creation right after it.
    ...(creates
      ? [
          sideEffects.registerAfterCreateHandler(typeName, (record, source) => {
            if (source === 'user' && !allowed(undefined, record)) editor.store.remove([record.id])
          }),
        ]
      : []),
    ...(deletes
      ? [
          sideEffects.registerBeforeDeleteHandler(typeName, (record, source) => {
            if (source === 'user' && !allowed(record, undefined)) return false
          }),
        ]
      : []),
  ]

  const cleanups = [
    sideEffects.registerBeforeCreateHandler('shape', (shape, source) => {
      if (source !== 'user' || isReplaying() || shape.id === NORTH_STAR_ID) return shape
      return withLayer(shape, layerForNew(shape))
    }),
    sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
      if (source === 'user' && !allowed(undefined, shape)) editor.store.remove([shape.id])
    }),
    sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
      if (source !== 'user') return next
      let result = next
      if (prev.id === NORTH_STAR_ID) result = withLayer(next, ROOT_LAYER_ID)
      else if (next.parentId !== prev.parentId && !isReplaying()) {
        const parent = parentShape(next.parentId)
        if (parent) result = withLayer(next, view.effectiveLayer(parent)) // [1]
      }
      return allowed(prev, result) ? result : prev
    }),
    sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
      if (source === 'user' && !allowed(shape, undefined)) return false
    }),
    ...guard('layer', { creates: true, deletes: true }),
    // [4] Some changes are only guarded in part.
    ...guard('binding', { creates: true, deletes: false }),
    ...guard('page', { creates: false, deletes: false }),
    ...guard('document', { creates: false, deletes: false }),

    // [3] What cannot be seen or changed cannot be selected.
    sideEffects.registerBeforeChangeHandler('instance_page_state', (prev, next) => {
      if (next.selectedShapeIds === prev.selectedShapeIds || next.selectedShapeIds.length === 0) return next
      const allowedIds = next.selectedShapeIds.filter((id) => {
        const shape = editor.getShape(id)
        return shape !== undefined && !editor.isShapeHidden(shape) && allowed(shape, shape)
      })
      return allowedIds.length === next.selectedShapeIds.length ? next : { ...next, selectedShapeIds: allowedIds }
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
// [4] tldraw deletes an arrow's bindings together with the shapes they join, and switches to
//     a page as it creates it (and away from one as it deletes it): refusing only that half
//     of the change would leave a binding to a missing shape or a current page that does
//     not exist. The server still refuses such a change whole, as it refuses any other.
