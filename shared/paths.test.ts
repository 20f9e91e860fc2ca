/**
 * Development paths read from plain records, as the Y.Doc holds them: the chain follows the
 * arrows' bindings (never positions, creation order or z-order), a broken chain is told
 * apart from one reaching the north star, odd drawings (cycles, shared milestones, arrows
 * to other shapes) end in a path rather than a hang, progress and overdue steps roll up the
 * layer tree, and `planChain` plans insert, reorder and remove so that applying the plan
 * leaves exactly one chain, reusing the arrows already drawn.
 */
import { describe, expect, it } from 'vitest'
import { createRootLayer, type LayerRecord, ROOT_LAYER_ID } from './layers.ts'
import {
  type ChainEdge,
  type ChainPlan,
  chainOf,
  edgesOf,
  insertAfter,
  isOverdue,
  layerProgress,
  milestonesOn,
  moveWithin,
  type PathRecord,
  pathOfMilestone,
  pathProgress,
  planChain,
  progressOf,
  readPaths,
  without,
} from './paths.ts'
import type { MilestoneStatus } from './schema/milestone.ts'
import { NORTH_STAR_ID } from './schema/northStar.ts'

const TODAY = '2026-02-10'

// --- Records, built as tldraw stores them (only the fields paths.ts reads, plus x/y). ---

interface ShapeOptions {
  index?: string
  layerId?: string
  x?: number
  y?: number
}

function shape(id: string, type: string, props: Record<string, unknown>, options: ShapeOptions = {}): PathRecord {
  return {
    id,
    typeName: 'shape',
    type,
    index: options.index ?? 'a1',
    x: options.x ?? 0,
    y: options.y ?? 0,
    props,
    meta: options.layerId ? { layerId: options.layerId } : {},
  } as PathRecord
}

function northStar(): PathRecord {
  return shape(NORTH_STAR_ID, 'north-star', { w: 400, h: 300, subtitle: '' }, { index: 'a0' })
}

function pathStart(id: string, options: ShapeOptions = {}): PathRecord {
  return shape(id, 'path-start', { w: 120, h: 120 }, options)
}

interface MilestoneOptions extends ShapeOptions {
  status?: MilestoneStatus
  start?: string
  end?: string
}

function milestone(id: string, options: MilestoneOptions = {}): PathRecord {
  const props = {
    w: 280,
    h: 170,
    title: `Stap ${id}`,
    description: '',
    owner: '',
    start: options.start ?? '2026-02-02',
    end: options.end ?? '2026-02-15',
    status: options.status ?? 'planned',
    doneAt: options.status === 'done' ? 1_770_000_000_000 : null,
  }
  return shape(id, 'milestone', props, options)
}

/** The binding of one end of an arrow, as tldraw's arrow binding stores it. */
function binding(arrowId: string, terminal: 'start' | 'end', toId: string): PathRecord {
  return {
    id: `binding:${arrowId.slice(6)}-${terminal}`,
    typeName: 'binding',
    type: 'arrow',
    fromId: arrowId,
    toId,
    props: { terminal },
  }
}

/** An arrow shape and the bindings of whichever ends are given. */
function arrow(id: string, from: string | null, to: string | null, index = 'a5'): PathRecord[] {
  const records = [shape(id, 'arrow', {}, { index })]
  if (from) records.push(binding(id, 'start', from))
  if (to) records.push(binding(id, 'end', to))
  return records
}

/** Arrows joining `nodes` in order, named `shape:<first>-<n>`. */
function chain(nodes: string[]): PathRecord[] {
  return nodes.slice(1).flatMap((to, i) => arrow(`shape:${nodes[0].slice(6)}-${i}`, nodes[i], to, `a${5 + i}`))
}

const layer = (id: string, parentId: string, index = 1): LayerRecord => ({
  ...createRootLayer(id.slice(6)),
  id,
  parentId,
  index,
})

