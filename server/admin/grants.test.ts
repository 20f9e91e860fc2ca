import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../store/memory.ts'
import { findGrant, hashToken } from '../tokens.ts'
import { InternalGrants } from './grants.ts'

describe(InternalGrants, () => {
  it('opens its one board read-only until revoked or expired, and nothing else', () => {
    let now = 1_000
    const grants = new InternalGrants(() => now)
    const minted = grants.mint('board-a', 60_000)
    const hash = hashToken(minted.token)
    expect(grants.find('board-a', hash)).toEqual({ role: 'display', layerId: null })
    expect(grants.find('board-b', hash)).toBeUndefined()
    expect(grants.isInternal('board-a', hash)).toBe(true)
    now += 60_000
    expect(grants.find('board-a', hash)).toBeUndefined()
    expect(grants.size).toBe(0)

    const again = grants.mint('board-a')
    expect(grants.size).toBe(1)
    again.revoke()
    again.revoke()
    expect(grants.find('board-a', hashToken(again.token))).toBeUndefined()
    expect(grants.size).toBe(0)
  })

  it('is found by findGrant after the store’s links, and only when given', () => {
    const store = new MemoryStore()
    const grants = new InternalGrants()
    const { token } = grants.mint('board-a')
    expect(findGrant(store, 'board-a', token)).toBeUndefined()
    expect(findGrant(store, 'board-a', token, grants)?.grant).toEqual({ role: 'display', layerId: null })
    store.close()
  })
})
