import { describe, expect, it } from 'vitest'
import {
  addLayer,
  ancestorsOf,
  canWriteInLayer,
  canWriteLayer,
  childrenOf,
  createRootLayer,
  deleteLayer,
  depthOf,
  flattenLayers,
  type LayerChange,
  type LayerRecord,
  layerOfShape,
  MAX_LAYER_DEPTH,
  moveLayer,
  ROOT_LAYER_ID,
  updateLayer,
} from './layers.ts'

/** Applies a successful change to a layer map. */
function apply(layers: Map<string, LayerRecord>, change: LayerChange): Map<string, LayerRecord> {
  if (!change.ok) throw new Error(change.message)
  const next = new Map(layers)
  for (const id of change.remove) next.delete(id)
  for (const layer of change.put) next.set(layer.id, layer)
  return next
}

/** Missie › Sociaal domein › Team Jeugd, and Missie › Publiekszaken. */
function board() {
  let layers = new Map([[ROOT_LAYER_ID, createRootLayer()]])
  layers = apply(layers, addLayer(layers, { id: 'layer:sociaal', name: 'Sociaal domein', parentId: ROOT_LAYER_ID }))
  layers = apply(layers, addLayer(layers, { id: 'layer:publiek', name: 'Publiekszaken', parentId: ROOT_LAYER_ID }))
  layers = apply(layers, addLayer(layers, { id: 'layer:jeugd', name: 'Team Jeugd', parentId: 'layer:sociaal' }))
  return layers
}

const names = (list: LayerRecord[]) => list.map((layer) => layer.name)

describe('the layer tree', () => {
  it('nests departments under the mission and teams under departments', () => {
    const layers = board()
    expect(names(childrenOf(layers, ROOT_LAYER_ID))).toEqual(['Sociaal domein', 'Publiekszaken'])
    expect(names(ancestorsOf(layers, 'layer:jeugd'))).toEqual(['Missie & strategie', 'Sociaal domein'])
    expect(depthOf(layers, 'layer:jeugd')).toBe(2)
    expect(flattenLayers(layers).map(({ layer, depth }) => `${depth}:${layer.name}`)).toEqual([
      '0:Missie & strategie',
      '1:Sociaal domein',
      '2:Team Jeugd',
      '1:Publiekszaken',
    ])
  })

  it('gives a new layer a colour its parent and its siblings do not have', () => {
    const layers = board()
    const color = (id: string) => layers.get(id)?.color
    expect(color(ROOT_LAYER_ID)).toBe('blue')
    expect(color('layer:sociaal')).not.toBe('blue')
    expect(color('layer:publiek')).not.toBe(color('layer:sociaal'))
    expect(color('layer:jeugd')).not.toBe(color('layer:sociaal'))
    // Once every colour is taken among the siblings, they go round again.
    let crowded = layers
    for (let i = 0; i < 20; i++) {
      crowded = apply(crowded, addLayer(crowded, { id: `layer:d${i}`, name: `Afdeling ${i}`, parentId: ROOT_LAYER_ID }))
    }
    expect(crowded.get('layer:d19')?.color).toBeDefined()
  })

  it('goes at least four levels deep, and refuses deeper than the maximum', () => {
    let layers = board()
    let parentId = 'layer:jeugd'
    for (let level = 3; level <= MAX_LAYER_DEPTH; level++) {
      const id = `layer:level${level}`
      layers = apply(layers, addLayer(layers, { id, name: `Level ${level}`, parentId }))
      parentId = id
    }
    expect(depthOf(layers, parentId)).toBe(MAX_LAYER_DEPTH)
    expect(addLayer(layers, { id: 'layer:too-deep', name: 'Too deep', parentId })).toMatchObject({
      ok: false,
      code: 'too_deep',
    })
  })

  it('reorders siblings and moves a layer under another parent', () => {
    let layers = board()
    layers = apply(layers, moveLayer(layers, 'layer:publiek', ROOT_LAYER_ID, 'layer:sociaal'))
    expect(names(childrenOf(layers, ROOT_LAYER_ID))).toEqual(['Publiekszaken', 'Sociaal domein'])
    layers = apply(layers, moveLayer(layers, 'layer:jeugd', 'layer:publiek'))
    expect(names(childrenOf(layers, 'layer:publiek'))).toEqual(['Team Jeugd'])
    expect(childrenOf(layers, 'layer:sociaal')).toEqual([])
  })

  it('refuses cycles and moving the root', () => {
    const layers = board()
    expect(moveLayer(layers, 'layer:sociaal', 'layer:jeugd')).toMatchObject({ ok: false, code: 'cycle' })
    expect(moveLayer(layers, 'layer:sociaal', 'layer:sociaal')).toMatchObject({ ok: false, code: 'cycle' })
    expect(moveLayer(layers, ROOT_LAYER_ID, 'layer:sociaal')).toMatchObject({ ok: false, code: 'root' })
  })

  it('deletes a layer with its sub-layers and their shapes, never the root', () => {
    const layers = board()
    const shapes = [
      { id: 'shape:a', meta: { layerId: 'layer:sociaal' } },
      { id: 'shape:b', meta: { layerId: 'layer:jeugd' } },
      { id: 'shape:c', meta: { layerId: 'layer:publiek' } },
      { id: 'shape:d', meta: {} },
    ]
    const change = deleteLayer(layers, 'layer:sociaal', shapes)
    expect(change).toMatchObject({
      ok: true,
      remove: ['layer:sociaal', 'layer:jeugd'],
      shapeIds: ['shape:a', 'shape:b'],
    })
    expect(deleteLayer(layers, ROOT_LAYER_ID, shapes)).toMatchObject({ ok: false, code: 'root' })
  })

  it('renames with a trimmed name and refuses an empty one', () => {
    const layers = board()
    expect(updateLayer(layers, 'layer:jeugd', { name: '  Team Jeugd & Gezin ' })).toMatchObject({
      ok: true,
      put: [{ name: 'Team Jeugd & Gezin' }],
    })
    expect(updateLayer(layers, 'layer:jeugd', { name: '   ' })).toMatchObject({ ok: false, code: 'bad_name' })
  })

  it('puts a shape without a layer on the root layer', () => {
    expect(layerOfShape({ meta: {} })).toBe(ROOT_LAYER_ID)
    expect(layerOfShape({ meta: { layerId: 'layer:jeugd' } })).toBe('layer:jeugd')
  })
})