/** Missie › Sociaal domein › Team Jeugd, and Missie › Publiekszaken. */
const layers = new Map<string, LayerRecord>([
  [ROOT_LAYER_ID, createRootLayer()],
  ['layer:sociaal', layer('layer:sociaal', ROOT_LAYER_ID, 1)],
  ['layer:publiek', layer('layer:publiek', ROOT_LAYER_ID, 2)],
  ['layer:jeugd', layer('layer:jeugd', 'layer:sociaal', 1)],
])

describe('readPaths', () => {
  it('follows the arrows from the start point through the milestones to the north star', () => {
    const graph = readPaths([
      northStar(),
      pathStart('shape:nu'),
      milestone('shape:a'),
      milestone('shape:b'),
      ...chain(['shape:nu', 'shape:a', 'shape:b', NORTH_STAR_ID]),
    ])
    expect(graph.paths).toEqual([
      {
        id: 'shape:nu',
        layerId: ROOT_LAYER_ID,
        milestoneIds: ['shape:a', 'shape:b'],
        arrowIds: ['shape:nu-0', 'shape:nu-1', 'shape:nu-2'],
        reachesNorthStar: true,
      },
    ])
    expect(graph.looseMilestoneIds).toEqual([])
    expect(chainOf(graph.paths[0])).toEqual(['shape:nu', 'shape:a', 'shape:b', NORTH_STAR_ID])
    expect(milestonesOn(graph, graph.paths[0]).map((m) => m.title)).toEqual(['Stap shape:a', 'Stap shape:b'])
  })

  it('orders milestones by the bindings, not by position, creation order or z-order', () => {
    // Drawn right to left, created last to first, arrows stacked in reverse.
    const records = [
      ...arrow('shape:3', 'shape:b', NORTH_STAR_ID, 'a1'),
      ...arrow('shape:2', 'shape:a', 'shape:b', 'a2'),
      ...arrow('shape:1', 'shape:c', 'shape:a', 'a3'),
      ...arrow('shape:0', 'shape:nu', 'shape:c', 'a4'),
      milestone('shape:b', { x: 0, index: 'a1' }),
      milestone('shape:a', { x: 300, index: 'a2' }),
      milestone('shape:c', { x: 600, index: 'a3' }),
      pathStart('shape:nu', { x: 900 }),
      northStar(),
    ]
    const expected = { milestoneIds: ['shape:c', 'shape:a', 'shape:b'], reachesNorthStar: true }
    expect(readPaths(records).paths).toMatchObject([expected])
    expect(readPaths([...records].reverse()).paths).toMatchObject([expected])
  })

  it('lists paths in the order of their start points, each in its own layer', () => {
    const graph = readPaths([
      northStar(),
      pathStart('shape:jeugd', { index: 'a3', layerId: 'layer:jeugd' }),
      pathStart('shape:sociaal', { index: 'a2', layerId: 'layer:sociaal' }),
      pathStart('shape:elders', { index: 'a2', layerId: 'not-a-layer-id' }),
    ])
    expect(graph.paths.map((path) => [path.id, path.layerId])).toEqual([
      ['shape:elders', ROOT_LAYER_ID],
      ['shape:sociaal', 'layer:sociaal'],
      ['shape:jeugd', 'layer:jeugd'],
    ])
  })

  it('reads the milestone fields, and falls back for what is missing or wrong', () => {
    const odd = { ...milestone('shape:odd'), props: { title: 7, status: 'finished', doneAt: 'gisteren' } }
    const graph = readPaths([milestone('shape:a', { layerId: 'layer:jeugd', status: 'done' }), odd])
    expect(graph.milestones.get('shape:a')).toEqual({
      id: 'shape:a',
      layerId: 'layer:jeugd',
      title: 'Stap shape:a',
      description: '',
      owner: '',
      start: '2026-02-02',
      end: '2026-02-15',
      status: 'done',
      doneAt: 1_770_000_000_000,
    })
    expect(graph.milestones.get('shape:odd')).toMatchObject({ title: '', status: 'planned', doneAt: null, end: '' })
  })

  describe('tells a broken chain from one that reaches the north star', () => {
    const base = [northStar(), pathStart('shape:nu'), milestone('shape:a'), milestone('shape:b')]

    it('when the last arrow is missing', () => {
      const graph = readPaths([...base, ...chain(['shape:nu', 'shape:a', 'shape:b'])])
      expect(graph.paths[0]).toMatchObject({ milestoneIds: ['shape:a', 'shape:b'], reachesNorthStar: false })
      expect(graph.paths[0].arrowIds).toHaveLength(2)
    })

    it('when an arrow has one end unbound', () => {
      for (const [from, to] of [
        ['shape:a', null],
        [null, 'shape:b'],
      ]) {
        const graph = readPaths([
          ...base,
          ...arrow('shape:1', 'shape:nu', 'shape:a'),
          ...arrow('shape:2', from, to),
          ...arrow('shape:3', 'shape:b', NORTH_STAR_ID),
        ])
        expect(graph.paths[0]).toMatchObject({ milestoneIds: ['shape:a'], reachesNorthStar: false })
        expect(graph.looseMilestoneIds).toEqual(['shape:b'])
      }
    })

    it('when an arrow ends on something that is not a milestone', () => {
      const note = shape('shape:note', 'note', {})
      const graph = readPaths([
        ...base,
        note,
        ...chain(['shape:nu', 'shape:a', 'shape:note']),
        ...arrow('shape:x', 'shape:note', NORTH_STAR_ID),
      ])
      expect(graph.paths[0]).toMatchObject({
        milestoneIds: ['shape:a'],
        arrowIds: ['shape:nu-0'],
        reachesNorthStar: false,
      })
    })

    it('when an arrow is bound to a shape that was deleted', () => {
      const graph = readPaths([
        ...base,
        ...chain(['shape:nu', 'shape:a', 'shape:gone']),
        ...arrow('shape:x', 'shape:gone', NORTH_STAR_ID),
      ])
      expect(graph.paths[0]).toMatchObject({ milestoneIds: ['shape:a'], reachesNorthStar: false })
    })

    it('when the bindings belong to an arrow shape that was deleted', () => {
      const records = chain(['shape:nu', 'shape:a', NORTH_STAR_ID]).filter((record) => record.id !== 'shape:nu-1')
      const graph = readPaths([...base, ...records])
      expect(graph.paths[0]).toMatchObject({ milestoneIds: ['shape:a'], reachesNorthStar: false })
    })

    it('and a start point without arrows is a path with no steps yet', () => {
      expect(readPaths(base).paths).toEqual([
        { id: 'shape:nu', layerId: ROOT_LAYER_ID, milestoneIds: [], arrowIds: [], reachesNorthStar: false },
      ])
    })

    it('and an arrow straight from the start to the north star reaches it', () => {
      const graph = readPaths([...base, ...chain(['shape:nu', NORTH_STAR_ID])])
      expect(graph.paths[0]).toMatchObject({ milestoneIds: [], reachesNorthStar: true })
    })
  })

  it('ends at a cycle instead of going round it', () => {
    const graph = readPaths([
      northStar(),
      pathStart('shape:nu'),
      milestone('shape:a'),
      milestone('shape:b'),
      milestone('shape:c'),
      ...chain(['shape:nu', 'shape:a', 'shape:b', 'shape:c', 'shape:a']),
      ...arrow('shape:self', 'shape:c', 'shape:c'),
      ...arrow('shape:back', 'shape:c', 'shape:nu'),
    ])
    expect(graph.paths[0]).toMatchObject({ milestoneIds: ['shape:a', 'shape:b', 'shape:c'], reachesNorthStar: false })
  })

  it('ignores a cycle of milestones no start point leads to', () => {
    const graph = readPaths([
      pathStart('shape:nu'),
      milestone('shape:a'),
      milestone('shape:b'),
      ...chain(['shape:a', 'shape:b', 'shape:a']),
    ])
    expect(graph.paths[0].milestoneIds).toEqual([])
    expect(graph.looseMilestoneIds).toEqual(['shape:a', 'shape:b'])
  })

  it('puts a milestone two paths lead to on the first path only, and counts it once', () => {
    const graph = readPaths([
      northStar(),
      pathStart('shape:een', { index: 'a1' }),
      pathStart('shape:twee', { index: 'a2' }),
      milestone('shape:a'),
      milestone('shape:gedeeld', { status: 'done' }),
      ...chain(['shape:een', 'shape:gedeeld', NORTH_STAR_ID]),
      ...arrow('shape:t0', 'shape:twee', 'shape:a'),
      ...arrow('shape:t1', 'shape:a', 'shape:gedeeld'),
    ])
    expect(graph.paths.map((path) => path.milestoneIds)).toEqual([['shape:gedeeld'], ['shape:a']])
    expect(graph.paths.map((path) => path.reachesNorthStar)).toEqual([true, false])
    expect(pathOfMilestone(graph, 'shape:gedeeld')?.id).toBe('shape:een')
    expect(layerProgress(layers, graph, TODAY).get(ROOT_LAYER_ID)).toMatchObject({ done: 1, total: 2 })
  })

  it('at a fork goes to the north star, whichever arrow is on top', () => {
    for (const [toStar, toB] of [
      ['a1', 'a2'],
      ['a2', 'a1'],
    ]) {
      const graph = readPaths([
        northStar(),
        pathStart('shape:nu'),
        milestone('shape:a'),
        milestone('shape:b'),
        ...arrow('shape:0', 'shape:nu', 'shape:a'),
        ...arrow('shape:star', 'shape:a', NORTH_STAR_ID, toStar),
        ...arrow('shape:ab', 'shape:a', 'shape:b', toB),
        ...arrow('shape:b-star', 'shape:b', NORTH_STAR_ID),
      ])
      expect(graph.paths[0], `north star arrow at ${toStar}`).toMatchObject({
        milestoneIds: ['shape:a'],
        arrowIds: ['shape:0', 'shape:star'],
        reachesNorthStar: true,
      })
      expect(graph.looseMilestoneIds).toEqual(['shape:b'])
    }
  })

  it('lists the milestones on no path as loose', () => {
    const graph = readPaths([
      northStar(),
      pathStart('shape:nu'),
      milestone('shape:a'),
      milestone('shape:z'),
      milestone('shape:m'),
      ...chain(['shape:nu', 'shape:a', NORTH_STAR_ID]),
      ...arrow('shape:x', 'shape:z', NORTH_STAR_ID),
    ])
    expect(graph.looseMilestoneIds).toEqual(['shape:m', 'shape:z'])
    expect(pathOfMilestone(graph, 'shape:z')).toBeUndefined()
  })

  it('only reads arrow bindings bound at both ends to two different shapes', () => {
    const graph = readPaths([
      northStar(),
      pathStart('shape:nu'),
      milestone('shape:a'),
      shape('shape:line', 'line', {}),
      { ...binding('shape:line', 'start', 'shape:nu'), type: 'other' },
      { ...binding('shape:line', 'end', 'shape:a'), type: 'other' },
      ...arrow('shape:odd', 'shape:nu', 'shape:a').map((record) =>
        record.typeName === 'binding' ? { ...record, props: { terminal: 'middle' } } : record,
      ),
    ])
    expect(graph.paths[0].milestoneIds).toEqual([])
    expect(graph.edgesFrom.size).toBe(0)
  })
})

