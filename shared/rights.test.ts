import { describe, expect, it } from 'vitest'
import type { StoredRecord } from './doc.ts'
import { canWriteInLayer, createRootLayer, type LayerRecord, ROOT_LAYER_ID, type WriteScope } from './layers.ts'
import { checkChange, layerRights, recordChange } from './rights.ts'
import { NORTH_STAR_ID, NORTH_STAR_TYPE } from './schema/index.ts'

const layer = (id: string, parentId: string, locked = false): LayerRecord => ({
  ...createRootLayer(),
  id,
  name: id,
  parentId,
  locked,
})
const shape = (id: string, layerId: string, x = 0): StoredRecord => ({
  id,
  typeName: 'shape',
  type: 'geo',
  x,
  meta: { layerId },
})

/** A board: root › sociaal (› jeugd), publiek, locked; one shape in each. */
function board(): Map<string, StoredRecord> {
  const records: StoredRecord[] = [
    { id: 'page:page', typeName: 'page', name: 'Bord' },
    createRootLayer() as unknown as StoredRecord,
    layer('layer:sociaal', ROOT_LAYER_ID) as unknown as StoredRecord,
    layer('layer:jeugd', 'layer:sociaal') as unknown as StoredRecord,
    layer('layer:publiek', ROOT_LAYER_ID) as unknown as StoredRecord,
    layer('layer:locked', ROOT_LAYER_ID, true) as unknown as StoredRecord,
    { id: NORTH_STAR_ID, typeName: 'shape', type: NORTH_STAR_TYPE, meta: { layerId: ROOT_LAYER_ID } },
    shape('shape:s', 'layer:sociaal'),
    shape('shape:p', 'layer:publiek'),
    shape('shape:l', 'layer:locked'),
  ]
  return new Map(records.map((record) => [record.id, record]))
}

function check(scope: WriteScope, write: StoredRecord[], remove: string[] = []) {
  const records = board()
  const layers = new Map(
    [...records.values()].filter((r) => r.typeName === 'layer').map((r) => [r.id, r as unknown as LayerRecord]),
  )
  const written = new Map(write.map((record) => [record.id, record]))
  const deleted = new Set([...remove, ...write.map((record) => record.id).filter((id) => records.has(id))])
  return checkChange(scope, { before: (id) => records.get(id), layers, written, deleted })
}

const sociaal: WriteScope = { role: 'participant', layerId: 'layer:sociaal' }
const facilitator: WriteScope = { role: 'facilitator', layerId: null }

