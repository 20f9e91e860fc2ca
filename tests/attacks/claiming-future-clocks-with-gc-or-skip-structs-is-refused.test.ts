/**
 * Identity: GC and Skip structs carry no content, but they take clocks. A GC struct under
 * the facilitator's client id, from the clock the server holds onwards, would make Yjs skip
 * the facilitator's next edits as "already known"; a Skip would park everything behind it.
 * Both are someone else's structs beyond what the server holds: stripped, never applied.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { craftUpdate, type IdentityStage, stageIdentityAttack } from '../helpers/identity-attack.ts'

describe('claiming another person’s future clocks', () => {
  let stage: IdentityStage | undefined

  afterEach(async () => {
    await stage?.server.stop()
    stage = undefined
  })

  for (const [kind, struct] of [
    ['GC', { gc: 1000 }],
    ['Skip', { skip: 1000 }],
  ] as const) {
    it(`with ${kind} structs is stripped: the facilitator’s next edits still arrive`, async () => {
      stage = await stageIdentityAttack()
      const attacker = await stage.attacker()
      const clock = stage.victimClock()
      attacker.sendUpdate(craftUpdate([{ client: stage.victim, clock, structs: [struct] }]))
      await attacker.roundTrip()
      expect(stage.victimClock()).toBe(clock)
      expect(attacker.closeInfo).toBeNull()
      await attacker.close()
      await stage.verify() // the facilitator writes at `clock` next, and it must land
    })
  }
})
