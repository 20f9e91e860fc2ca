import { describe, expect, it } from 'vitest'
import { type RecordWrite, sliceChange } from './slices.ts'

const put = (id: string, bytes = 100) => ({
  id,
  json: `{"id":"${id}"${' '.repeat(Math.max(0, bytes - id.length - 10))}}`,
})
const ids = (slices: RecordWrite[][]) => slices.flat().map((write) => write.id)

describe(sliceChange, () => {
  it('keeps a change within the limit as one slice, in the order given', () => {
    const slices = sliceChange([put('binding:b'), put('shape:a'), put('layer:l')], ['shape:gone'], 1_000)
    expect(slices).toHaveLength(1)
    expect(ids(slices)).toEqual(['binding:b', 'shape:a', 'layer:l', 'shape:gone'])
    expect(slices[0][3].json).toBeNull()
  })

  it('cuts a big change into slices within the limit, each write once', () => {
    const puts = Array.from({ length: 1_000 }, (_, i) => put(`shape:s${i}`, 500))
    const slices = sliceChange(puts, [], 10_000)
    expect(slices.length).toBe(50)
    for (const slice of slices)
      expect(slice.reduce((sum, write) => sum + (write.json?.length ?? 0), 0)).toBeLessThanOrEqual(10_000)
    expect(ids(slices).sort()).toEqual(puts.map((p) => p.id).sort())
  })

  it('writes layers before shapes before bindings, and removes them the other way round', () => {
    const slices = sliceChange(
      [put('binding:b1', 400), put('shape:a', 400), put('layer:l', 400), put('shape:c', 400)],
      ['layer:old', 'shape:old', 'binding:old'],
      500,
    )
    expect(ids(slices)).toEqual([
      'layer:l',
      'shape:a',
      'shape:c',
      'binding:b1',
      'binding:old',
      'shape:old',
      'layer:old',
    ])
  })

  it('cuts thousands of removals too, with a few puts', () => {
    const removals = Array.from({ length: 12_000 }, (_, i) => `shape:gone${i}`)
    const slices = sliceChange([put('shape:kept')], removals)
    expect(slices.length).toBeGreaterThan(2)
    // Each well within the server’s 10,000 structs and delete ranges per update.
    for (const slice of slices) expect(slice.length).toBeLessThan(10_000)
    expect(ids(slices).sort()).toEqual(['shape:kept', ...removals].sort())
  })

  it('puts a record larger than the limit in a slice of its own', () => {
    const slices = sliceChange([put('shape:small', 50), put('asset:big', 5_000), put('shape:small2', 50)], [], 1_000)
    expect(slices.map((slice) => slice.map((write) => write.id))).toEqual([
      ['shape:small'],
      ['asset:big'],
      ['shape:small2'],
    ])
  })
})
