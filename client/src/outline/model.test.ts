import { describe, expect, it } from 'vitest'
import { createRootLayer, type LayerRecord } from '../../../shared/layers.ts'
import { NORTH_STAR_ID } from '../../../shared/schema/index.ts'
import { buildOutline, type OutlineRecord, readingOrder } from './model.ts'

const rich = (text: string) => ({ type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] })

const layer = (id: string, name: string, parentId: string, extra: Partial<LayerRecord> = {}): LayerRecord => ({
  ...createRootLayer(),
  id,
  name,
  parentId,
  index: 1,
  ...extra,
})

const shape = (id: string, type: string, layerId: string, props: Record<string, unknown> = {}, x = 0, y = 0) =>
  ({ id, typeName: 'shape', type, x, y, index: `a${id.slice(-1)}`, props, meta: { layerId } }) as OutlineRecord

const milestone = (id: string, layerId: string, title: string, status = 'planned', start = '2026-01-12') =>
  shape(id, 'milestone', layerId, {
    title,
    description: '',
    owner: 'Team Jeugd',
    start,
    end: '2026-01-25',
    status,
    doneAt: null,
  })

/** An arrow from `from` to `to`, bound at both ends. */
const arrow = (id: string, from: string, to: string): OutlineRecord[] => [
  shape(id, 'arrow', 'layer:root'),
  { id: `binding:${id}-s`, typeName: 'binding', type: 'arrow', fromId: id, toId: from, props: { terminal: 'start' } },
  { id: `binding:${id}-e`, typeName: 'binding', type: 'arrow', fromId: id, toId: to, props: { terminal: 'end' } },
]

const root = createRootLayer()
const sociaal = layer('layer:sociaal', 'Sociaal domein', root.id)
const jeugd = layer('layer:jeugd', 'Jeugd', sociaal.id)
const draft = layer('layer:draft', 'Concept', root.id, { index: 2, visible: false })
const layers = new Map([root, sociaal, jeugd, draft].map((l) => [l.id, l]))

const records: OutlineRecord[] = [
  shape(NORTH_STAR_ID, 'north-star', root.id, { mission: rich('Samen digitaal'), subtitle: ' Voorbeeld 2030 ' }),
  shape('shape:t2', 'text', root.id, { richText: rich('rechts') }, 400, 110),
  shape('shape:t1', 'note', root.id, { richText: rich('links') }, 0, 100),
  shape('shape:t3', 'geo', root.id, { richText: rich('onder') }, 0, 400),
  shape('shape:t4', 'geo', root.id, { richText: rich('') }, 0, 500),
  shape('shape:t5', 'text', sociaal.id, { richText: rich('niet de strategie') }, 0, 0),
  shape('shape:start', 'path-start', sociaal.id),
  milestone('shape:m1', sociaal.id, 'Loket open', 'done'),
  milestone('shape:m2', sociaal.id, 'Formulier digitaal', 'in-progress', '2026-01-26'),
  ...arrow('shape:a1', 'shape:start', 'shape:m1'),
  ...arrow('shape:a2', 'shape:m1', 'shape:m2'),
  milestone('shape:m3', jeugd.id, 'Jongerenpanel'),
  milestone('shape:m4', draft.id, 'Geheim'),
]

describe(buildOutline, () => {
  const options = { layers, today: '2026-02-20', rhythm: { weeks: 2, firstStart: '2025-11-03' }, showHidden: false }

  it('reads the mission, and the root layer’s texts in reading order', () => {
    const outline = buildOutline(records, options as never)
    expect(outline.mission).toBe('Samen digitaal')
    expect(outline.subtitle).toBe('Voorbeeld 2030')
    expect(outline.strategy).toEqual(['links', 'rechts', 'onder'])
  })

  it('lists each layer’s paths with their milestones in order, progress, iteration and overdue', () => {
    const outline = buildOutline(records, options as never)
    const dept = outline.root?.children[0]
    expect(dept?.layer.name).toBe('Sociaal domein')
    expect(dept?.paths).toHaveLength(1)
    const [path] = dept?.paths ?? []
    expect(path.number).toBe(1)
    expect(path.reachesNorthStar).toBe(false)
    expect(path.milestones.map((m) => m.title)).toEqual(['Loket open', 'Formulier digitaal'])
    expect(path.milestones[0].iteration).toEqual({ number: 6, start: '2026-01-12', end: '2026-01-25' })
    expect(path.milestones[1].overdue).toBe(true)
    expect(path.progress).toMatchObject({ done: 1, total: 2 })
    // Rolled up: Jeugd's loose milestone counts for the department too.
    expect(dept?.progress).toMatchObject({ done: 1, total: 3 })
    expect(dept?.children[0].loose.map((m) => m.title)).toEqual(['Jongerenpanel'])
    expect(dept?.children[0].loose[0].overdue).toBe(true)
  })

  it('leaves out layers hidden for everyone, except for facilitators', () => {
    expect(buildOutline(records, options as never).root?.children.map((c) => c.layer.id)).toEqual([sociaal.id])
    const all = buildOutline(records, { ...options, showHidden: true } as never)
    expect(all.root?.children.map((c) => c.layer.id)).toEqual([sociaal.id, draft.id])
  })

  it('shows no iteration without a rhythm, and an empty board as nothing', () => {
    const outline = buildOutline(records, { ...options, rhythm: null } as never)
    expect(outline.root?.children[0].paths[0].milestones[0].iteration).toBeNull()
    expect(buildOutline([], { ...options, layers: new Map() } as never)).toEqual({
      mission: '',
      subtitle: '',
      strategy: [],
      root: null,
    })
  })
})

describe(readingOrder, () => {
  it('reads rows from the top, each from the left', () => {
    expect(
      readingOrder([
        { text: 'c', x: 0, y: 300 },
        { text: 'b', x: 200, y: 0 },
        { text: 'a', x: 0, y: 30 },
      ]),
    ).toEqual(['a', 'b', 'c'])
  })
})
