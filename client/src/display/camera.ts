/**
 * Where the wall display looks. Three modes, each a controller that owns the camera while
 * it runs and gives it back (timers, listeners) when stopped:
 * - overview: the whole (visible) drawing, refitted as it grows, at most every 1.5 s [1];
 * - tour: the north star, then each department (children of the root layer, in order,
 *   those with something drawn), then around again, `seconds` per stop;
 * - follow: mirrors the viewport of a facilitator present in the room; overview when none is.
 * A celebration interrupts overview and tour (`showMilestone`), never follow.
 *
 * Every move fits a page box into the *safe area* of the screen — the part not covered by
 * the header strip or the join panel — with one smooth camera animation.
 */
import { Box, EASINGS, type Editor, type TLShape } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import { childrenOf, type LayerRecord, layerOfShape, ROOT_LAYER_ID, subtreeOf } from '../../../shared/layers.ts'
import { readStamp } from '../../../shared/presence.ts'
import { NORTH_STAR_ID } from '../../../shared/schema/index.ts'

/** A rectangle in viewport pixels. */
export interface ScreenArea {
  x: number
  y: number
  w: number
  h: number
}

export type GetSafeArea = () => ScreenArea

/** Minimum time between two overview refits while the drawing changes [1]. */
export const REFIT_INTERVAL_MS = 1_500
const REFIT_DURATION_MS = 900
const FOLLOW_INTERVAL_MS = 250
const FOLLOW_DURATION_MS = 350
/** Screen pixels kept free around what is fitted. */
const PADDING_PX = 32

export interface FitOptions {
  /** Never zoom in further than this (a lone sticky note should not fill a 65-inch screen). */
  maxZoom?: number
  /** Animation length; 0 jumps. */
  duration?: number
}

/** Moves the camera so that `box` (page space) fills `area` (viewport pixels), centred. */
export function fitBoxInto(editor: Editor, box: Box, area: ScreenArea, { maxZoom = 1, duration = 0 }: FitOptions = {}) {
  const { zoomSteps } = editor.getCameraOptions()
  const minZoom = zoomSteps[0] ?? 0.05
  const w = Math.max(1, area.w - 2 * PADDING_PX)
  const h = Math.max(1, area.h - 2 * PADDING_PX)
  const z = Math.min(maxZoom, Math.max(minZoom, Math.min(w / Math.max(box.w, 1), h / Math.max(box.h, 1))))
  const target = { x: (area.x + area.w / 2) / z - box.midX, y: (area.y + area.h / 2) / z - box.midY, z }
  const now = editor.getCamera()
  // Already there (in screen pixels): do not restart an animation for nothing.
  if (Math.abs(now.z - z) / z < 0.005 && Math.abs((now.x - target.x) * z) < 1 && Math.abs((now.y - target.y) * z) < 1) {
    return
  }
  editor.setCamera(target, {
    force: true,
    ...(duration > 0 ? { animation: { duration, easing: EASINGS.easeInOutCubic } } : { immediate: true }),
  })
}

/** Top-level shapes the display draws (layers hidden for everyone, or out of focus, are not). */
function shownShapes(editor: Editor): TLShape[] {
  const pageId = editor.getCurrentPageId()
  return editor.getCurrentPageShapes().filter((shape) => shape.parentId === pageId && !editor.isShapeHidden(shape))
}

function commonBounds(editor: Editor, shapes: Iterable<TLShape>): Box | null {
  const boxes: Box[] = []
  for (const shape of shapes) {
    const bounds = editor.getShapePageBounds(shape)
    if (bounds) boxes.push(bounds)
  }
  return boxes.length ? Box.Common(boxes) : null
}

/** The bounds of everything the display shows, or null for an empty board. */
export function shownContentBounds(editor: Editor): Box | null {
  return commonBounds(editor, shownShapes(editor))
}

/**
 * The board's layer records, by id. Layers are records in the store like shapes; the
 * store's query is reactive, so a `useValue` or `computed` reading this updates with them.
 */
export function readLayerRecords(editor: Editor): Map<string, LayerRecord> {
  const records = editor.store.query.records('layer' as never).get() as unknown as LayerRecord[]
  return new Map(records.map((layer) => [layer.id, layer]))
}

