/**
 * One person's view of a board's layers: which layer is open (drill-down), which is
 * active (new shapes go there), which they hid for themselves — and, derived from those
 * and the layer records, which shapes show, which fade, and what they may write.
 *
 * Two ways to hide a layer, on purpose: the eye in the panel hides it for this person
 * only (remembered per board in localStorage), so 70 people can each focus without
 * disturbing the others; the record's `visible` flag hides it for everyone and only a
 * facilitator may set it (drafts). Either hides the layer and everything below it.
 */
import { atom, computed, react, type TLShape, type TLStore } from 'tldraw'
import {
  ancestorsOf,
  canWriteInLayer,
  isLayerId,
  type LayerRecord,
  layerOfShape,
  ROOT_LAYER_ID,
  subtreeOf,
  type WriteScope,
} from '../../../shared/layers.ts'
import { NORTH_STAR_ID, readLayers } from '../../../shared/schema/index.ts'
import { safeGet, safeSet } from '../storage.ts'

export interface LayerViewOptions {
  store: TLStore
  boardId: string
  scope: WriteScope
  /** The layer the URL opened, if any. */
  initialFocus: string | null
}

export type LayerView = ReturnType<typeof createLayerView>

const hiddenKey = (boardId: string) => `stip:hidden-layers:${boardId}`

function loadHidden(boardId: string): ReadonlySet<string> {
  try {
    const value: unknown = JSON.parse(safeGet(hiddenKey(boardId)) ?? '[]')
    return new Set(Array.isArray(value) ? value.filter(isLayerId) : [])
  } catch {
    return new Set()
  }
}

export function createLayerView({ store, boardId, scope, initialFocus }: LayerViewOptions) {
  const $layers = computed('stip layers', () => readLayers(store))
  const $locallyHidden = atom<ReadonlySet<string>>('stip locally hidden layers', loadHidden(boardId))
  /** The layer opened by drill-down; null is the overview. */
  const $focus = atom<string | null>('stip focus layer', initialFocus)
  const $chosenActive = atom<string | null>('stip chosen active layer', null)

  /** The layer a shape counts as in: its own, or the root when that layer is gone. */
  const effectiveLayer = (layers: ReadonlyMap<string, LayerRecord>, shape: { meta?: unknown }) => {
    const id = layerOfShape(shape)
    return layers.has(id) ? id : ROOT_LAYER_ID
  }

  /** Where new shapes go: the chosen layer, else the open one, else the link's scope, else the root. */
  const $active = computed('stip active layer', () => {
    const layers = $layers.get()
    const candidates = [$chosenActive.get(), $focus.get(), scope.layerId, ROOT_LAYER_ID]
    for (const id of candidates) if (id && layers.has(id) && canWriteInLayer(layers, scope, id)) return id
    for (const id of candidates) if (id && layers.has(id)) return id
    return ROOT_LAYER_ID
  })

  /** Layers whose shapes are drawn now. */
  const $shown = computed('stip shown layers', () => {
    const layers = $layers.get()
    const hidden = $locallyHidden.get()
    const focus = $focus.get()
    const inFocus =
      focus && layers.has(focus)
        ? new Set([...subtreeOf(layers, focus), ...ancestorsOf(layers, focus).map((layer) => layer.id)])
        : null
    const shown = new Set<string>()
    for (const id of layers.keys()) {
      const chain = [...ancestorsOf(layers, id), layers.get(id) as LayerRecord]
      if (chain.some((layer) => !layer.visible || hidden.has(layer.id))) continue
      if (inFocus && !inFocus.has(id)) continue
      shown.add(id)
    }
    return shown
  })

  /** The open layer's ancestors: drawn, but faded, so the open path stands out. */
  const $faded = computed('stip faded layers', () => {
    const focus = $focus.get()
    const layers = $layers.get()
    return new Set(focus && layers.has(focus) ? ancestorsOf(layers, focus).map((layer) => layer.id) : [])
  })

  /**
   * What `shapeVisibility` reads, for tldraw's one value per shape: `$layers` and `$shown`
   * copied into an atom when they change, so the shapes do not depend on the store [1].
   */
  const $forShapes = atom('stip layers for shapes', { layers: $layers.get(), shown: $shown.get() })
  const stopForShapes = react('stip layers for shapes', () => {
    $forShapes.set({ layers: $layers.get(), shown: $shown.get() })
  })

  return {
    scope,
    $layers,
    $locallyHidden,
    $focus,
    $active,
    $shown,
    $faded,
    effectiveLayer(shape: { meta?: unknown }) {
      return effectiveLayer($layers.get(), shape)
    },
    /**
     * May this person create, change or delete shapes in the layer? The server's rule
     * (`canWriteInLayer`, which `shared/rights.ts` applies to every shape); the side-effect
     * rules check each change itself with `checkChange` (`rules.ts`).
     */
    canWriteIn(layerId: string) {
      return canWriteInLayer($layers.get(), scope, layerId)
    },
    setActive(layerId: string) {
      $chosenActive.set(layerId)
    },
    /** Hides or shows the layer for this person only. */
    toggleLocallyHidden(layerId: string) {
      const next = new Set($locallyHidden.get())
      if (!next.delete(layerId)) next.add(layerId)
      $locallyHidden.set(next)
      safeSet(hiddenKey(boardId), JSON.stringify([...next]))
    },
    /** tldraw's `getShapeVisibility`: hidden layers' shapes neither render nor hit-test. */
    shapeVisibility(shape: TLShape): 'hidden' | 'inherit' | 'visible' {
      if (shape.id === NORTH_STAR_ID) return 'visible'
      if (shape.parentId.startsWith('shape:')) return 'inherit' // groups decide for children
      const { layers, shown } = $forShapes.get()
      if (layers.size === 0) return 'inherit'
      return shown.has(effectiveLayer(layers, shape)) ? 'inherit' : 'hidden'
    },
    dispose() {
      stopForShapes()
    },
  }
}

// [1] tldraw keeps one "is this shape hidden" value per shape, computed with
//     `shapeVisibility`. Read through `$layers`, each of them depended on the layer records'
//     query and so on the store's history: every store change (a camera move, a remote
//     edit, a cursor) made tldraw's signals walk all of them, only to find nothing changed —
//     on a board of 5,000 shapes, a large part of each panning frame. An atom stops that
//     walk. The reaction runs when `$layers` or `$shown` really change, at the end of the
//     transaction that changed them, so the shapes see a new layer before the next frame.