describe('progress', () => {
  it('counts done of total', () => {
    const graph = readPaths([
      northStar(),
      pathStart('shape:nu'),
      milestone('shape:a', { status: 'done' }),
      milestone('shape:b', { status: 'in-progress', end: '2026-02-28' }),
      milestone('shape:c', { end: '2026-03-15' }),
      ...chain(['shape:nu', 'shape:a', 'shape:b', 'shape:c', NORTH_STAR_ID]),
    ])
    expect(pathProgress(graph, graph.paths[0], TODAY)).toEqual({ done: 1, total: 3, overdueIds: [] })
    expect(progressOf([], TODAY)).toEqual({ done: 0, total: 0, overdueIds: [] })
  })

  it('calls a step overdue once its end lies before today and it is not done', () => {
    const graph = readPaths([
      milestone('shape:gisteren', { end: '2026-02-09' }),
      milestone('shape:bezig', { end: '2026-01-25', status: 'in-progress' }),
      milestone('shape:klaar', { end: '2026-01-25', status: 'done' }),
      milestone('shape:vandaag', { end: TODAY }),
      milestone('shape:morgen', { end: '2026-02-11' }),
    ])
    expect(progressOf(graph.milestones.values(), TODAY)).toEqual({
      done: 1,
      total: 5,
      overdueIds: ['shape:gisteren', 'shape:bezig'],
    })
  })

  it('isOverdue compares calendar days, across a year end, and ignores a missing end', () => {
    expect(isOverdue({ status: 'planned', end: '2026-12-31' }, '2027-01-01')).toBe(true)
    expect(isOverdue({ status: 'planned', end: '2027-01-01' }, '2027-01-01')).toBe(false)
    expect(isOverdue({ status: 'done', end: '2020-01-01' }, '2027-01-01')).toBe(false)
    expect(isOverdue({ status: 'planned', end: '' }, '2027-01-01')).toBe(false)
  })
})

