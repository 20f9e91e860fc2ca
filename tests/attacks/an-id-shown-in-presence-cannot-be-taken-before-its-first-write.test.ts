/**
 * Identity, before the first write: a page announces its Yjs client id in its presence the
 * moment it connects (y-websocket's awareness id is the doc's client id), so everyone on the
 * board can read it off a cursor before that person has drawn anything. An attacker who
 * writes under it first must not become its owner, or every edit the person makes later
 * would be stripped as "someone else's". The server reserves an announced id for the
 * announcing browser, and stores the reservation: it holds after a restart too.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { CANARY_BOUND_MS } from '../helpers/canary.ts'
import { type IdentityStage, stageIdentityAttack } from '../helpers/identity-attack.ts'
import { craftedAwarenessFrame } from '../helpers/presence.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('an id shown in presence, not yet written under', () => {
  let stage: IdentityStage | undefined

  afterEach(async () => {
    await stage?.server.stop()
    stage = undefined
  })

  /** Writes `id` as the attacker, under `clientId`, from a copy of what `from` has. */
  function forgedUnder(from: Y.Doc, clientId: number, id: string): Uint8Array {
    const forged = new Y.Doc()
    Y.applyUpdate(forged, Y.encodeStateAsUpdate(from))
    forged.clientID = clientId
    const before = Y.encodeStateVector(forged)
    putRecords(forged, [{ ...shapeRecord(id), x: 666 }])
    return Y.encodeStateAsUpdate(forged, before)
  }

  it('stays the announcing browser’s: the attacker’s write is stripped, the person’s first edits land, after a restart too', async () => {
    stage = await stageIdentityAttack()
    const { board, server } = stage
    // Kim opens the board and is seen (her presence), but has drawn nothing yet.
    const kim = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
    await kim.waitForSync()
    const kimId = kim.doc.clientID
    kim.sendRaw(craftedAwarenessFrame([{ id: kimId, clock: 1, state: { user: { name: 'Kim' } } }]))
    await kim.roundTrip()

    // The attacker read Kim's id off her cursor and writes under it first.
    const attacker = await stage.attacker()
    attacker.sendUpdate(forgedUnder(attacker.doc, kimId, 'shape:as-kim'))
    await attacker.roundTrip()
    expect(Y.getState(stage.serverDoc().store, kimId)).toBe(0)
    expect(getRecordsMap(stage.serverDoc()).has('shape:as-kim')).toBe(false)

    // Kim's own first edit lands, under her id.
    putRecords(kim.doc, [{ ...shapeRecord('shape:kims-first'), x: 10 }])
    await kim.roundTrip()
    expect(getRecordsMap(stage.serverDoc()).has('shape:kims-first')).toBe(true)
    expect(kim.closeInfo).toBeNull()
    await attacker.close()

    // The same race after a restart, with a page that announced itself and left.
    const lee = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
    await lee.waitForSync()
    const leeId = lee.doc.clientID
    lee.sendRaw(craftedAwarenessFrame([{ id: leeId, clock: 1, state: { user: { name: 'Lee' } } }]))
    await lee.roundTrip()
    await lee.close()
    await kim.close()
    await stage.facilitator.close()
    await stage.participant.close()
    expect((await stage.canary.stop()).maxMs).toBeLessThan(CANARY_BOUND_MS)
    await server.restart()
    const after = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant, {
      sendLocalUpdates: false,
      answerSyncStep1: false,
    })
    await after.waitForSync()
    after.sendUpdate(forgedUnder(after.doc, leeId, 'shape:as-lee'))
    await after.roundTrip()
    const watcher = await RawClient.connect(server.wsUrl, board.id, board.tokens.display)
    await watcher.waitForSync()
    expect(getRecordsMap(watcher.doc).has('shape:as-lee')).toBe(false)
    expect(getRecordsMap(watcher.doc).has('shape:kims-first')).toBe(true)
    await waitFor(() => after.closeInfo === null, { message: 'the attacker to stay connected (stripped, not closed)' })
    await after.close()
    await watcher.close()
  })
})
