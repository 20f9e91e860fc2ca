/**
 * Identity: a Yjs update says under which client id its structs were written, and anyone
 * can write any number there. An attacker who takes the facilitator's client id (it is in
 * every update the facilitator sends) and writes "as the facilitator" gets those structs
 * stripped: the server keeps which browser introduced each id. The forged write's deletion
 * of the old value rides in the same delete set as the rest; it is stripped with the write
 * (Yjs deletes an overwritten value itself when the new one integrates), so the target is
 * neither changed nor deleted, and the rest of the update, the attacker's own, is judged
 * and applied like any other. It has to be: an honest browser that relays the structs a
 * server lost sends exactly this shape of update (the lost-tail test).
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { type IdentityStage, stageIdentityAttack, TARGET } from '../helpers/identity-attack.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'

describe('writing under another person’s client id', () => {
  let stage: IdentityStage | undefined

  afterEach(async () => {
    await stage?.server.stop()
    stage = undefined
  })

  it('is stripped with its deletion: the target stays, the attacker’s own record lands, it stays connected, honest edits still arrive', async () => {
    stage = await stageIdentityAttack()
    const { facilitator, victim } = stage
    const attacker = await stage.attacker()
    // The attacker's copy of the board, writing as the facilitator.
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(facilitator.doc))
    forged.clientID = victim
    const before = Y.encodeStateVector(forged)
    putRecords(forged, [{ ...shapeRecord(TARGET), x: 999 }])
    const asVictim = Y.encodeStateAsUpdate(forged, before)
    // One update: the forged part and a record of the attacker's own.
    const own = new Y.Doc()
    Y.applyUpdate(own, Y.encodeStateAsUpdate(facilitator.doc))
    const ownBefore = Y.encodeStateVector(own)
    putRecords(own, [{ ...shapeRecord('shape:attacker'), x: 5 }])
    const mixed = Y.mergeUpdates([asVictim, Y.encodeStateAsUpdate(own, ownBefore)])
    const clockBefore = stage.victimClock()
    attacker.sendUpdate(mixed)
    await attacker.roundTrip() // not closed: an honest relay looks the same
    expect(stage.victimClock()).toBe(clockBefore)
    // Its deletion of the target's old value goes with the forged write; its own record lands.
    expect(getRecord(getRecordsMap(stage.serverDoc()), TARGET)).toEqual(
      getRecord(getRecordsMap(facilitator.doc), TARGET),
    )
    expect(getRecordsMap(stage.serverDoc()).has('shape:attacker')).toBe(true)
    expect(attacker.closeInfo).toBeNull()
    await attacker.close()
    await stage.verify()
  })

  it('is stripped for a legacy id too: one held by the server with no owner is nobody’s', async () => {
    stage = await stageIdentityAttack()
    const attacker = await stage.attacker()
    // The server's own first document (the north star, the root layer) has no owner.
    const serverIds = [...stage.serverDoc().store.clients.keys()].filter((id) => id !== stage?.victim)
    expect(serverIds.length).toBeGreaterThan(0)
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(stage.facilitator.doc))
    forged.clientID = serverIds[0]
    const before = Y.encodeStateVector(forged)
    putRecords(forged, [{ ...shapeRecord(TARGET), x: 777 }])
    const clockBefore = Y.getState(stage.serverDoc().store, serverIds[0])
    attacker.sendUpdate(Y.encodeStateAsUpdate(forged, before))
    await attacker.roundTrip()
    expect(Y.getState(stage.serverDoc().store, serverIds[0])).toBe(clockBefore)
    await attacker.close()
    await stage.verify()
  })
})
