/**
 * What the path buttons do to the drawing: start a path, add the next milestone, insert,
 * reorder and remove one, and reconnect a broken chain to the north star. Which arrows to
 * keep, rebind, create or remove is `planChain` (`shared/paths.ts`); this file only turns
 * that plan into tldraw shapes and arrow bindings, each action one undo step.
 *
 * New shapes go to the path's layer: the action makes it the active layer first, so the
 * layer rules (`layers/rules.ts`) stamp it and check it like any shape the person draws.
 */
import { Box, createShapeId, type Editor, type TLShapeId, Vec, type VecLike } from 'tldraw'
import { today } from '../../../shared/dates.ts'
import { type IterationRhythm, iterationAfter, iterationOf } from '../../../shared/iterations.ts'
import type { LayerRecord } from '../../../shared/layers.ts'
import {
  type BoardPath,
  type ChainPlan,
  chainOf,
  edgesOf,
  insertAfter,
  moveWithin,
  type PathGraph,
  type PathRecord,
  planChain,
  readPaths,
  without,
} from '../../../shared/paths.ts'
import {
  MILESTONE_SIZE,
  MILESTONE_TYPE,
  type MilestoneShape,
  NORTH_STAR_ID,
  PATH_START_SIZE,
  PATH_START_TYPE,
} from '../../../shared/schema/index.ts'
import type { LayerView } from '../layers/layerView.ts'

/** Distance between two steps' centres along a path. */
const STEP = 380
/** How far from the north star's centre a new path starts, at least. */
const START_DISTANCE = 1100

/** The board's paths as the editor holds them now. */
export function currentPaths(editor: Editor): PathGraph {
  return readPaths(editor.store.allRecords() as unknown as PathRecord[])
}

function centerOf(editor: Editor, id: string): Vec | null {
  return editor.getShapePageBounds(id as TLShapeId)?.center ?? null
}

/** The unit vector from `from` toward the north star (straight up if they coincide). */
function towardNorthStar(editor: Editor, from: VecLike): Vec {
  const target = centerOf(editor, NORTH_STAR_ID) ?? new Vec(0, 0)
  const direction = Vec.Sub(target, from)
  return direction.len() < 1 ? new Vec(0, -1) : direction.uni()
}

function newMilestone(editor: Editor, center: VecLike, { start, end }: { start: string; end: string }): TLShapeId {
  const id = createShapeId()
  editor.createShape<MilestoneShape>({
    id,
    type: MILESTONE_TYPE,
    x: center.x - MILESTONE_SIZE.w / 2,
    y: center.y - MILESTONE_SIZE.h / 2,
    props: { ...MILESTONE_SIZE, start, end },
  })
  return id
}

