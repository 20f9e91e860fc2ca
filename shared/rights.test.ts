import { describe, expect, it } from 'vitest'
import type { StoredRecord } from './doc.ts'
import { createRootLayer, type LayerRecord, ROOT_LAYER_ID, type WriteScope } from './layers.ts'
import { checkChange, recordChange } from './rights.ts'
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

  it('lets a scoped participant add a sub-layer and draw in it in one change', () => {
    const team = layer('layer:team2', 'layer:sociaal') as unknown as StoredRecord
    expect(check(sociaal, [team, shape('shape:t', 'layer:team2')])).toEqual({ ok: true })
  })

  it('keeps board settings in meta for facilitators, but lets anyone record the schema', () => {
    const records = board()
    const none = {
      before: (id: string) => records.get(id),
      layers: new Map(),
      written: new Map(),
      deleted: new Set<string>(),
    }
    expect(checkChange(sociaal, { ...none, metaKeys: new Set(['schema']) })).toEqual({ ok: true })
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
