/**
 * Items typed one after another name only their left neighbour, not their map and key: to
 * learn which record the last of n such items writes, the gate walks back to the first.
 * Walking it again for every item was n² steps — 12 million for a chain of 5,000 items,
 * well under the struct limit: a second or more of a frozen server. The gate walks each
 * chain once.
 * The chain here only deletes a key that holds nothing, so it may be taken; what matters is
 * that the server keeps answering and the board is unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { type AttackBoard, startAttackBoard } from '../helpers/attack.ts'
import { originChain } from '../helpers/costly.ts'
import { CHANNELS, sendAs } from '../helpers/layers.ts'

describe('an update whose items form one long origin chain', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it.each(CHANNELS)('costs one walk, and changes nothing (as %s)', async (channel) => {
    const attacker = await env.attacker(env.board.tokens.participant)
    // A short chain first, so the big one meets a warm server, as in production.
    sendAs(attacker, channel, originChain(50, 'shape:warm-up', 0x0c4a0))
    await attacker.roundTrip(10_000)
    sendAs(attacker, channel, originChain(5_000, 'shape:chained'))
    await attacker.roundTrip(10_000).catch(() => {})
    expect(getRecordsMap(attacker.doc).has('shape:chained')).toBe(false)
    await env.expectUnharmed()
  })
})
