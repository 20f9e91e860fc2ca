import { describe, expect, it } from 'vitest'
import { planArrangement, type Rect } from './arrange.ts'

const star: Rect = { x: -320, y: -130, w: 640, h: 260 }
const moved = (box: Rect, move: { dx: number; dy: number } | undefined): Rect => ({
  ...box,
  x: box.x + (move?.dx ?? 0),
  y: box.y + (move?.dy ?? 0),
})
const intersects = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

describe('planArrangement', () => {
  it('puts one department straight below the north star, clear of it', () => {
    const box = { x: 2000, y: 2000, w: 900, h: 500 }
    const [result] = [moved(box, planArrangement(star, [{ id: 'a', box }]).get('a'))]
    expect(intersects(result, star)).toBe(false)
    expect(result.y).toBeGreaterThan(star.y + star.h)
    expect(Math.abs(result.x + result.w / 2)).toBeLessThan(1)
  })

  it('spreads departments from left to right in layer order, none overlapping another or the star', () => {
    // All drawn on top of each other, as a breakout often leaves them.
    const blocks = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, box: { x: 0, y: 300, w: 1200, h: 700 } }))
    const moves = planArrangement(star, blocks)
    const placed = blocks.map(({ id, box }) => moved(box, moves.get(id)))
    for (const [i, a] of placed.entries()) {
      expect(intersects(a, star)).toBe(false)
      for (const b of placed.slice(i + 1)) expect(intersects(a, b)).toBe(false)
    }
    const centers = placed.map((box) => box.x + box.w / 2)
    expect(centers).toEqual([...centers].sort((p, q) => p - q))
    // Every block sits below the horizon's middle, facing the star.
    for (const box of placed) expect(box.y + box.h / 2).toBeGreaterThan(star.y + star.h / 2)
  })

  it('moves whole blocks only: a translation, and nothing for no blocks', () => {
    expect(planArrangement(star, []).size).toBe(0)
    const move = planArrangement(star, [{ id: 'a', box: { x: 0, y: 0, w: 10, h: 10 } }]).get('a')
    expect(Number.isInteger(move?.dx)).toBe(true)
    expect(Number.isInteger(move?.dy)).toBe(true)
  })
})
