/**
 * A board's development paths as a report: every layer (depth-first, the root first) with
 * its progress rolled up the tree, its paths in drawing order with their milestones, and
 * the milestones on no path; each milestone with the numbers of the iterations its days
 * fall in and whether it is overdue. The paths API answers with this (as JSON, or as CSV
 * rows, `csvRows`), and it is a pure function of the records, so a client (the outline)
 * can build the very same report from its own store.
 *
 * Everything is read with `shared/paths.ts` and `shared/iterations.ts`; nothing here
 * decides what a path or an iteration is.
 */
import type { LayerReport, MilestoneReport, PathReport, PathsResponse } from './api.ts'
import { isIsoDate } from './dates.ts'
import { effectiveRhythm, type IterationRhythm, iterationOf, readRhythm } from './iterations.ts'
import { flattenLayers, type Layers, ROOT_LAYER_ID } from './layers.ts'
import {
  isOverdue,
  layerProgress,
  type Milestone,
  milestonesOn,
  type PathRecord,
  progressOf,
  readPaths,
} from './paths.ts'

export interface ReportInput {
  boardId: string
  name: string
  /** Every record of the board (shapes, bindings…), decoded. */
  records: Iterable<PathRecord>
  layers: Layers
  /** `meta.iterations` as stored (anything: nonsense counts as none). */
  iterations: unknown
  /** The calendar day progress is counted on, `YYYY-MM-DD`. */
  today: string
}

/** The numbers of the iterations `start`…`end` fall in (none when a date is missing). */
export function iterationNumbers(rhythm: IterationRhythm, start: string, end: string): number[] {
  if (!isIsoDate(start) || !isIsoDate(end)) return []
  const first = iterationOf(rhythm, start).number
  const last = iterationOf(rhythm, end).number
  const numbers: number[] = []
  for (let n = first; n <= last; n++) numbers.push(n)
  return numbers
}

/** One milestone as the report shows it. */
export function milestoneReport(milestone: Milestone, rhythm: IterationRhythm, today: string): MilestoneReport {
  return {
    id: milestone.id,
    layerId: milestone.layerId,
    title: milestone.title,
    description: milestone.description,
    owner: milestone.owner,
    start: milestone.start,
    end: milestone.end,
    iterations: iterationNumbers(rhythm, milestone.start, milestone.end),
    status: milestone.status,
    doneAt: milestone.doneAt === null ? null : new Date(milestone.doneAt).toISOString(),
    overdue: isOverdue(milestone, today),
  }
}

export function pathsReport(input: ReportInput): PathsResponse {
  const stored = readRhythm(input.iterations)
  const rhythm = effectiveRhythm(stored, input.today)
  const current = iterationOf(rhythm, input.today)
  const graph = readPaths(input.records)
  const rolledUp = layerProgress(input.layers, graph, input.today)
  // A path or milestone naming a layer that is gone counts in the root, as `layerProgress` does.
  const home = (layerId: string) => (input.layers.has(layerId) ? layerId : ROOT_LAYER_ID)

  const pathsOf = new Map<string, PathReport[]>()
  for (const path of graph.paths) {
    const list = pathsOf.get(home(path.layerId)) ?? []
    const milestones = milestonesOn(graph, path)
    const progress = progressOf(milestones, input.today)
    list.push({
      id: path.id,
      number: list.length + 1,
      reachesNorthStar: path.reachesNorthStar,
      progress: { done: progress.done, total: progress.total, overdue: progress.overdueIds.length },
      milestones: milestones.map((milestone) => milestoneReport(milestone, rhythm, input.today)),
    })
    pathsOf.set(home(path.layerId), list)
  }
  const looseOf = new Map<string, MilestoneReport[]>()
  for (const id of graph.looseMilestoneIds) {
    const milestone = graph.milestones.get(id)
    if (!milestone) continue
    const list = looseOf.get(home(milestone.layerId)) ?? []
    list.push(milestoneReport(milestone, rhythm, input.today))
    looseOf.set(home(milestone.layerId), list)
  }

  const layers: LayerReport[] = flattenLayers(input.layers).map(({ layer, depth }) => {
    const progress = rolledUp.get(layer.id)
    return {
      id: layer.id,
      name: layer.name,
      parentId: layer.parentId,
      depth,
      progress: {
        done: progress?.done ?? 0,
        total: progress?.total ?? 0,
        overdue: progress?.overdueIds.length ?? 0,
        paths: progress?.paths ?? 0,
        brokenPaths: progress?.brokenPaths ?? 0,
        currentIteration: current.number,
      },
      paths: pathsOf.get(layer.id) ?? [],
      looseMilestones: looseOf.get(layer.id) ?? [],
    }
  })
  return {
    boardId: input.boardId,
    name: input.name,
    today: input.today,
    rhythm: { weeks: rhythm.weeks, firstStart: rhythm.firstStart, chosen: stored !== null },
    currentIteration: current,
    layers,
  }
}

/** The CSV's columns, in Dutch: the export is for the municipality's planning and council. */
export const CSV_HEADER = [
  'Laag',
  'Pad',
  'Positie',
  'Mijlpaal',
  'Eigenaar',
  'Begin',
  'Eind',
  'Iteratie',
  'Status',
  'Behaald op',
  'Te laat',
] as const

const STATUS_WORDS: Record<MilestoneReport['status'], string> = {
  planned: 'gepland',
  'in-progress': 'bezig',
  done: 'behaald',
}

/** The layer's place in the tree as one cell: "Missie & strategie › Publiekszaken". */
export function layerPathName(layers: readonly LayerReport[], layerId: string): string {
  const byId = new Map(layers.map((layer) => [layer.id, layer]))
  const names: string[] = []
  const seen = new Set<string>()
  for (let layer = byId.get(layerId); layer && !seen.has(layer.id); layer = byId.get(layer.parentId ?? '')) {
    seen.add(layer.id)
    names.unshift(layer.name)
  }
  return names.join(' › ')
}

/**
 * One row per milestone, the header first: every path's milestones in order, then the
 * layer's loose ones (no path, no position). Cells are plain text; quoting and escaping
 * formulas is the CSV writer's.
 */
export function csvRows(report: PathsResponse): string[][] {
  const rows: string[][] = [[...CSV_HEADER]]
  const row = (layer: string, path: string, position: string, milestone: MilestoneReport) => [
    layer,
    path,
    position,
    milestone.title,
    milestone.owner,
    milestone.start,
    milestone.end,
    milestone.iterations.length === 0
      ? ''
      : milestone.iterations.length === 1
        ? String(milestone.iterations[0])
        : `${milestone.iterations[0]}–${milestone.iterations.at(-1)}`,
    STATUS_WORDS[milestone.status],
    milestone.doneAt ?? '',
    milestone.overdue ? 'ja' : 'nee',
  ]
  for (const layer of report.layers) {
    const name = layerPathName(report.layers, layer.id)
    for (const path of layer.paths) {
      path.milestones.forEach((milestone, i) => {
        rows.push(row(name, String(path.number), String(i + 1), milestone))
      })
    }
    for (const milestone of layer.looseMilestones) rows.push(row(name, '', '', milestone))
  }
  return rows
}
