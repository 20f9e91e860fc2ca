/**
 * Development paths (ontwikkelpaden), read out of a board's records. A path is a chain of
 * arrows bound at both ends: from a start point ("Nu", `path-start`) through milestones to
 * the north star. Nothing stores the chain itself; the arrows' bindings are the chain, so
 * moving, copying or undoing shapes can never leave a list and the drawing disagreeing.
 *
 * Pure functions over plain records (no tldraw editor, no Yjs): the client's layer panel,
 * outline and celebration, and the server's paths API all call these.
 * - `readPaths`: every path in drawing order, with its milestones and arrows, and whether
 *   it reaches the north star.
 * - `progressOf`, `layerProgress`: done of total and what is overdue, rolled up the layer tree.
 * - `planChain`: the arrows to rebind, create and remove so a chain runs in a given order
 *   (insert, reorder, remove a milestone).
 */
import { dayNumber, isIsoDate } from './dates.ts'
import { childrenOf, type Layers, layerOfShape, ROOT_LAYER_ID } from './layers.ts'
import { MILESTONE_TYPE, type MilestoneProps } from './schema/milestone.ts'
import { NORTH_STAR_ID, NORTH_STAR_TYPE } from './schema/northStar.ts'
import { PATH_START_TYPE } from './schema/pathStart.ts'

/** The fields of a stored record these functions read: a shape, a binding, anything else. */
export interface PathRecord {
  id: string
  typeName: string
  type?: string
  index?: string
  fromId?: string
  toId?: string
  props?: Record<string, unknown>
  meta?: Record<string, unknown>
}

/** A milestone as paths read it: its props without the size, its id and its layer. */
export interface Milestone extends Omit<MilestoneProps, 'w' | 'h'> {
  id: string
  layerId: string
}

/** An arrow bound at both ends: `from` → `to`. */
export interface ChainEdge {
  arrowId: string
  from: string
  to: string
}

export interface BoardPath {
  /** The start point's id: a path is known by where it starts. */
  id: string
  layerId: string
  /** Its milestones in order, from "now" toward the north star. */
  milestoneIds: string[]
  /** `arrowIds[i]` joins node i to node i + 1, node 0 being the start point. */
  arrowIds: string[]
  /** Whether the last arrow is bound to the north star. */
  reachesNorthStar: boolean
}

export interface PathGraph {
  paths: BoardPath[]
  milestones: Map<string, Milestone>
  /** Milestones on no path (drawn alone, or cut off by a deleted arrow). */
  looseMilestoneIds: string[]
  /** Every arrow bound at both ends, by the shape it starts from. */
  edgesFrom: Map<string, ChainEdge[]>
}

function milestoneOf(record: PathRecord): Milestone {
  const props = record.props ?? {}
  const text = (value: unknown) => (typeof value === 'string' ? value : '')
  const status = props.status === 'done' || props.status === 'in-progress' ? props.status : 'planned'
  return {
    id: record.id,
    layerId: layerOfShape(record),
    title: text(props.title),
    description: text(props.description),
    owner: text(props.owner),
    start: text(props.start),
    end: text(props.end),
    status,
    doneAt: typeof props.doneAt === 'number' ? props.doneAt : null,
  }
}

