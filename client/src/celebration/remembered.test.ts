import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  CELEBRATION_WINDOW_MS,
  CLOCK_SKEW_MS,
  isCelebratable,
  MAX_REMEMBERED,
  prune,
  rememberCelebrated,
  rememberedKey,
} from './remembered.ts'

const NOW = Date.UTC(2026, 11, 1, 12)

describe(isCelebratable, () => {
  it('celebrates a step done within the last hour, allowing a little clock skew ahead', () => {
    expect(isCelebratable('done', NOW - 1_000, NOW)).toBe(true)
    expect(isCelebratable('done', NOW - CELEBRATION_WINDOW_MS + 1, NOW)).toBe(true)
    expect(isCelebratable('done', NOW + CLOCK_SKEW_MS, NOW)).toBe(true)
  })

  it('stays quiet for older steps, ones from far in the future, and anything not done', () => {
    expect(isCelebratable('done', NOW - CELEBRATION_WINDOW_MS, NOW)).toBe(false)
    expect(isCelebratable('done', NOW + CLOCK_SKEW_MS + 1, NOW)).toBe(false)
    expect(isCelebratable('done', null, NOW)).toBe(false)
    expect(isCelebratable('in-progress', NOW, NOW)).toBe(false)
    expect(isCelebratable('planned', NOW, NOW)).toBe(false)
  })
})

describe(prune, () => {
  it('drops steps past the window and keeps at most the newest MAX_REMEMBERED', () => {
    const entries = Array.from({ length: MAX_REMEMBERED + 50 }, (_, i) => ({ id: `shape:m${i}`, doneAt: NOW - i * 10 }))
    entries.push({ id: 'shape:old', doneAt: NOW - CELEBRATION_WINDOW_MS - 1 })
    const kept = prune(entries, NOW)
    expect(kept).toHaveLength(MAX_REMEMBERED)
    expect(kept[0]).toEqual({ id: 'shape:m0', doneAt: NOW })
    expect(kept.some((entry) => entry.id === 'shape:old')).toBe(false)
  })
})

describe(rememberCelebrated, () => {
  // Node has no localStorage; a Map behind the same four methods stands in for the browser's.
  const original = Object.getOwnPropertyDescriptor(globalThis, 'localStorage')
  let items: Map<string, string>
  beforeEach(() => {
    items = new Map()
    Object.defineProperty(globalThis, 'localStorage', {
      configurable: true,
      value: {
        getItem: (key: string) => items.get(key) ?? null,
        setItem: (key: string, value: string) => items.set(key, value),
        removeItem: (key: string) => items.delete(key),
        clear: () => items.clear(),
      },
    })
  })
  afterEach(() => {
    if (original) Object.defineProperty(globalThis, 'localStorage', original)
    else Reflect.deleteProperty(globalThis, 'localStorage')
  })

  it('remembers a step per board, across instances (a reload), by id and doneAt', () => {
    let now = NOW
    const first = rememberCelebrated('board-a', () => now)
    first.add({ id: 'shape:m1', doneAt: NOW - 5_000 })
    const reloaded = rememberCelebrated('board-a', () => now)
    expect(reloaded.has({ id: 'shape:m1', doneAt: NOW - 5_000 })).toBe(true)
    // Set to done again later is a new step; another board knows nothing of it.
    expect(reloaded.has({ id: 'shape:m1', doneAt: NOW })).toBe(false)
    expect(rememberCelebrated('board-b').has({ id: 'shape:m1', doneAt: NOW - 5_000 })).toBe(false)

    // An hour later the next write prunes it: the list never grows for months.
    now = NOW + CELEBRATION_WINDOW_MS
    reloaded.add({ id: 'shape:m2', doneAt: now })
    expect(JSON.parse(items.get(rememberedKey('board-a')) ?? '')).toEqual([['shape:m2', now]])
  })

  it('reads nonsense in storage as nothing remembered, without throwing', () => {
    items.set(rememberedKey('board-a'), '{"not": "a list"')
    expect(rememberCelebrated('board-a').has({ id: 'shape:m1', doneAt: NOW })).toBe(false)
    items.set(rememberedKey('board-a'), JSON.stringify([['shape:m1', 'yesterday'], 42, ['shape:m2', NOW]]))
    const remembered = rememberCelebrated('board-a', () => NOW)
    expect(remembered.has({ id: 'shape:m2', doneAt: NOW })).toBe(true)
    remembered.add({ id: 'shape:m3', doneAt: NOW })
    expect(JSON.parse(items.get(rememberedKey('board-a')) ?? '')).toEqual([
      ['shape:m3', NOW],
      ['shape:m2', NOW],
    ])
  })
})
