/**
 * Completeness: Yjs keeps what it cannot integrate yet — a delete range over clocks nobody
 * has written, structs after a clock gap — and applies it, unchecked, once the missing part
 * arrives (after a layer was locked, say), meanwhile growing memory and travelling to
 * joiners. The server applies an update only if nothing of it would stay pending; else it
 * drops it and asks the sender to resync.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { craftUpdate, type IdentityStage, stageIdentityAttack } from '../helpers/identity-attack.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'

describe('content that does not exist yet', () => {
  let stage: IdentityStage | undefined

  afterEach(async () => {
    await stage?.server.stop()
    stage = undefined
  })

  it('a delete range over the facilitator’s future clocks is never applied', async () => {
    stage = await stageIdentityAttack()
    const attacker = await stage.attacker()
    const clock = stage.victimClock()
    attacker.sendUpdate(craftUpdate([], [{ client: stage.victim, ranges: [{ clock, len: 1000 }] }]))
    await attacker.roundTrip()
    expect(attacker.closeInfo).toBeNull()
    await attacker.close()
    await stage.verify() // the facilitator's next edit, at `clock`, must not be deleted on arrival
  })

  it('structs after a clock gap under the attacker’s own id are never parked, nor applied later', async () => {
    stage = await stageIdentityAttack()
    const attacker = await stage.attacker()
    const own = new Y.Doc()
    Y.applyUpdate(own, Y.encodeStateAsUpdate(stage.facilitator.doc))
    const steps: Uint8Array[] = []
    own.on('update', (update: Uint8Array) => steps.push(update))
    putRecords(own, [{ ...shapeRecord('shape:first'), x: 1 }])
    putRecords(own, [{ ...shapeRecord('shape:second'), x: 2 }])
    putRecords(own, [{ ...shapeRecord('shape:parked'), x: 3 }])
    const sizeBefore = Y.encodeStateAsUpdate(stage.serverDoc()).length
    // Clock 0, then (a Skip in between) clock 2: the middle is missing.
    attacker.sendUpdate(Y.mergeUpdates([steps[0], steps[2]]))
    await attacker.roundTrip()
    // Only clocks 2 on their own: a gap from what the server holds.
    attacker.sendUpdate(steps[2])
    await attacker.roundTrip()
    expect(stage.serverDoc().store.pendingStructs).toBeNull()
    expect(getRecordsMap(stage.serverDoc()).has('shape:parked')).toBe(false)
    expect(Y.encodeStateAsUpdate(stage.serverDoc()).length).toBe(sizeBefore)
    // The missing middle arrives on its own: the parked part was never kept to follow it.
    attacker.sendUpdate(steps[0])
    attacker.sendUpdate(steps[1])
    await attacker.roundTrip()
    expect(getRecordsMap(stage.serverDoc()).has('shape:second')).toBe(true)
    expect(getRecordsMap(stage.serverDoc()).has('shape:parked')).toBe(false)
    expect(attacker.closeInfo).toBeNull()
    await attacker.close()
    await stage.verify()
  })
})
