/**
 * Drill-down: opening a layer (or the overview) moves the camera, the URL and the view
 * together. Every layer has its own address (`/b/<board>/l/<layer>`), so a department can
 * bookmark its path and the browser's back and forward buttons step through what was
 * opened — `pushState` on open, `popstate` back into the view.
 *
 * A layer (or the overview) opens fitted to its content, but never zoomed out past
 * `MIN_OPEN_ZOOM`: a drawing too big for the screen opens readable, centred on the north
 * star (overview) or on the layer's content, and the person zooms out if they want it all [1].
 * The wall display has no such minimum: it is there to show the whole drawing.
 */
import { Box, type Editor } from 'tldraw'
import { boardPath, layerPath } from '../../../shared/board.ts'
import { subtreeOf } from '../../../shared/layers.ts'
import { NORTH_STAR_ID } from '../../../shared/schema/index.ts'
import { parseRoute } from '../app/router.ts'
import type { LayerView } from './layerView.ts'

export type LayerNavigation = ReturnType<typeof createLayerNavigation>

const ANIMATION = { animation: { duration: 320 } }
/** Screen pixels kept free around fitted content (`zoomToBounds` counts both sides together). */
const FIT_INSET = 64
/** The furthest out a layer opens: tldraw's medium text (24 px) still shows at 12 px. */
export const MIN_OPEN_ZOOM = 0.5

export function createLayerNavigation(editor: Editor, view: LayerView, boardId: string) {
  const minZoom = view.scope.role === 'display' ? 0 : MIN_OPEN_ZOOM

  /** The bounds of what is shown of `layerId` and below (all shown shapes for null). */
  function contentBounds(layerId: string | null): Box | null {
    const layers = view.$layers.get()
    const within = layerId ? subtreeOf(layers, layerId) : null
    const boxes: Box[] = []
    for (const shape of editor.getCurrentPageShapes()) {
      if (shape.parentId !== editor.getCurrentPageId() || editor.isShapeHidden(shape)) continue
      if (within && (shape.id === NORTH_STAR_ID || !within.has(view.effectiveLayer(shape)))) continue
      const bounds = editor.getShapePageBounds(shape)
      if (bounds) boxes.push(bounds)
    }
    return boxes.length ? Box.Common(boxes) : null
  }

  function goToNorthStar(animate = true): void {
    const bounds = editor.getShapePageBounds(NORTH_STAR_ID)
    if (bounds) editor.zoomToBounds(bounds, { targetZoom: 1, inset: 96, ...(animate ? ANIMATION : {}) })
  }

  /** Fits the camera to the layer's content (see `MIN_OPEN_ZOOM`); an empty layer stays near the north star. */
  function fitCamera(layerId: string | null, animate = true): void {
    const bounds = contentBounds(layerId)
    if (!bounds) {
      goToNorthStar(animate)
      return
    }
    const screen = editor.getViewportScreenBounds()
    const fit = Math.min((screen.w - FIT_INSET) / bounds.w, (screen.h - FIT_INSET) / bounds.h)
    if (fit >= minZoom) {
      editor.zoomToBounds(bounds, { targetZoom: 1, inset: FIT_INSET, ...(animate ? ANIMATION : {}) })
      return
    }
    const star = layerId === null ? editor.getShapePageBounds(NORTH_STAR_ID) : undefined
    const { x, y } = (star ?? bounds).center
    const z = minZoom
    editor.setCamera({ x: screen.w / 2 / z - x, y: screen.h / 2 / z - y, z }, animate ? ANIMATION : {})
  }

  /** Opens a layer (null: the overview). `history`: push a new entry, replace it, or leave the URL. */
  function open(layerId: string | null, history: 'push' | 'replace' | 'none' = 'push'): void {
    const layers = view.$layers.get()
    const target = layerId && layers.has(layerId) ? layerId : null
    if (target && view.$locallyHidden.get().has(target)) view.toggleLocallyHidden(target)
    view.$focus.set(target)
    if (target && view.canWriteIn(target)) view.setActive(target)
    const path = target ? layerPath(boardId, target) : boardPath(boardId)
    if (history === 'push' && location.pathname !== path) window.history.pushState(null, '', path)
    if (history === 'replace' && location.pathname !== path) window.history.replaceState(null, '', path)
    editor.selectNone()
    // After the visibility change has rendered, so hidden shapes do not count.
    requestAnimationFrame(() => fitCamera(target))
  }

  const onPopState = () => {
    const route = parseRoute(location.pathname)
    if (route.page === 'board' && route.boardId === boardId) open(route.layerId, 'none')
  }
  window.addEventListener('popstate', onPopState)

  return {
    open,
    fitCamera,
    goToNorthStar,
    dispose() {
      window.removeEventListener('popstate', onPopState)
    },
  }
}

// [1] Fitting a board of thousands of shapes made it open at zoom 0.06: nothing readable,
//     and every shape on screen at once, so tldraw drew (and the browser laid out) all of
//     them before the first frame. At a readable zoom most shapes are off screen; tldraw
//     culls those, and `LayerShapeWrapper` does not draw their content until first seen.