/** Turns a chain plan into arrows and bindings, in `color`. */
function applyPlan(editor: Editor, plan: ChainPlan, color: LayerRecord['color']): void {
  const bind = (arrowId: TLShapeId, from: string, to: string) => {
    editor.deleteBindings(editor.getBindingsFromShape(arrowId, 'arrow'))
    const props = { normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' as const }
    editor.createBindings([
      { type: 'arrow', fromId: arrowId, toId: from as TLShapeId, props: { ...props, terminal: 'start' } },
      { type: 'arrow', fromId: arrowId, toId: to as TLShapeId, props: { ...props, terminal: 'end' } },
    ])
  }
  for (const edge of plan.rebind) bind(edge.arrowId as TLShapeId, edge.from, edge.to)
  for (const join of plan.create) {
    const from = centerOf(editor, join.from) ?? new Vec()
    const to = centerOf(editor, join.to) ?? new Vec()
    const id = createShapeId()
    editor.createShape({
      id,
      type: 'arrow',
      x: from.x,
      y: from.y,
      props: { start: { x: 0, y: 0 }, end: { x: to.x - from.x, y: to.y - from.y }, color, size: 'l' },
    })
    bind(id, join.from, join.to)
  }
  if (plan.remove.length) editor.deleteShapes(plan.remove as TLShapeId[])
}

interface PathContext {
  editor: Editor
  view: LayerView
  rhythm: IterationRhythm
}

function layerColor(view: LayerView, layerId: string): LayerRecord['color'] {
  return view.$layers.get().get(layerId)?.color ?? 'blue'
}

/** Makes the path's layer the one new shapes go to; false if this person may not write it. */
function enterLayer(view: LayerView, layerId: string): boolean {
  if (!view.canWriteIn(layerId)) return false
  view.setActive(layerId)
  return true
}

function rewire(context: PathContext, path: BoardPath, order: string[]): void {
  applyPlan(context.editor, planChain(edgesOf(path), order), layerColor(context.view, path.layerId))
}

/**
 * Starts a path in `layerId`: "Nu" in view (but well away from the north star), a first
 * milestone in the current iteration one step toward the north star, and the arrows
 * start → milestone → north star. Returns the new milestone's id.
 */
export function startPath(context: PathContext, layerId: string): TLShapeId | null {
  const { editor, view, rhythm } = context
  if (!enterLayer(view, layerId)) return null
  const northStar = centerOf(editor, NORTH_STAR_ID) ?? new Vec()
  let start = editor.getViewportPageBounds().center
  const away = Vec.Sub(start, northStar)
  if (away.len() < START_DISTANCE) {
    start = Vec.Add(northStar, (away.len() < 1 ? new Vec(0, 1) : away.uni()).mul(START_DISTANCE))
  }
  let milestoneId: TLShapeId | null = null
  editor.markHistoryStoppingPoint('start path')
  editor.run(() => {
    const startId = createShapeId()
    editor.createShape({
      id: startId,
      type: PATH_START_TYPE,
      x: start.x - PATH_START_SIZE.w / 2,
      y: start.y - PATH_START_SIZE.h / 2,
    })
    const { start: first, end } = iterationOf(rhythm, today())
    milestoneId = newMilestone(editor, Vec.Add(start, towardNorthStar(editor, start).mul(STEP)), { start: first, end })
    applyPlan(editor, planChain([], [startId, milestoneId, NORTH_STAR_ID]), layerColor(view, layerId))
  })
  if (milestoneId) {
    editor.select(milestoneId)
    showWithNorthStar(editor, milestoneId)
  }
  return milestoneId
}

/** Moves the camera so the new step and the north star it heads for are both in view. */
function showWithNorthStar(editor: Editor, id: TLShapeId): void {
  const step = editor.getShapePageBounds(id)
  const star = editor.getShapePageBounds(NORTH_STAR_ID)
  if (!step || !star) return
  if (editor.getViewportPageBounds().contains(step)) return
  editor.zoomToBounds(Box.Common([step, star]), { inset: 80, animation: { duration: 300 } })
}

/** The span of the iteration after `afterId`'s (or the current one after a start point). */
function spanAfter(context: PathContext, afterId: string): { start: string; end: string } {
  const shape = context.editor.getShape<MilestoneShape>(afterId as TLShapeId)
  const iteration =
    shape?.type === MILESTONE_TYPE
      ? iterationAfter(context.rhythm, shape.props.end)
      : iterationOf(context.rhythm, today())
  return { start: iteration.start, end: iteration.end }
}

/**
 * Adds a milestone after the path's last one, a step further toward the north star, in
 * the next iteration, and joins it into the chain (which then reaches the north star, even
 * if it did not before).
 */
export function addNextMilestone(context: PathContext, path: BoardPath): TLShapeId | null {
  const { editor, view } = context
  if (!enterLayer(view, path.layerId)) return null
  const lastId = path.milestoneIds.at(-1) ?? path.id
  const last = centerOf(editor, lastId) ?? new Vec()
  const northStar = centerOf(editor, NORTH_STAR_ID) ?? new Vec()
  // Never onto the north star itself: the last step stops short of it.
  const distance = Math.min(STEP, Math.max(STEP / 2, Vec.Dist(last, northStar) - STEP))
  let id: TLShapeId | null = null
  editor.markHistoryStoppingPoint('next milestone')
  editor.run(() => {
    id = newMilestone(editor, Vec.Add(last, towardNorthStar(editor, last).mul(distance)), spanAfter(context, lastId))
    rewire(context, path, [path.id, ...path.milestoneIds, id, NORTH_STAR_ID])
  })
  if (id) {
    editor.select(id)
    showWithNorthStar(editor, id)
  }
  return id
}

/** Inserts a milestone between `afterId` and the node after it, halfway between them. */
export function insertMilestoneAfter(context: PathContext, path: BoardPath, afterId: string): TLShapeId | null {
  const { editor, view } = context
  if (!enterLayer(view, path.layerId)) return null
  const order = chainOf(path)
  const nextId = order[order.indexOf(afterId) + 1]
  if (!nextId) return addNextMilestone(context, path)
  const a = centerOf(editor, afterId) ?? new Vec()
  const b = centerOf(editor, nextId) ?? new Vec()
  let id: TLShapeId | null = null
  editor.markHistoryStoppingPoint('insert milestone')
  editor.run(() => {
    id = newMilestone(editor, Vec.Lrp(a, b, 0.5), spanAfter(context, afterId))
    rewire(context, path, insertAfter(order, afterId, id))
  })
  if (id) editor.select(id)
  return id
}

/**
 * Moves a milestone one place earlier (-1) or later (+1) on its path. It swaps places and
 * iterations with its neighbour, so the drawing still reads from "Nu" to the north star and
 * the steps stay in iteration order.
 */
export function moveMilestone(context: PathContext, path: BoardPath, id: string, by: -1 | 1): void {
  const { editor, view } = context
  if (!view.canWriteIn(path.layerId)) return
  const at = path.milestoneIds.indexOf(id)
  const otherId = path.milestoneIds[at + by]
  const shape = editor.getShape<MilestoneShape>(id as TLShapeId)
  const other = otherId ? editor.getShape<MilestoneShape>(otherId as TLShapeId) : undefined
  if (at < 0 || !shape || !other) return
  const order = chainOf(path)
  editor.markHistoryStoppingPoint('reorder milestone')
  editor.run(() => {
    editor.updateShapes<MilestoneShape>([
      {
        id: shape.id,
        type: MILESTONE_TYPE,
        x: other.x,
        y: other.y,
        props: { start: other.props.start, end: other.props.end },
      },
      {
        id: other.id,
        type: MILESTONE_TYPE,
        x: shape.x,
        y: shape.y,
        props: { start: shape.props.start, end: shape.props.end },
      },
    ])
    rewire(context, path, moveWithin(order, id, by, { first: 1, last: path.reachesNorthStar ? 1 : 0 }))
  })
}

/** Removes a milestone; its neighbours are joined, so the chain stays one. */
export function removeMilestone(context: PathContext, path: BoardPath, id: string): void {
  const { editor, view } = context
  if (!view.canWriteIn(path.layerId)) return
  editor.markHistoryStoppingPoint('remove milestone')
  editor.run(() => {
    // The arrows go first: deleting the milestone would take their bindings with it.
    rewire(context, path, without(chainOf(path), id))
    editor.deleteShapes([id as TLShapeId])
  })
}

/** Joins a broken path's last step to the north star again. */
export function connectToNorthStar(context: PathContext, path: BoardPath): void {
  if (path.reachesNorthStar || !enterLayer(context.view, path.layerId)) return
  context.editor.markHistoryStoppingPoint('connect path')
  context.editor.run(() => rewire(context, path, [...chainOf(path), NORTH_STAR_ID]))
}
