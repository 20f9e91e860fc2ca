/**
 * One connection may send `STIP_UPDATE_BURST` updates at once and `STIP_UPDATES_PER_SECOND`
 * sustained; a flood at ten times that rate is closed with RateLimited once the burst is
 * spent, and everyone else keeps working.
 * The flood here is of empty updates: each costs the gate a decode, and changes nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_LIMITS } from '../../server/room/limits.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { delay } from '../helpers/wait.ts'

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
    // Ten times the sustained rate, in bursts of a hundred: the burst allowance runs out.
    const bursts = Math.ceil((DEFAULT_LIMITS.updateBurst * 2) / 100)
    for (let i = 0; i < bursts && !attacker.closeInfo; i++) {
      for (let j = 0; j < 100; j++) attacker.sendUpdate(empty)
      await delay(Math.round((100 / (DEFAULT_LIMITS.updatesPerSecond * 10)) * 1000))
    }
    expect((await closedWith(attacker, 10_000)).code).toBe(CloseCode.RateLimited)
    await env.expectUnharmed()
  })
})
