/**
 * Four million two-byte structs fit in an 8 MB frame, well under the frame limit; decoding
 * them alone took Yjs about two seconds, during which the server answered nobody. The gate
 * counts structs and delete ranges before anything is decoded, stops at the limit
 * (`STIP_MAX_UPDATE_STRUCTS`) and closes the sender with UpdateTooComplex.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../server/room/limits.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { tinyStructs } from '../helpers/costly.ts'
import { CHANNELS, sendAs } from '../helpers/layers.ts'

describe('a frame of millions of tiny structs', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it.each(CHANNELS)('is refused with UpdateTooComplex before it is decoded (as %s)', async (channel) => {
    const attacker = await env.attacker(env.board.tokens.participant)
    // Built with the canary paused: the test shares its event loop with the server.
    sendAs(attacker, channel, await env.canary.paused(() => tinyStructs(4_000_000)))
    expect((await closedWith(attacker, 10_000)).code).toBe(CloseCode.UpdateTooComplex)
    await env.expectUnharmed()
  })

  it('is taken just under the limit, and costs the server no long pause', async () => {
    const attacker = await env.attacker(env.board.tokens.participant)
    attacker.sendUpdate(tinyStructs(DEFAULT_LIMITS.maxUpdateStructs - 1))
    await attacker.roundTrip(10_000).catch(() => {})
    // GC structs of a new client: nothing to see on the board either way.
    await env.expectUnharmed()
  })
})