describe(checkChange, () => {
  it('lets a scoped participant draw in its layer and its sub-layers', () => {
    expect(check(sociaal, [shape('shape:new', 'layer:jeugd'), shape('shape:s', 'layer:sociaal', 5)])).toEqual({
      ok: true,
    })
  })

  it('refuses the whole change when one record is outside the scope', () => {
    const verdict = check(sociaal, [shape('shape:new', 'layer:sociaal'), shape('shape:p', 'layer:publiek', 9)])
    expect(verdict).toMatchObject({ ok: false, recordId: 'shape:p' })
  })

  it('refuses moving a shape out of the scope, and deleting one outside it', () => {
    expect(check(sociaal, [shape('shape:s', 'layer:publiek')])).toMatchObject({ ok: false })
    expect(check(sociaal, [], ['shape:p'])).toMatchObject({ ok: false, recordId: 'shape:p' })
  })

  it('keeps the north star for facilitators, and undeletable for everyone', () => {
    const edited = { ...(board().get(NORTH_STAR_ID) as StoredRecord), x: 10 }
    expect(check(sociaal, [edited])).toMatchObject({ ok: false, recordId: NORTH_STAR_ID })
    expect(check({ role: 'participant', layerId: null }, [edited])).toMatchObject({ ok: false })
    expect(check(facilitator, [edited])).toEqual({ ok: true })
    expect(check(facilitator, [], [NORTH_STAR_ID])).toMatchObject({ ok: false })
    const second = { id: 'shape:star2', typeName: 'shape', type: NORTH_STAR_TYPE, meta: {} }
    expect(check(facilitator, [second])).toMatchObject({ ok: false })
  })

  it('keeps locked layers, pages and the root layer for facilitators', () => {
    const participant: WriteScope = { role: 'participant', layerId: null }
    expect(check(participant, [shape('shape:l', 'layer:locked', 3)])).toMatchObject({ ok: false })
    expect(check(participant, [{ id: 'page:page', typeName: 'page', name: 'X' }])).toMatchObject({ ok: false })
    expect(check(facilitator, [shape('shape:l', 'layer:locked', 3)])).toEqual({ ok: true })
    expect(check(facilitator, [], [ROOT_LAYER_ID])).toMatchObject({ ok: false })
  })

  it('places a binding in the layer of the shape it starts from', () => {
    const binding = (fromId: string) => ({ id: 'binding:b', typeName: 'binding', fromId, toId: NORTH_STAR_ID })
    expect(check(sociaal, [binding('shape:s')])).toEqual({ ok: true })
    expect(check(sociaal, [binding('shape:p')])).toMatchObject({ ok: false })
  })

  it('lets a participant nest layers as deep as the panel does, and no deeper', () => {
    const participant: WriteScope = { role: 'participant', layerId: null }
    const chain = (depth: number) =>
      Array.from({ length: depth }, (_, i) => layer(`layer:n${i + 1}`, i === 0 ? ROOT_LAYER_ID : `layer:n${i}`))
    expect(check(participant, chain(6) as unknown as StoredRecord[])).toEqual({ ok: true })
    expect(check(participant, chain(7) as unknown as StoredRecord[])).toMatchObject({ ok: false, recordId: 'layer:n7' })
    expect(check(facilitator, chain(7) as unknown as StoredRecord[])).toEqual({ ok: true })
  })

  it('lets a scoped participant add a sub-layer and draw in it in one change', () => {
    const team = layer('layer:team2', 'layer:sociaal') as unknown as StoredRecord
    expect(check(sociaal, [team, shape('shape:t', 'layer:team2')])).toEqual({ ok: true })
  })

  it('keeps board settings in meta, the schema included, for facilitators', () => {
    const records = board()
    const none = {
      before: (id: string) => records.get(id),
      layers: new Map(),
      written: new Map(),
      deleted: new Set<string>(),
    }
    expect(checkChange(sociaal, { ...none, metaKeys: new Set(['schema']) })).toMatchObject({ ok: false })
    expect(checkChange(facilitator, { ...none, metaKeys: new Set(['schema']) })).toEqual({ ok: true })
    expect(checkChange(sociaal, { ...none, metaKeys: new Set(['display']) })).toMatchObject({ ok: false })
    expect(checkChange(facilitator, { ...none, metaKeys: new Set(['display']) })).toEqual({ ok: true })
  })

  it('lets anyone who draws record who they are (tldraw user records)', () => {
    expect(check(sociaal, [{ id: 'user:anna', typeName: 'user', name: 'Anna' }])).toEqual({ ok: true })
  })

  it('accepts offline history: values made and deleted before they reached the board', () => {
    const records = board()
    const verdict = checkChange(sociaal, {
      before: (id) => records.get(id),
      layers: new Map(),
      written: new Map(),
      deleted: new Set(['shape:offline']),
      values: new Map([['shape:offline', [null, null]]]),
    })
    expect(verdict).toEqual({ ok: true })
  })

  it('never lets a display write', () => {
    expect(check({ role: 'display', layerId: null }, [shape('shape:x', ROOT_LAYER_ID)])).toMatchObject({ ok: false })
  })
})

describe('a value that claims another kind than its key', () => {
  const participant: WriteScope = { role: 'participant', layerId: null }
  const star = board().get(NORTH_STAR_ID) as StoredRecord
  const spoofs: [string, WriteScope, StoredRecord][] = [
    ['the north star written as an asset', participant, { ...star, typeName: 'asset', x: 99 }],
    ['the page written as a user', participant, { id: 'page:page', typeName: 'user', name: 'Mine' }],
    [
      'a locked layer’s shape written as an asset',
      participant,
      { ...shape('shape:l', 'layer:locked', 7), typeName: 'asset' },
    ],
    [
      'the root layer written as a shape',
      participant,
      { ...createRootLayer(), typeName: 'shape', locked: true } as never,
    ],
    [
      'a shape outside the scope written as a user',
      sociaal,
      { ...shape('shape:p', 'layer:publiek', 2), typeName: 'user' },
    ],
    ['a shape that names another id', facilitator, { ...shape('shape:other', 'layer:sociaal'), id: 'shape:other' }],
  ]
  it.each(spoofs)('is refused: %s', (_what, scope, value) => {
    const key = value.id === 'shape:other' ? 'shape:s' : value.id
    const records = board()
    const layers = new Map(
      [...records.values()].filter((r) => r.typeName === 'layer').map((r) => [r.id, r as unknown as LayerRecord]),
    )
    const verdict = checkChange(scope, {
      before: (id) => records.get(id),
      layers,
      written: new Map([[key, value]]),
      deleted: new Set([key]),
    })
    expect(verdict).toMatchObject({ ok: false, recordId: key })
  })
})