/** Calls `fn` at most once per `ms`, the last call always running (trailing edge). */
function throttle(fn: () => void, ms: number): { call(): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined
  let last = 0
  return {
    call() {
      if (timer !== undefined) return
      const wait = Math.max(0, last + ms - Date.now())
      timer = setTimeout(() => {
        timer = undefined
        last = Date.now()
        fn()
      }, wait)
    },
    cancel() {
      clearTimeout(timer)
      timer = undefined
    },
  }
}

/** Overview: keeps the whole drawing fitted as it grows or the screen resizes. Returns stop. */
export function startOverview(editor: Editor, getArea: GetSafeArea): () => void {
  const refit = (duration: number) => {
    const bounds = shownContentBounds(editor)
    if (bounds) fitBoxInto(editor, bounds, getArea(), { duration })
  }
  const later = throttle(() => refit(REFIT_DURATION_MS), REFIT_INTERVAL_MS)
  refit(REFIT_DURATION_MS)
  // On a display every change is remote; the visibility of layers also changes the bounds.
  const stopListening = editor.store.listen(() => later.call(), { scope: 'document' })
  window.addEventListener('resize', later.call)
  return () => {
    later.cancel()
    stopListening()
    window.removeEventListener('resize', later.call)
  }
}

/** One stop of the tour. */
export interface TourStop {
  /** The layer shown, or null for the north star. */
  layerId: string | null
  name: string
  color: string | null
  /** 0-based position and the number of stops, for "2 / 5". */
  index: number
  total: number
}

/** The tour's stops now: the north star, then each department with something shown in it. */
export function tourStops(editor: Editor): { layer: LayerRecord | null; bounds: Box }[] {
  const stops: { layer: LayerRecord | null; bounds: Box }[] = []
  const star = editor.getShapePageBounds(NORTH_STAR_ID)
  if (star) stops.push({ layer: null, bounds: star })
  const layers = readLayerRecords(editor)
  const shapes = shownShapes(editor)
  for (const department of childrenOf(layers, ROOT_LAYER_ID)) {
    if (!department.visible) continue
    const within = subtreeOf(layers, department.id)
    const bounds = commonBounds(
      editor,
      shapes.filter((shape) => shape.id !== NORTH_STAR_ID && within.has(layerOfShape(shape))),
    )
    if (bounds) stops.push({ layer: department, bounds })
  }
  return stops
}

export interface TourOptions {
  seconds: number
  getArea: GetSafeArea
  /** Called at every stop (with the name to caption it by); null when the tour stops. */
  onStop(stop: TourStop | null): void
  /** The caption for the north star stop. */
  northStarName: string
  /** The stop to begin at (0: the north star): a tour paused for a celebration resumes there. */
  firstStop?: number
}

/**
 * Tour: one stop every `seconds`, smoothly. The stops are recomputed at each step, so a
 * department added (or emptied) meanwhile joins (or leaves) the round. Returns stop.
 */
export function startTour(
  editor: Editor,
  { seconds, getArea, onStop, northStarName, firstStop = 0 }: TourOptions,
): () => void {
  let position = firstStop
  let timer: ReturnType<typeof setTimeout> | undefined
  // The move takes a quarter of the stop at most, so the stop is mostly spent standing still.
  const duration = Math.min(1_500, (seconds * 1000) / 4)
  const step = () => {
    const stops = tourStops(editor)
    if (stops.length === 0) {
      onStop(null)
      const bounds = shownContentBounds(editor)
      if (bounds) fitBoxInto(editor, bounds, getArea(), { duration })
    } else {
      const index = position % stops.length
      const { layer, bounds } = stops[index]
      onStop({
        layerId: layer?.id ?? null,
        name: layer?.name ?? northStarName,
        color: layer?.color ?? null,
        index,
        total: stops.length,
      })
      // The north star may come close; a department is shown whole.
      fitBoxInto(editor, bounds, getArea(), { duration, maxZoom: layer ? 1 : 1.5 })
      position = index + 1
    }
    timer = setTimeout(step, seconds * 1000)
  }
  step()
  return () => {
    clearTimeout(timer)
    onStop(null)
  }
}

