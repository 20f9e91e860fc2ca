/**
 * The template "Stip op de horizon": every record valid for the full schema, one path per
 * department reaching the north star (read back with `readPaths`, as every client does),
 * milestones in the current iteration of two-week iterations from this week's Monday, and
 * a layout in which nothing overlaps, for every number of departments the API takes.
 */

import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { MAX_TEMPLATE_DEPARTMENTS } from '../shared/board.ts'
import { decodeRecord, getMetaMap, getRecordsMap, type StoredRecord } from '../shared/doc.ts'
import { META_ITERATIONS_KEY, readRhythm } from '../shared/iterations.ts'
import { childrenOf, type LayerRecord, ROOT_LAYER_ID } from '../shared/layers.ts'
import { refuseMetaValue } from '../shared/meta.ts'
import { readPaths } from '../shared/paths.ts'
import { checkRecord, MILESTONE_SIZE, NORTH_STAR_ID } from '../shared/schema/index.ts'
import { firstDocument, initialDocumentUpdate } from './boardDocument.ts'
import { type Box, departmentSpots, NORTH_STAR_BOX, STRATEGY_BOX } from './templates.ts'

const DEPARTMENTS = ['Sociaal domein', 'Publiekszaken', 'Ruimte', 'Bedrijfsvoering']
const TODAY = '2026-12-03' // a Thursday

function horizon(departments: string[] = DEPARTMENTS) {
  return firstDocument('Voorbeeld Digitaal 2030', { template: 'horizon', departments, language: 'nl', today: TODAY })
}

const layersOf = (records: StoredRecord[]) =>
  new Map(records.filter((r) => r.typeName === 'layer').map((r) => [r.id, r as unknown as LayerRecord] as const))

const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('the horizon template', () => {
  it('makes only records the full schema accepts, and a valid iteration rhythm', () => {
    const { records, meta } = horizon()
    for (const record of records) expect(checkRecord(record), record.id).toMatchObject({ ok: true })
    expect(refuseMetaValue(META_ITERATIONS_KEY, meta[META_ITERATIONS_KEY])).toBeNull()
    expect(readRhythm(meta[META_ITERATIONS_KEY])).toEqual({ weeks: 2, firstStart: '2026-11-30' })
  })

  it('has one path per department, in its own layer under the root, that reaches the north star', () => {
    const { records } = horizon()
    const layers = layersOf(records)
    const departments = childrenOf(layers, ROOT_LAYER_ID)
    expect(departments.map((layer) => layer.name)).toEqual(DEPARTMENTS)
    const graph = readPaths(records)
    expect(graph.paths).toHaveLength(DEPARTMENTS.length)
    expect(graph.looseMilestoneIds).toEqual([])
    for (const [i, path] of graph.paths.entries()) {
      expect(path.layerId).toBe(departments[i].id)
      expect(path.reachesNorthStar).toBe(true)
      expect(path.milestoneIds).toHaveLength(1)
      expect(graph.milestones.get(path.milestoneIds[0])).toMatchObject({
        layerId: departments[i].id,
        title: '',
        status: 'planned',
        doneAt: null,
        start: '2026-11-30',
        end: '2026-12-13',
      })
    }
  })

  it('puts every shape in a layer that exists, each department in its own colour', () => {
    const { records } = horizon()
    const layers = layersOf(records)
    for (const shape of records.filter((r) => r.typeName === 'shape')) {
      expect(layers.has((shape.meta as { layerId: string }).layerId), shape.id).toBe(true)
    }
    const colours = childrenOf(layers, ROOT_LAYER_ID).map((layer) => layer.color)
    expect(new Set(colours).size).toBe(colours.length)
  })

  it('writes a placeholder mission, a horizon line and a strategy area on the root layer', () => {
    const { records } = horizon([])
    const northStar = records.find((r) => r.id === NORTH_STAR_ID) as StoredRecord & { props: { mission: unknown } }
    expect(JSON.stringify(northStar.props.mission)).toContain('Waar staan wij in 2030?')
    const shapes = records.filter((r) => r.typeName === 'shape')
    expect(shapes.map((s) => s.type).sort()).toEqual(['geo', 'line', 'north-star'])
    expect(JSON.stringify(shapes.find((s) => s.type === 'geo'))).toContain('Strategie')
    expect(readPaths(records).paths).toEqual([])
  })

  it('writes its words in English when asked', () => {
    const { records } = firstDocument('B', { template: 'horizon', departments: [], language: 'en', today: TODAY })
    expect(JSON.stringify(records)).toContain('Where do we stand in 2030?')
    expect(JSON.stringify(records)).toContain('Strategy')
  })

  it('lays out 0 to 12 departments without any two shapes overlapping', () => {
    for (let count = 0; count <= MAX_TEMPLATE_DEPARTMENTS; count++) {
      const spots = departmentSpots(count)
      const boxes: Box[] = [NORTH_STAR_BOX, STRATEGY_BOX, ...spots.flatMap((spot) => [spot.start, spot.milestone])]
      for (let a = 0; a < boxes.length; a++) {
        for (let b = a + 1; b < boxes.length; b++) {
          expect(overlap(boxes[a], boxes[b]), `${count} departments: boxes ${a} and ${b}`).toBe(false)
        }
      }
      // Every path comes from below the north star, toward it.
      for (const spot of spots) {
        expect(spot.milestone.y).toBeGreaterThan(NORTH_STAR_BOX.y + NORTH_STAR_BOX.h)
        expect(spot.start.y + spot.start.h / 2).toBeGreaterThan(spot.milestone.y + MILESTONE_SIZE.h / 2)
      }
    }
  })

  it('lays the departments out left to right in the order they were named', () => {
    const xs = departmentSpots(4).map((spot) => spot.milestone.x)
    expect(xs).toEqual([...xs].sort((a, b) => a - b))
  })

  it('leaves the empty board as it was: no template content, no rhythm', () => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, initialDocumentUpdate('B'))
    const records = [...getRecordsMap(doc).entries()].map(([id, value]) => decodeRecord(value, id)?.typeName)
    expect(records.sort()).toEqual(['document', 'layer', 'page', 'shape'])
    expect(getMetaMap(doc).has(META_ITERATIONS_KEY)).toBe(false)
  })
})
