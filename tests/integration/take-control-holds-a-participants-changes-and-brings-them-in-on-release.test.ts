/**
 * Take control (`meta.control`) is enforced by the server: while a facilitator holds it, a
 * participant's document changes are not applied, forwarded nor stored. But an honest
 * participant never loses work: a change made just before control was taken (it arrives
 * after) and one made during it are held — the participant stays connected and keeps them —
 * and the server asks for them once control is released, then applies and stores them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { META_CONTROL_KEY } from '../../shared/control.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import { MessageType, SyncStep } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { localChange, setMeta } from '../helpers/signals.ts'
import { waitFor } from '../helpers/wait.ts'

describe('take control', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Sessie')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  async function connect(token: string, options?: Parameters<typeof RawClient.connect>[3]): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, token, options)
    clients.push(client)
    await client.waitForSync()
    return client
  }

  const control = { by: 'Sanne', leaderId: 'user:sanne', since: Date.now() }

  it('holds a participant’s changes while it is on, and applies them, none lost, once it is released', async () => {
    const facilitator = await connect(board.tokens.facilitator)
    const participant = await connect(board.tokens.participant, { sendLocalUpdates: false })
    const watcher = await connect(board.tokens.participant, { sendLocalUpdates: false })

    // Drawn before control is taken, but on its way (the race): sent only after.
    const before = localChange(participant.doc, () => putRecords(participant.doc, [shapeRecord('shape:before')]))
    setMeta(facilitator, META_CONTROL_KEY, control)
    await facilitator.roundTrip()
    await waitFor(() => watcher.doc.getMap('meta').get(META_CONTROL_KEY), { message: 'the watcher to see control' })

    participant.sendUpdate(before)
    // Drawn during control (a page that has not seen it yet, or a client that ignores it).
    participant.sendUpdate(
      localChange(participant.doc, () => putRecords(participant.doc, [shapeRecord('shape:during')])),
    )
    await participant.roundTrip()

    // Refused where it counts: not applied, not forwarded, not stored; the participant stays.
    expect(participant.closeInfo).toBeNull()
    await watcher.roundTrip()
    expect(Object.keys(recordsSnapshot(watcher.doc))).not.toContain('shape:before')
    expect(Object.keys(recordsSnapshot(watcher.doc))).not.toContain('shape:during')
    const room = server.server.rooms.get(board.id)
    expect(room && getRecordsMap(room.doc).has('shape:before')).toBe(false)
    // And kept where it was made.
    expect(getRecordsMap(participant.doc).has('shape:before')).toBe(true)

    // The facilitator's own changes go through meanwhile.
    putRecords(facilitator.doc, [shapeRecord('shape:facilitator')])
    await facilitator.roundTrip()
    await waitFor(() => getRecordsMap(watcher.doc).has('shape:facilitator'), { message: 'the facilitator’s change' })

    // Release: the server asks the held participant for what it has, which it answers.
    const framesBefore = participant.frames.length
    setMeta(facilitator, META_CONTROL_KEY, undefined)
    await waitFor(
      () =>
        participant.frames
          .slice(framesBefore)
          .some((frame) => frame.type === MessageType.Sync && frame.step === SyncStep.Step1),
      { message: 'the server to ask the held participant for its changes' },
    )
    await waitFor(
      () => getRecordsMap(watcher.doc).has('shape:before') && getRecordsMap(watcher.doc).has('shape:during'),
      {
        message: 'the held changes to reach the watcher',
      },
    )
    expect(participant.closeInfo).toBeNull()

    await server.restart()
    const after = await connect(board.tokens.display)
    expect(Object.keys(recordsSnapshot(after.doc))).toEqual(
      expect.arrayContaining(['shape:before', 'shape:during', 'shape:facilitator']),
    )
  })

  it('a participant who reconnects while control is on brings its offline work in after the release', async () => {
    const facilitator = await connect(board.tokens.facilitator)
    setMeta(facilitator, META_CONTROL_KEY, control)
    await facilitator.roundTrip()

    // Drawn offline, then reconnecting: its SyncStep2 carries the work, and is held.
    const offline = await connect(board.tokens.participant, { sendLocalUpdates: false })
    const doc = offline.doc
    await offline.close()
    putRecords(doc, [shapeRecord('shape:offline')])
    const back = await connect(board.tokens.participant, { doc })
    await back.roundTrip()
    const room = server.server.rooms.get(board.id)
    expect(room && getRecordsMap(room.doc).has('shape:offline')).toBe(false)
    expect(back.closeInfo).toBeNull()

    setMeta(facilitator, META_CONTROL_KEY, undefined)
    await waitFor(() => getRecordsMap(facilitator.doc).has('shape:offline'), {
      message: 'the offline work to arrive after the release',
    })
  })
})