describe('layerProgress', () => {
  /** Missie holds one step; Sociaal domein a path of two; Team Jeugd a broken path and a loose step. */
  const graph = readPaths([
    northStar(),
    milestone('shape:missie', { status: 'done' }),
    pathStart('shape:sociaal', { layerId: 'layer:sociaal' }),
    milestone('shape:s1', { layerId: 'layer:sociaal', status: 'done' }),
    milestone('shape:s2', { layerId: 'layer:sociaal', end: '2026-02-01' }),
    ...chain(['shape:sociaal', 'shape:s1', 'shape:s2', NORTH_STAR_ID]),
    pathStart('shape:jeugd', { layerId: 'layer:jeugd' }),
    milestone('shape:j1', { layerId: 'layer:jeugd', end: '2026-01-31' }),
    milestone('shape:j2', { layerId: 'layer:jeugd', status: 'done' }),
    milestone('shape:los', { layerId: 'layer:jeugd' }),
    ...chain(['shape:jeugd', 'shape:j1', 'shape:j2']),
    milestone('shape:weg', { layerId: 'layer:deleted' }),
  ])
  const progress = layerProgress(layers, graph, TODAY)

  it('counts each layer on its own', () => {
    expect(progress.get('layer:jeugd')?.own).toEqual({
      done: 1,
      total: 3,
      overdueIds: ['shape:j1'],
      paths: 1,
      brokenPaths: 1,
    })
    expect(progress.get('layer:sociaal')?.own).toEqual({
      done: 1,
      total: 2,
      overdueIds: ['shape:s2'],
      paths: 1,
      brokenPaths: 0,
    })
    // The root's own: the mission's step, and the one whose layer no longer exists.
    expect(progress.get(ROOT_LAYER_ID)?.own).toMatchObject({ done: 1, total: 2, paths: 0, brokenPaths: 0 })
  })

  it('rolls each layer up with everything below it', () => {
    expect(progress.get('layer:jeugd')).toMatchObject({ done: 1, total: 3, paths: 1, brokenPaths: 1 })
    expect(progress.get('layer:sociaal')).toMatchObject({ done: 2, total: 5, paths: 2, brokenPaths: 1 })
    expect(progress.get('layer:sociaal')?.overdueIds.sort()).toEqual(['shape:j1', 'shape:s2'])
    expect(progress.get(ROOT_LAYER_ID)).toMatchObject({ done: 3, total: 7, paths: 2, brokenPaths: 1 })
    expect(progress.get('layer:publiek')).toMatchObject({ done: 0, total: 0, paths: 0, brokenPaths: 0 })
  })

  it('leaves the own counts alone when rolling up', () => {
    expect(progress.get(ROOT_LAYER_ID)?.own.overdueIds).toEqual([])
    expect(progress.get('layer:sociaal')?.own.overdueIds).toEqual(['shape:s2'])
  })

  it('survives a cycle in the layer tree', () => {
    const looped = new Map(layers)
    looped.set('layer:sociaal', layer('layer:sociaal', 'layer:jeugd'))
    looped.set('layer:jeugd', layer('layer:jeugd', 'layer:sociaal'))
    const result = layerProgress(looped, graph, TODAY)
    expect(result.get(ROOT_LAYER_ID)).toMatchObject({ total: 2 })
  })
})