/**
 * A celebration (`client/src/celebration/`): the milestone reached, with some of the
 * drawing around it, fitted into the safe area. The mode's controller is stopped meanwhile
 * and started again afterwards, so nothing else moves the camera during it.
 */
export function showMilestone(editor: Editor, shapeId: string, getArea: GetSafeArea, duration: number): void {
  const bounds = editor.getShapePageBounds(shapeId as TLShape['id'])
  if (!bounds) return
  // Room above it for the badge, and a little of the path on either side.
  const box = new Box(bounds.x - bounds.w * 0.75, bounds.y - bounds.h * 1.5, bounds.w * 2.5, bounds.h * 2.75)
  fitBoxInto(editor, box, getArea(), { duration, maxZoom: 1.5 })
}

/** A facilitator's viewport, from their awareness state (tldraw presence). */
export interface Leader {
  clientId: number
  name: string
  viewport: Box
}

/**
 * The facilitator to follow: the one followed before if still here, else the most recently
 * active. A facilitator is whom the server's stamp says is one (`shared/presence.ts`): a
 * participant writing `role: 'facilitator'` into its own state is never followed.
 */
export function findLeader(awareness: Awareness, previous: number | null): Leader | null {
  let best: (Leader & { active: number }) | null = null
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue
    if (readStamp(state)?.role !== 'facilitator') continue
    const { user, presence } = state as {
      user?: { name?: unknown }
      presence?: {
        camera?: { x: number; y: number; z: number }
        screenBounds?: { w: number; h: number }
        lastActivityTimestamp?: number
      } | null
    }
    if (!presence?.camera || !presence.screenBounds) continue
    const { camera, screenBounds } = presence
    if (!(camera.z > 0) || !(screenBounds.w > 0) || !(screenBounds.h > 0)) continue
    const viewport = new Box(-camera.x, -camera.y, screenBounds.w / camera.z, screenBounds.h / camera.z)
    const candidate = {
      clientId,
      name: typeof user?.name === 'string' ? user.name : '',
      viewport,
      active: clientId === previous ? Number.POSITIVE_INFINITY : (presence.lastActivityTimestamp ?? 0),
    }
    if (!best || candidate.active > best.active) best = candidate
  }
  return best && { clientId: best.clientId, name: best.name, viewport: best.viewport }
}

export interface FollowOptions {
  awareness: Awareness
  getArea: GetSafeArea
  /** Called with the facilitator followed, or null when none is present (overview meanwhile). */
  onLeader(leader: Leader | null): void
}

/**
 * Follow: mirrors a facilitator's viewport (what they see, fitted to this screen), checked
 * at most four times a second however fast cursors move. With no facilitator present it
 * shows the overview until one comes. Returns stop.
 */
export function startFollow(editor: Editor, { awareness, getArea, onLeader }: FollowOptions): () => void {
  let leaderId: number | null = null
  let stopOverview: (() => void) | null = null
  let lastViewport: Box | null = null
  const check = () => {
    const leader = findLeader(awareness, leaderId)
    if (!leader) {
      if (leaderId !== null || !stopOverview) onLeader(null)
      leaderId = null
      lastViewport = null
      stopOverview ??= startOverview(editor, getArea)
      return
    }
    if (leader.clientId !== leaderId) onLeader(leader)
    leaderId = leader.clientId
    stopOverview?.()
    stopOverview = null
    if (lastViewport?.equals(leader.viewport)) return
    lastViewport = leader.viewport
    fitBoxInto(editor, leader.viewport, getArea(), { duration: FOLLOW_DURATION_MS, maxZoom: 8 })
  }
  const later = throttle(check, FOLLOW_INTERVAL_MS)
  awareness.on('change', later.call)
  window.addEventListener('resize', later.call)
  check()
  return () => {
    later.cancel()
    awareness.off('change', later.call)
    window.removeEventListener('resize', later.call)
    stopOverview?.()
    onLeader(null)
  }
}

// [1] A burst of strokes would otherwise make the view twitch with every point; a refit
//     every 1.5 s, animated over 0.9 s, reads as the drawing calmly growing. The trailing
//     call means the last change is always fitted.
