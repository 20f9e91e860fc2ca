/**
 * The paths report's own parts: iteration numbers of a milestone's days, a layer's place in
 * the tree as one cell, and the CSV rows (header, one row per milestone, loose ones last).
 * The report as a whole is tested against a real server in
 * tests/integration/the-paths-api-shows-as-json-and-csv-the-paths-clients-drew-over-sync.test.ts.
 */
import { describe, expect, it } from 'vitest'
import type { LayerReport, MilestoneReport, PathsResponse } from './api.ts'
import { CSV_HEADER, csvRows, iterationNumbers, layerPathName } from './pathReport.ts'

const RHYTHM = { weeks: 2, firstStart: '2026-01-05' } as const

const milestone = (id: string, fields: Partial<MilestoneReport> = {}): MilestoneReport => ({
  id,
  layerId: 'layer:a',
  title: id,
  description: '',
  owner: '',
  start: '2026-01-05',
  end: '2026-01-18',
  iterations: [1],
  status: 'planned',
  doneAt: null,
  overdue: false,
  ...fields,
})

const layer = (id: string, name: string, parentId: string | null, fields: Partial<LayerReport> = {}): LayerReport => ({
  id,
  name,
  parentId,
  depth: parentId === null ? 0 : 1,
  progress: { done: 0, total: 0, overdue: 0, paths: 0, brokenPaths: 0, currentIteration: 1 },
  paths: [],
  looseMilestones: [],
  ...fields,
})

describe('iterationNumbers', () => {
  it('lists every iteration a milestone’s days fall in', () => {
    expect(iterationNumbers(RHYTHM, '2026-01-05', '2026-01-18')).toEqual([1])
    expect(iterationNumbers(RHYTHM, '2026-01-12', '2026-02-01')).toEqual([1, 2])
    expect(iterationNumbers(RHYTHM, '2025-12-29', '2026-01-04')).toEqual([0])
  })

  it('gives none for missing or backwards dates', () => {
    expect(iterationNumbers(RHYTHM, '', '2026-01-18')).toEqual([])
    expect(iterationNumbers(RHYTHM, '2026-02-01', '2026-01-05')).toEqual([])
  })
})

describe('layerPathName', () => {
  it('names a layer with its ancestors, root first, and survives a cycle', () => {
    const layers = [layer('layer:root', 'Missie & strategie', null), layer('layer:a', 'Publiekszaken', 'layer:root')]
    expect(layerPathName(layers, 'layer:a')).toBe('Missie & strategie › Publiekszaken')
    const cycle = [layer('layer:x', 'X', 'layer:y'), layer('layer:y', 'Y', 'layer:x')]
    expect(layerPathName(cycle, 'layer:x')).toBe('Y › X')
  })
})

describe('csvRows', () => {
  it('has the header, then each path’s milestones in order, then the loose ones', () => {
    const report: PathsResponse = {
      boardId: 'b',
      name: 'B',
      today: '2026-01-20',
      rhythm: { ...RHYTHM, chosen: true },
      currentIteration: { number: 2, start: '2026-01-19', end: '2026-02-01' },
      layers: [
        layer('layer:root', 'Missie & strategie', null),
        layer('layer:a', 'Ruimte', 'layer:root', {
          paths: [
            {
              id: 'shape:start',
              number: 1,
              reachesNorthStar: true,
              progress: { done: 1, total: 2, overdue: 1 },
              milestones: [
                milestone('shape:m1', { status: 'done', doneAt: '2026-01-10T08:00:00.000Z' }),
                milestone('shape:m2', { overdue: true, iterations: [1, 2, 3], status: 'in-progress' }),
              ],
            },
          ],
          looseMilestones: [milestone('shape:los', { iterations: [] })],
        }),
      ],
    }
    expect(csvRows(report)).toEqual([
      [...CSV_HEADER],
      [
        'Missie & strategie › Ruimte',
        '1',
        '1',
        'shape:m1',
        '',
        '2026-01-05',
        '2026-01-18',
        '1',
        'behaald',
        '2026-01-10T08:00:00.000Z',
        'nee',
      ],
      ['Missie & strategie › Ruimte', '1', '2', 'shape:m2', '', '2026-01-05', '2026-01-18', '1–3', 'bezig', '', 'ja'],
      ['Missie & strategie › Ruimte', '', '', 'shape:los', '', '2026-01-05', '2026-01-18', '', 'gepland', '', 'nee'],
    ])
  })
})