// --- planChain: plans applied to a board's arrows, then read back. ---

/** The board's arrows by id, `from` → `to`. */
type Arrows = Map<string, { from: string; to: string }>

/**
 * Applies a plan as the client will: rebind the named arrows, create the new ones, delete
 * the spare ones. Refuses a plan that touches an arrow it does not know or twice.
 */
function applyPlan(arrows: Arrows, plan: ChainPlan): Arrows {
  const next = new Map(arrows)
  const touched = [...plan.rebind.map((edge) => edge.arrowId), ...plan.remove]
  expect(new Set(touched).size, 'an arrow rebound or removed twice').toBe(touched.length)
  for (const { arrowId, from, to } of plan.rebind) {
    expect(next.has(arrowId), `rebinds unknown ${arrowId}`).toBe(true)
    next.set(arrowId, { from, to })
  }
  for (const arrowId of plan.remove) {
    expect(next.delete(arrowId), `removes unknown ${arrowId}`).toBe(true)
  }
  for (const [i, join] of plan.create.entries()) next.set(`shape:new-${i}`, join)
  return next
}

/** A board: a start point, the milestones given, the north star, and `arrows`. */
function boardRecords(milestoneIds: string[], arrows: Arrows): PathRecord[] {
  return [
    northStar(),
    pathStart('shape:nu'),
    ...milestoneIds.map((id) => milestone(id)),
    ...[...arrows].flatMap(([id, { from, to }], i) => arrow(id, from, to, `a${i + 10}`)),
  ]
}