function byIndex(a: { index?: string; id: string }, b: { index?: string; id: string }): number {
  const ai = a.index ?? ''
  const bi = b.index ?? ''
  if (ai !== bi) return ai < bi ? -1 : 1
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Every path on the board, in drawing order, and the milestones on none. */
export function readPaths(records: Iterable<PathRecord>): PathGraph {
  const shapes = new Map<string, PathRecord>()
  const ends = new Map<string, { from?: string; to?: string }>()
  for (const record of records) {
    if (record.typeName === 'shape') shapes.set(record.id, record)
    else if (record.typeName === 'binding' && record.type === 'arrow' && record.fromId && record.toId) {
      const terminal = record.props?.terminal
      const end = ends.get(record.fromId) ?? {}
      if (terminal === 'start') end.from = record.toId
      else if (terminal === 'end') end.to = record.toId
      ends.set(record.fromId, end)
    }
  }

  const edgesFrom = new Map<string, ChainEdge[]>()
  const arrows = [...shapes.values()].filter((shape) => shape.type === 'arrow').sort(byIndex)
  for (const arrow of arrows) {
    const end = ends.get(arrow.id)
    if (!end?.from || !end.to || end.from === end.to) continue
    if (!shapes.has(end.from) || !shapes.has(end.to)) continue
    const list = edgesFrom.get(end.from) ?? []
    list.push({ arrowId: arrow.id, from: end.from, to: end.to })
    edgesFrom.set(end.from, list)
  }

  const milestones = new Map<string, Milestone>()
  for (const shape of shapes.values()) if (shape.type === MILESTONE_TYPE) milestones.set(shape.id, milestoneOf(shape))
  const isNorthStar = (id: string) => id === NORTH_STAR_ID || shapes.get(id)?.type === NORTH_STAR_TYPE

  const onPath = new Set<string>()
  const paths: BoardPath[] = []
  const starts = [...shapes.values()].filter((shape) => shape.type === PATH_START_TYPE).sort(byIndex)
  for (const start of starts) {
    const path: BoardPath = {
      id: start.id,
      layerId: layerOfShape(start),
      milestoneIds: [],
      arrowIds: [],
      reachesNorthStar: false,
    }
    let node = start.id
    for (;;) {
      // Toward the north star first, then to a milestone nobody's path holds yet; so at a
      // fork the path does not depend on which arrow is drawn on top.
      const edges = edgesFrom.get(node) ?? []
      const next =
        edges.find((edge) => isNorthStar(edge.to)) ??
        edges.find((edge) => milestones.has(edge.to) && !onPath.has(edge.to))
      if (!next) break
      path.arrowIds.push(next.arrowId)
      if (isNorthStar(next.to)) {
        path.reachesNorthStar = true
        break
      }
      onPath.add(next.to)
      path.milestoneIds.push(next.to)
      node = next.to
    }
    paths.push(path)
  }
  const looseMilestoneIds = [...milestones.keys()].filter((id) => !onPath.has(id)).sort()
  return { paths, milestones, looseMilestoneIds, edgesFrom }
}

/** Whether a milestone's iteration has ended without it being done. */
export function isOverdue(milestone: Pick<Milestone, 'status' | 'end'>, todayIso: string): boolean {
  return milestone.status !== 'done' && isIsoDate(milestone.end) && dayNumber(milestone.end) < dayNumber(todayIso)
}

export interface Progress {
  done: number
  total: number
  overdueIds: string[]
}

export function progressOf(milestones: Iterable<Milestone>, todayIso: string): Progress {
  const progress: Progress = { done: 0, total: 0, overdueIds: [] }
  for (const milestone of milestones) {
    progress.total++
    if (milestone.status === 'done') progress.done++
    else if (isOverdue(milestone, todayIso)) progress.overdueIds.push(milestone.id)
  }
  return progress
}

/** A path's progress. */
export function pathProgress(graph: PathGraph, path: BoardPath, todayIso: string): Progress {
  return progressOf(milestonesOn(graph, path), todayIso)
}

/** A path's milestones in order. */
export function milestonesOn(graph: PathGraph, path: BoardPath): Milestone[] {
  return path.milestoneIds.flatMap((id) => graph.milestones.get(id) ?? [])
}

export interface LayerProgress extends Progress {
  /** Paths in the layer and below it. */
  paths: number
  /** Of those, the ones whose chain does not reach the north star. */
  brokenPaths: number
  /** Only the layer's own milestones and paths, without the layers below. */
  own: Progress & { paths: number; brokenPaths: number }
}

/**
 * Progress per layer, each counting its own milestones (on a path or not) and paths plus
 * everything below it: a department shows its teams' steps too, the root the whole board's.
 */
export function layerProgress(layers: Layers, graph: PathGraph, todayIso: string): Map<string, LayerProgress> {
  const own = new Map<string, Progress & { paths: number; brokenPaths: number }>()
  const ownOf = (layerId: string) => {
    let entry = own.get(layerId)
    if (!entry) {
      entry = { done: 0, total: 0, overdueIds: [], paths: 0, brokenPaths: 0 }
      own.set(layerId, entry)
    }
    return entry
  }
  for (const milestone of graph.milestones.values()) {
    const entry = ownOf(layers.has(milestone.layerId) ? milestone.layerId : ROOT_LAYER_ID)
    const one = progressOf([milestone], todayIso)
    entry.done += one.done
    entry.total += one.total
    entry.overdueIds.push(...one.overdueIds)
  }
  for (const path of graph.paths) {
    const entry = ownOf(layers.has(path.layerId) ? path.layerId : ROOT_LAYER_ID)
    entry.paths++
    if (!path.reachesNorthStar) entry.brokenPaths++
  }

  const result = new Map<string, LayerProgress>()
  const visit = (layerId: string, seen: Set<string>): LayerProgress => {
    const mine = ownOf(layerId)
    const total: LayerProgress = { ...mine, overdueIds: [...mine.overdueIds], own: mine }
    for (const child of childrenOf(layers, layerId)) {
      if (seen.has(child.id)) continue
      seen.add(child.id)
      const sub = visit(child.id, seen)
      total.done += sub.done
      total.total += sub.total
      total.paths += sub.paths
      total.brokenPaths += sub.brokenPaths
      total.overdueIds.push(...sub.overdueIds)
    }
    result.set(layerId, total)
    return total
  }
  if (layers.has(ROOT_LAYER_ID)) visit(ROOT_LAYER_ID, new Set([ROOT_LAYER_ID]))
  return result
}

/** The path a milestone is on, if any. */
export function pathOfMilestone(graph: PathGraph, milestoneId: string): BoardPath | undefined {
  return graph.paths.find((path) => path.milestoneIds.includes(milestoneId))
}

/** The node ids of a path in order: start point, milestones, and the north star if reached. */
export function chainOf(path: BoardPath): string[] {
  return [path.id, ...path.milestoneIds, ...(path.reachesNorthStar ? [NORTH_STAR_ID] : [])]
}

export interface ChainPlan {
  /** Arrows to bind to new ends. */
  rebind: ChainEdge[]
  /** Arrows to create. */
  create: { from: string; to: string }[]
  /** Arrows to delete. */
  remove: string[]
}

/**
 * What to change so the arrows in `existing` join `order` (node ids, first to last) and
 * nothing else: arrows already joining two neighbours stay, leftover ones are rebound to
 * the missing joins, and only then are new ones created or spare ones removed. Used to
 * insert, reorder and remove milestones; applying the plan leaves exactly one chain.
 */
export function planChain(existing: readonly ChainEdge[], order: readonly string[]): ChainPlan {
  const wanted: { from: string; to: string }[] = []
  for (let i = 0; i + 1 < order.length; i++) wanted.push({ from: order[i], to: order[i + 1] })
  const spare = [...existing]
  const missing: { from: string; to: string }[] = []
  for (const join of wanted) {
    const at = spare.findIndex((edge) => edge.from === join.from && edge.to === join.to)
    if (at >= 0) spare.splice(at, 1)
    else missing.push(join)
  }
  const rebind: ChainEdge[] = []
  const create: { from: string; to: string }[] = []
  for (const join of missing) {
    const arrow = spare.shift()
    if (arrow) rebind.push({ arrowId: arrow.arrowId, ...join })
    else create.push(join)
  }
  return { rebind, create, remove: spare.map((edge) => edge.arrowId) }
}

/** The edges of `path` as they are drawn, for `planChain`. */
export function edgesOf(path: BoardPath): ChainEdge[] {
  const nodes = chainOf(path)
  return path.arrowIds.map((arrowId, i) => ({ arrowId, from: nodes[i], to: nodes[i + 1] ?? NORTH_STAR_ID }))
}

/** `order` with `id` inserted after `afterId` (at the end if it is not there). */
export function insertAfter(order: readonly string[], afterId: string, id: string): string[] {
  const at = order.indexOf(afterId)
  const out = [...order]
  out.splice(at < 0 ? out.length : at + 1, 0, id)
  return out
}

/**
 * `order` with `id` moved `by` places (negative: toward the start), within the milestones:
 * the start point and a trailing north star stay at the ends and do not move themselves.
 */
export function moveWithin(
  order: readonly string[],
  id: string,
  by: number,
  fixedEnds = { first: 1, last: order.at(-1) === NORTH_STAR_ID ? 1 : 0 },
): string[] {
  const out = [...order]
  const from = out.indexOf(id)
  const min = fixedEnds.first
  const max = out.length - 1 - fixedEnds.last
  if (from < min || from > max) return out
  const to = Math.min(max, Math.max(min, from + by))
  out.splice(from, 1)
  out.splice(to, 0, id)
  return out
}

/** `order` without `id`. */
export function without(order: readonly string[], id: string): string[] {
  return order.filter((node) => node !== id)
}