describe(layerRights, () => {
  it('answers like canWriteInLayer on random trees, cycles and missing parents included', () => {
    let seed = 11
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff
      return seed % n
    }
    for (let round = 0; round < 200; round++) {
      const count = 1 + random(12)
      const ids = Array.from({ length: count }, (_, i) => (i === 0 ? ROOT_LAYER_ID : `layer:l${i}`))
      const layers = new Map<string, LayerRecord>()
      for (const id of ids) {
        const pick = random(count + 2)
        const parentId = id === ROOT_LAYER_ID ? null : pick < count ? ids[pick] : 'layer:missing'
        layers.set(id, { ...layer(id, parentId as string, random(5) === 0), parentId })
      }
      const scopeId = random(3) === 0 ? null : ids[random(count)]
      const scope: WriteScope = { role: 'participant', layerId: scopeId }
      const rights = layerRights(layers, scope)
      for (const id of [...ids, 'layer:missing'].sort(() => random(3) - 1)) {
        expect(rights(id), `round ${round}, ${id}`).toBe(canWriteInLayer(layers, scope, id))
      }
    }
  })

  it('works out a chain of 20,000 layers once, not once per shape (per shape: 400 million steps)', () => {
    const layers = new Map<string, LayerRecord>([[ROOT_LAYER_ID, createRootLayer()]])
    for (let i = 1; i <= 20_000; i++)
      layers.set(`layer:d${i}`, layer(`layer:d${i}`, i === 1 ? ROOT_LAYER_ID : `layer:d${i - 1}`))
    const rights = layerRights(layers, { role: 'participant', layerId: 'layer:d1' })
    for (let i = 0; i < 20_000; i++) expect(rights(`layer:d${20_000 - (i % 100)}`)).toBe(true)
    expect(layerRights(layers, sociaal)('layer:d20000')).toBe(false)
  })
})

describe(recordChange, () => {
  const records = board()
  const layers = new Map(
    [...records.values()].filter((r) => r.typeName === 'layer').map((r) => [r.id, r as unknown as LayerRecord]),
  )
  const lookup = (id: string) => records.get(id)
  const one = (before: StoredRecord | undefined, after: StoredRecord | undefined, scope: WriteScope = sociaal) =>
    checkChange(scope, recordChange(before, after, lookup, layers))

  it('checks a creation, a change and a deletion of one record like the server', () => {
    expect(one(undefined, shape('shape:new', 'layer:jeugd'))).toEqual({ ok: true })
    expect(one(undefined, shape('shape:new', 'layer:publiek'))).toMatchObject({ ok: false, recordId: 'shape:new' })
    const s = records.get('shape:s') as StoredRecord
    expect(one(s, { ...s, x: 4 })).toEqual({ ok: true })
    expect(one(s, shape('shape:s', 'layer:publiek'))).toMatchObject({ ok: false })
    expect(one(s, undefined)).toEqual({ ok: true })
    expect(one(records.get('shape:p'), undefined)).toMatchObject({ ok: false, recordId: 'shape:p' })
  })

  it('sees the record as it was before, and every other record through the lookup', () => {
    const star = records.get(NORTH_STAR_ID) as StoredRecord
    expect(one(star, undefined, facilitator)).toMatchObject({ ok: false, reason: 'the north star cannot be deleted' })
    const binding = (fromId: string) => ({ id: 'binding:b', typeName: 'binding', fromId, toId: NORTH_STAR_ID })
    expect(one(undefined, binding('shape:s'))).toEqual({ ok: true })
    expect(one(undefined, binding('shape:p'))).toMatchObject({ ok: false, recordId: 'binding:b' })
  })

  it('checks a new layer against its parent, whether or not the layers already hold it', () => {
    const team = layer('layer:team2', 'layer:sociaal')
    const withTeam = new Map([...layers, [team.id, team]])
    const asRecord = team as unknown as StoredRecord
    expect(checkChange(sociaal, recordChange(undefined, asRecord, lookup, layers))).toEqual({ ok: true })
    expect(checkChange(sociaal, recordChange(undefined, asRecord, lookup, withTeam))).toEqual({ ok: true })
    const outside = layer('layer:x', 'layer:publiek') as unknown as StoredRecord
    expect(checkChange(sociaal, recordChange(undefined, outside, lookup, layers))).toMatchObject({ ok: false })
  })
})