const arrowsOf = (edges: ChainEdge[]): Arrows => new Map(edges.map(({ arrowId, from, to }) => [arrowId, { from, to }]))

/** The board's one path, after checking it is the only chain: no arrow left over, none twice. */
function onlyChain(milestoneIds: string[], arrows: Arrows) {
  const graph = readPaths(boardRecords(milestoneIds, arrows))
  expect(graph.paths).toHaveLength(1)
  const [path] = graph.paths
  expect(path.reachesNorthStar).toBe(true)
  // Every arrow on the board is on the path: none dangling, none doubling a join.
  expect([...path.arrowIds].sort()).toEqual([...arrows.keys()].sort())
  const joins = [...arrows.values()].map(({ from, to }) => `${from}>${to}`)
  expect(new Set(joins).size).toBe(joins.length)
  return { graph, path }
}

const steps = ['shape:a', 'shape:b', 'shape:c', 'shape:d']

/** The board with start → a → b → c → d → north star. */
function drawnPath() {
  const arrows = arrowsOf([
    { arrowId: 'shape:0', from: 'shape:nu', to: 'shape:a' },
    { arrowId: 'shape:1', from: 'shape:a', to: 'shape:b' },
    { arrowId: 'shape:2', from: 'shape:b', to: 'shape:c' },
    { arrowId: 'shape:3', from: 'shape:c', to: 'shape:d' },
    { arrowId: 'shape:4', from: 'shape:d', to: NORTH_STAR_ID },
  ])
  const { path } = onlyChain(steps, arrows)
  return { arrows, path, order: chainOf(path), edges: edgesOf(path) }
}

