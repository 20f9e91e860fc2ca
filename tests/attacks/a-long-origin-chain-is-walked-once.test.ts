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
import { delay } from '../helpers/wait.ts'

/** The warm-up chains' client ids: new to the board, none the measured chain's (0x0c4a1). */
const WARM_UP_CLIENTS = [0x0c4a0, 0x0c4a2, 0x0c4a3]

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
    // Three chains as long first, with the canary paused, and a moment for V8 to finish
    // compiling what they ran, so the measured one meets a warm server, as in production [1].
    await env.canary.paused(async () => {
      for (const client of WARM_UP_CLIENTS) {
        sendAs(attacker, channel, originChain(5_000, `shape:warm-up-${client}`, client))
        await attacker.roundTrip(10_000)
      }
      await delay(500)
    })
    sendAs(attacker, channel, originChain(5_000, 'shape:chained'))
    await attacker.roundTrip(10_000).catch(() => {})
    expect(getRecordsMap(attacker.doc).has('shape:chained')).toBe(false)
    await env.expectUnharmed()
  })
})

// [1] A fresh test process's first big frames also pay for V8 compiling the gate's and Yjs's
//     loops while they run. On a slow machine (start → listening 413 ms instead of 150–168)
//     the first two 5,000-item chains of the file took 100–165 ms each to handle, the later
//     ones 27–60 ms, after a warm-up chain of 50 or of 5,000 items alike; after three, with a
//     pause, the measured one took 27–31 ms. That first cost is any big frame's, not this
//     attack's; a walk per item is quadratic on a warm server too (12 million steps for this
//     chain: seconds), so the canary's bound still catches it.