describe('rights per role and scope', () => {
  const facilitator = { role: 'facilitator' as const, layerId: null }
  const participant = { role: 'participant' as const, layerId: null }
  const sociaal = { role: 'participant' as const, layerId: 'layer:sociaal' }
  const display = { role: 'display' as const, layerId: null }

  it('lets a scoped participant write its layer and below, and nothing else', () => {
    const layers = board()
    expect(canWriteInLayer(layers, sociaal, 'layer:sociaal')).toBe(true)
    expect(canWriteInLayer(layers, sociaal, 'layer:jeugd')).toBe(true)
    expect(canWriteInLayer(layers, sociaal, 'layer:publiek')).toBe(false)
    expect(canWriteInLayer(layers, sociaal, ROOT_LAYER_ID)).toBe(false)
    expect(canWriteInLayer(layers, participant, 'layer:publiek')).toBe(true)
  })

  it('keeps locked layers, and everything below them, for facilitators', () => {
    const layers = apply(board(), updateLayer(board(), 'layer:sociaal', { locked: true }))
    expect(canWriteInLayer(layers, participant, 'layer:sociaal')).toBe(false)
    expect(canWriteInLayer(layers, sociaal, 'layer:jeugd')).toBe(false)
    expect(canWriteInLayer(layers, facilitator, 'layer:jeugd')).toBe(true)
  })

  it('never lets a display write', () => {
    const layers = board()
    expect(canWriteInLayer(layers, display, ROOT_LAYER_ID)).toBe(false)
    expect(canWriteLayer(layers, display, undefined, layers.get('layer:jeugd'))).toBe(false)
  })

  it('lets participants add and rename sub-layers inside their scope, but not lock them or touch the scope itself', () => {
    const layers = board()
    const jeugd = layers.get('layer:jeugd') as LayerRecord
    const sociaalLayer = layers.get('layer:sociaal') as LayerRecord
    const added = addLayer(layers, { id: 'layer:new', name: 'Nieuw', parentId: 'layer:jeugd' })
    if (!added.ok) throw new Error(added.message)
    expect(canWriteLayer(layers, sociaal, undefined, added.put[0])).toBe(true)
    expect(canWriteLayer(layers, sociaal, jeugd, { ...jeugd, name: 'Jeugd' })).toBe(true)
    expect(canWriteLayer(layers, sociaal, jeugd, { ...jeugd, locked: true })).toBe(false)
    expect(canWriteLayer(layers, sociaal, jeugd, { ...jeugd, visible: false })).toBe(false)
    expect(canWriteLayer(layers, sociaal, sociaalLayer, { ...sociaalLayer, name: 'Zorg' })).toBe(false)
    expect(canWriteLayer(layers, sociaal, jeugd, { ...jeugd, parentId: 'layer:publiek' })).toBe(false)
    expect(canWriteLayer(layers, facilitator, jeugd, { ...jeugd, locked: true })).toBe(true)
  })
})