describe('planChain', () => {
  it('changes nothing when the chain already runs in the order', () => {
    const { order, edges } = drawnPath()
    expect(planChain(edges, order)).toEqual({ rebind: [], create: [], remove: [] })
  })

  it('edgesOf gives the arrows as drawn', () => {
    expect(drawnPath().edges).toEqual([
      { arrowId: 'shape:0', from: 'shape:nu', to: 'shape:a' },
      { arrowId: 'shape:1', from: 'shape:a', to: 'shape:b' },
      { arrowId: 'shape:2', from: 'shape:b', to: 'shape:c' },
      { arrowId: 'shape:3', from: 'shape:c', to: 'shape:d' },
      { arrowId: 'shape:4', from: 'shape:d', to: NORTH_STAR_ID },
    ])
  })

  describe('inserts a milestone', () => {
    it('after another one, by bending one arrow and drawing one', () => {
      const { arrows, order, edges } = drawnPath()
      const wanted = insertAfter(order, 'shape:b', 'shape:x')
      expect(wanted).toEqual(['shape:nu', 'shape:a', 'shape:b', 'shape:x', 'shape:c', 'shape:d', NORTH_STAR_ID])
      const plan = planChain(edges, wanted)
      expect(plan).toEqual({
        rebind: [{ arrowId: 'shape:2', from: 'shape:b', to: 'shape:x' }],
        create: [{ from: 'shape:x', to: 'shape:c' }],
        remove: [],
      })
      const { path } = onlyChain([...steps, 'shape:x'], applyPlan(arrows, plan))
      expect(chainOf(path)).toEqual(wanted)
    })

    it('at every place in the chain', () => {
      const { arrows, order, edges } = drawnPath()
      for (const afterId of order.slice(0, -1)) {
        const wanted = insertAfter(order, afterId, 'shape:x')
        const plan = planChain(edges, wanted)
        expect(plan.rebind.length + plan.create.length + plan.remove.length, afterId).toBe(2)
        const { path, graph } = onlyChain([...steps, 'shape:x'], applyPlan(arrows, plan))
        expect(chainOf(path), afterId).toEqual(wanted)
        expect(graph.looseMilestoneIds).toEqual([])
      }
    })

    it('as the first step of a new path', () => {
      const arrows: Arrows = new Map([['shape:0', { from: 'shape:nu', to: NORTH_STAR_ID }]])
      const { path } = onlyChain([], arrows)
      const wanted = insertAfter(chainOf(path), 'shape:nu', 'shape:a')
      const plan = planChain(edgesOf(path), wanted)
      expect(plan).toEqual({
        rebind: [{ arrowId: 'shape:0', from: 'shape:nu', to: 'shape:a' }],
        create: [{ from: 'shape:a', to: NORTH_STAR_ID }],
        remove: [],
      })
      expect(chainOf(onlyChain(['shape:a'], applyPlan(arrows, plan)).path)).toEqual(wanted)
    })

    it('and can join a broken path to the north star', () => {
      const arrows: Arrows = new Map([['shape:0', { from: 'shape:nu', to: 'shape:a' }]])
      const broken = readPaths(boardRecords(['shape:a'], arrows)).paths[0]
      expect(broken.reachesNorthStar).toBe(false)
      const plan = planChain(edgesOf(broken), [...chainOf(broken), NORTH_STAR_ID])
      expect(plan).toEqual({ rebind: [], create: [{ from: 'shape:a', to: NORTH_STAR_ID }], remove: [] })
      onlyChain(['shape:a'], applyPlan(arrows, plan))
    })
  })

  describe('reorders milestones', () => {
    it('one place toward the start', () => {
      const { arrows, order, edges } = drawnPath()
      const wanted = moveWithin(order, 'shape:c', -1)
      expect(wanted).toEqual(['shape:nu', 'shape:a', 'shape:c', 'shape:b', 'shape:d', NORTH_STAR_ID])
      const plan = planChain(edges, wanted)
      // Three joins change; the same three arrows are bent, none drawn or deleted.
      expect(plan.rebind).toHaveLength(3)
      expect(plan.create).toEqual([])
      expect(plan.remove).toEqual([])
      expect(chainOf(onlyChain(steps, applyPlan(arrows, plan)).path)).toEqual(wanted)
    })

    it('any distance, and never past the start point or the north star', () => {
      const { arrows, order, edges } = drawnPath()
      for (const id of steps) {
        for (let by = -5; by <= 5; by++) {
          const wanted = moveWithin(order, id, by)
          expect(wanted[0], `${id} by ${by}`).toBe('shape:nu')
          expect(wanted.at(-1), `${id} by ${by}`).toBe(NORTH_STAR_ID)
          expect([...wanted].sort(), `${id} by ${by}`).toEqual([...order].sort())
          const plan = planChain(edges, wanted)
          expect(plan.create.length + plan.remove.length).toBe(0)
          expect(chainOf(onlyChain(steps, applyPlan(arrows, plan)).path), `${id} by ${by}`).toEqual(wanted)
        }
      }
      expect(moveWithin(order, 'shape:a', -1)).toEqual(order)
      expect(moveWithin(order, 'shape:d', 1)).toEqual(order)
    })

    it('leaves the start point and the north star where they are', () => {
      const { order } = drawnPath()
      expect(moveWithin(order, 'shape:nu', 2)).toEqual(order)
      expect(moveWithin(order, NORTH_STAR_ID, -2)).toEqual(order)
      expect(moveWithin(order, 'shape:unknown', 1)).toEqual(order)
    })

    it('in a path that does not reach the north star yet, up to its last step', () => {
      const broken = ['shape:nu', 'shape:a', 'shape:b']
      expect(moveWithin(broken, 'shape:a', 1)).toEqual(['shape:nu', 'shape:b', 'shape:a'])
      expect(moveWithin(broken, 'shape:b', -5)).toEqual(['shape:nu', 'shape:b', 'shape:a'])
    })
  })

  describe('removes a milestone', () => {
    it('by bending one arrow past it and deleting the other', () => {
      const { arrows, order, edges } = drawnPath()
      const wanted = without(order, 'shape:b')
      const plan = planChain(edges, wanted)
      expect(plan.rebind).toHaveLength(1)
      expect(plan.create).toEqual([])
      expect(plan.remove).toHaveLength(1)
      const { path, graph } = onlyChain(steps, applyPlan(arrows, plan))
      expect(chainOf(path)).toEqual(['shape:nu', 'shape:a', 'shape:c', 'shape:d', NORTH_STAR_ID])
      // The milestone stays on the board, on no path, until someone deletes it.
      expect(graph.looseMilestoneIds).toEqual(['shape:b'])
    })

    it('at every place in the chain, down to none', () => {
      const { arrows, order, edges } = drawnPath()
      for (const id of steps) {
        const wanted = without(order, id)
        const { path } = onlyChain(steps, applyPlan(arrows, planChain(edges, wanted)))
        expect(chainOf(path)).toEqual(wanted)
      }
      let current = arrows
      let currentOrder = order
      for (const id of steps) {
        currentOrder = without(currentOrder, id)
        const path = readPaths(boardRecords(steps, current)).paths[0]
        current = applyPlan(current, planChain(edgesOf(path), currentOrder))
      }
      const { path } = onlyChain(steps, current)
      expect(chainOf(path)).toEqual(['shape:nu', NORTH_STAR_ID])
      expect(path.arrowIds).toEqual(['shape:0'])
    })
  })
})
