/**
 * After a lost tail, Wim's change builds on Anna's work that the server no longer holds.
 * The server cannot apply it (nothing is ever left pending) and asks Wim for all he has
 * once; he has nothing more it can take. While the board goes on changing — Fien keeps
 * drawing — Wim is not asked again: what he needs can only come with Anna's own clock. Once
 * Anna's browser brings her work back, Wim is asked, answers, and his change lands.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { MessageType, SyncStep } from '../../shared/protocol.ts'
import { createBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a change that builds on work the server lacks', () => {
  let server: TestServer | undefined

  afterEach(async () => {
    await server?.stop()
    server = undefined
  })

  it('is asked for again when that work arrives, not after every change of the board', async () => {
    server = await startTestServer()
    const board = await createBoard(server.url, 'Verloren staart')
    const fien = await RawClient.connect(server.wsUrl, board.id, board.tokens.facilitator)
    await fien.waitForSync()

    // Anna's work, which the server lost (her browser still has it), and Wim's change on top.
    const anna = new Y.Doc()
    Y.applyUpdate(anna, Y.encodeStateAsUpdate(fien.doc))
    const annaBefore = Y.encodeStateVector(anna)
    putRecords(anna, [{ ...shapeRecord('shape:anna'), x: 1 }])
    const annasWork = Y.encodeStateAsUpdate(anna, annaBefore)
    const wimDoc = new Y.Doc()
    Y.applyUpdate(wimDoc, Y.encodeStateAsUpdate(anna))
    const wimBefore = Y.encodeStateVector(wimDoc)
    putRecords(wimDoc, [{ ...shapeRecord('shape:anna'), x: 2 }]) // builds on Anna's value
    const wimsChange = Y.encodeStateAsUpdate(wimDoc, wimBefore)

    const wim = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant, {
      doc: new Y.Doc(),
      answerSyncStep1: false,
      sendLocalUpdates: false,
    })
    await wim.waitForSync()
    const asked = () =>
      wim.frames.filter((frame) => frame.type === MessageType.Sync && frame.step === SyncStep.Step1).length
    const askedAtOpen = asked()
    wim.sendUpdate(wimsChange)
    await wim.roundTrip()
    expect(asked()).toBe(askedAtOpen + 1) // asked once for all he has
    expect(getRecordsMap(fien.doc).has('shape:anna')).toBe(false)

    // The board goes on changing: ten stored batches, and Wim is not asked again.
    for (let i = 0; i < 10; i++) {
      putRecords(fien.doc, [{ ...shapeRecord(`shape:fien-${i}`), x: i }])
      await fien.roundTrip()
    }
    await wim.roundTrip()
    expect(asked()).toBe(askedAtOpen + 1)

    // Anna's browser brings her work back: now Wim is asked, and his change lands.
    const annaClient = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant, {
      doc: anna,
      sendLocalUpdates: false,
      answerSyncStep1: false,
    })
    await annaClient.waitForSync()
    annaClient.sendSyncStep2(annasWork)
    await annaClient.roundTrip()
    await waitFor(() => asked() > askedAtOpen + 1, { message: 'Wim to be asked again once Anna’s work is back' })
    wim.sendSyncStep2(wimsChange)
    await waitFor(() => getRecordsMap(fien.doc).has('shape:anna'), { message: 'the shape to reach Fien' })
    await waitFor(() => (JSON.parse(String(getRecordsMap(fien.doc).get('shape:anna'))) as { x: number }).x === 2, {
      message: 'Wim’s value on top of Anna’s to reach Fien',
    })
    expect(wim.closeInfo).toBeNull()
    await Promise.all([fien.close(), wim.close(), annaClient.close()])
  })
})
