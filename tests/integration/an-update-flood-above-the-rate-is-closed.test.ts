/**
 * One connection may send `STIP_UPDATE_BURST` updates at once and `STIP_UPDATES_PER_SECOND`
 * sustained; a flood above that is closed with RateLimited, and everyone else keeps working.
 * The flood here is of empty updates: each costs the gate a decode, and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_LIMITS } from '../../server/room/limits.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'

describe('a flood of updates above the rate', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('is closed with RateLimited', async () => {
    const attacker = await env.attacker(env.board.tokens.participant)
    const empty = Y.encodeStateAsUpdate(new Y.Doc())
    for (let i = 0; i < DEFAULT_LIMITS.updateBurst * 2; i++) attacker.sendUpdate(empty)
    expect((await closedWith(attacker, 10_000)).code).toBe(CloseCode.RateLimited)
    await env.expectUnharmed()
  })
})
