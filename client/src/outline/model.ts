/**
 * The outline's content: the drawing as a tree of plain facts — the mission, the strategy's
 * texts in reading order, and each layer with its progress, its paths and their milestones.
 * A pure function of the board's records (no editor, no React), so it is tested on plain
 * records and the panel only renders what it returns (`OutlineView.tsx`).
 *
 * What counts, and why:
 * - The mission is the north star's text, the strategy every other text on the root layer
 *   (text, sticky note, geo shape with text), in reading order: top to bottom, and left to
 *   right within a row [1].
 * - Paths and progress come from `shared/paths.ts`, the very functions the layer panel,
 *   the wall display and the paths API use, so the outline never tells another story.
 * - A layer hidden for everyone (a facilitator's draft) is left out, with the layers below
 *   it, for everyone but facilitators: the outline shows what the canvas shows.
 */
import { isIsoDate } from '../../../shared/dates.ts'
import { type IterationRhythm, iterationOf } from '../../../shared/iterations.ts'
import { childrenOf, type LayerRecord, type Layers, layerOfShape, ROOT_LAYER_ID } from '../../../shared/layers.ts'
import {
  type LayerProgress,
  layerProgress,
  type Milestone,
  milestonesOn,
  type PathRecord,
  type Progress,
  pathProgress,
  readPaths,
} from '../../../shared/paths.ts'
import { NORTH_STAR_ID } from '../../../shared/schema/index.ts'
import { richTextToPlain } from '../display/richText.ts'

/** A record as the outline reads it: a path record, with a shape's place on the page. */
export interface OutlineRecord extends PathRecord {
  x?: number
  y?: number
  parentId?: string
}

export interface OutlineMilestone extends Milestone {
  overdue: boolean
  /** The iteration its start falls in, when the board has a rhythm. */
  iteration: { number: number; start: string; end: string } | null
}

export interface OutlinePath {
  id: string
  /** 1, 2, … within its layer, in drawing order. */
  number: number
  reachesNorthStar: boolean
  progress: Progress
  milestones: OutlineMilestone[]
}

export interface OutlineLayer {
  layer: LayerRecord
  /** 0 for the root layer, 1 for a department… */
  depth: number
  /** Rolled up: the layer's own milestones and those of every layer below it. */
  progress: LayerProgress
  paths: OutlinePath[]
  /** The layer's milestones on no path. */
  loose: OutlineMilestone[]
  children: OutlineLayer[]
}

export interface Outline {
  mission: string
  subtitle: string
  strategy: string[]
  /** The root layer, its children inside it. Null before the board has a root layer. */
  root: OutlineLayer | null
}

export interface OutlineOptions {
  layers: Layers
  /** `YYYY-MM-DD`: what counts as overdue. */
  today: string
  /** The board's rhythm (`meta.iterations`); null: milestones show their dates only. */
  rhythm: IterationRhythm | null
  /** Whether layers hidden for everyone are shown (facilitators see their drafts). */
  showHidden: boolean
  /** A shape's top-left on the page (children of groups and frames are placed relative to them). */
  pagePoint?: (record: OutlineRecord) => { x: number; y: number }
}

/** Shapes whose text is part of the strategy. */
const TEXT_SHAPE_TYPES = new Set(['text', 'note', 'geo'])

/** Two texts whose tops are this close (page units) read as one row, left to right. */
export const ROW_TOLERANCE = 40

/** The outline of a board's records. */
export function buildOutline(records: Iterable<OutlineRecord>, options: OutlineOptions): Outline {
  const all = [...records]
  const { layers, today, rhythm, showHidden } = options
  const pagePoint = options.pagePoint ?? ((record: OutlineRecord) => ({ x: record.x ?? 0, y: record.y ?? 0 }))
  const inLayer = (record: OutlineRecord) => (layers.has(layerOfShape(record)) ? layerOfShape(record) : ROOT_LAYER_ID)

  const northStar = all.find((record) => record.id === NORTH_STAR_ID)
  const mission = richTextToPlain(northStar?.props?.mission)
  const subtitle = typeof northStar?.props?.subtitle === 'string' ? northStar.props.subtitle.trim() : ''

  const strategy = readingOrder(
    all.flatMap((record) => {
      if (record.typeName !== 'shape' || record.id === NORTH_STAR_ID || !TEXT_SHAPE_TYPES.has(record.type ?? ''))
        return []
      if (inLayer(record) !== ROOT_LAYER_ID) return []
      const text = richTextToPlain(record.props?.richText)
      return text ? [{ text, ...pagePoint(record) }] : []
    }),
  )

  const graph = readPaths(all)
  const progress = layerProgress(layers, graph, today)
  const describe = (milestone: Milestone): OutlineMilestone => ({
    ...milestone,
    overdue:
      progress
        .get(layers.has(milestone.layerId) ? milestone.layerId : ROOT_LAYER_ID)
        ?.overdueIds.includes(milestone.id) ?? false,
    iteration: rhythm && isIsoDate(milestone.start) ? iterationOf(rhythm, milestone.start) : null,
  })
  const layerOf = (layerId: string) => (layers.has(layerId) ? layerId : ROOT_LAYER_ID)

  const visit = (layer: LayerRecord, depth: number, seen: Set<string>): OutlineLayer => {
    const paths = graph.paths
      .filter((path) => layerOf(path.layerId) === layer.id)
      .map((path, i) => ({
        id: path.id,
        number: i + 1,
        reachesNorthStar: path.reachesNorthStar,
        progress: pathProgress(graph, path, today),
        milestones: milestonesOn(graph, path).map(describe),
      }))
    const loose = graph.looseMilestoneIds
      .flatMap((id) => graph.milestones.get(id) ?? [])
      .filter((milestone) => layerOf(milestone.layerId) === layer.id)
      .map(describe)
    const children: OutlineLayer[] = []
    for (const child of childrenOf(layers, layer.id)) {
      if (seen.has(child.id) || (!child.visible && !showHidden)) continue
      seen.add(child.id)
      children.push(visit(child, depth + 1, seen))
    }
    return {
      layer,
      depth,
      progress: progress.get(layer.id) ?? emptyProgress(),
      paths,
      loose,
      children,
    }
  }
  const rootLayer = layers.get(ROOT_LAYER_ID)
  return {
    mission,
    subtitle,
    strategy,
    root: rootLayer ? visit(rootLayer, 0, new Set([ROOT_LAYER_ID])) : null,
  }
}

/** Texts top to bottom; those whose tops lie within `ROW_TOLERANCE` of a row's first, left to right. */
export function readingOrder(items: { text: string; x: number; y: number }[]): string[] {
  const byTop = [...items].sort((a, b) => a.y - b.y || a.x - b.x)
  const rows: (typeof items)[] = []
  for (const item of byTop) {
    const row = rows.at(-1)
    if (row && item.y - row[0].y <= ROW_TOLERANCE) row.push(item)
    else rows.push([item])
  }
  return rows.flatMap((row) => row.sort((a, b) => a.x - b.x).map((item) => item.text))
}

function emptyProgress(): LayerProgress {
  const own = { done: 0, total: 0, overdueIds: [], paths: 0, brokenPaths: 0 }
  return { ...own, overdueIds: [], own }
}

// [1] A screen reader reads the strategy as the eye does a poster: rows from the top, each
//     from the left. Texts rarely share an exact top, so tops within `ROW_TOLERANCE` of a
//     row's first text count as that row.
