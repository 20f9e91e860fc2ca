/**
 * The facilitator's tools are the facilitator's: a participant who writes the timer,
 * take-control, the spotlight or a voting round (open, close, change) into the document is
 * refused by the gate (4403) and nothing of it is applied; one who sends a facilitator's
 * signal (bring, follow, close a round) is closed with `SignalForbidden`. The role is the
 * token's, whatever the client says. A facilitator's settings are validated too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { META_CONTROL_KEY } from '../../shared/control.ts'
import { getMetaMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { META_SPOTLIGHT_KEY } from '../../shared/spotlight.ts'
import { META_TIMER_KEY, startTimer } from '../../shared/timer.ts'
import { META_VOTING_KEY } from '../../shared/voting.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { openRound, sendSignal, setMeta } from '../helpers/signals.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a participant and the facilitator’s tools', () => {
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

  async function connect(token: string): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, token)
    clients.push(client)
    await client.waitForSync()
    return client
  }

  const settings: [string, unknown][] = [
    [META_TIMER_KEY, startTimer(600_000, Date.now())],
    [META_CONTROL_KEY, { by: 'Iemand', leaderId: 'user:iemand', since: Date.now() }],
    [META_SPOTLIGHT_KEY, 'layer:root'],
    [META_VOTING_KEY, openRound()],
  ]

  it.each(settings)('cannot set %s', async (key, value) => {
    const participant = await connect(board.tokens.participant)
    setMeta(participant, key, value)
    expect((await participant.waitForClose()).code).toBe(CloseCode.Forbidden)
    const room = server.server.rooms.get(board.id)
    expect(room && getMetaMap(room.doc).get(key)).toBeUndefined()
  })

  it.each(settings)('cannot change or clear %s once a facilitator set it', async (key, value) => {
    const facilitator = await connect(board.tokens.facilitator)
    setMeta(facilitator, key, value)
    await facilitator.roundTrip()
    const participant = await connect(board.tokens.participant)
    expect(getMetaMap(participant.doc).get(key)).toEqual(value)
    if (key === META_VOTING_KEY) setMeta(participant, key, { ...(value as object), open: false })
    else setMeta(participant, key, undefined)
    if (key === META_CONTROL_KEY) {
      // While control is on, a participant's change is held instead (take control's rule):
      // kept out of the board all the same.
      await participant.roundTrip()
    } else {
      expect((await participant.waitForClose()).code).toBe(CloseCode.Forbidden)
    }
    const room = server.server.rooms.get(board.id)
    expect(room && getMetaMap(room.doc).get(key)).toEqual(value)
  })

  it.each([
    { kind: 'bring', userId: 'user:x' },
    { kind: 'follow', userId: 'user:x' },
    { kind: 'close-round' },
  ] as const)('cannot send $kind', async (signal) => {
    const facilitator = await connect(board.tokens.facilitator)
    setMeta(facilitator, META_VOTING_KEY, openRound())
    await facilitator.roundTrip()
    const participant = await connect(board.tokens.participant)
    const framesBefore = facilitator.frames.length
    sendSignal(participant, signal)
    expect((await participant.waitForClose()).code).toBe(CloseCode.SignalForbidden)
    await facilitator.roundTrip()
    expect(facilitator.frames.slice(framesBefore).some((frame) => frame.type === -1)).toBe(false) // nothing relayed
    expect(getMetaMap(facilitator.doc).get(META_VOTING_KEY)).toMatchObject({ open: true })
  })

  it('a facilitator’s settings are checked too: a timer past 99:59 or 21 votes each is refused', async () => {
    const facilitator = await connect(board.tokens.facilitator)
    setMeta(facilitator, META_TIMER_KEY, {
      durationMs: 100 * 60_000,
      endsAt: Date.now(),
      pausedRemainingMs: null,
      sound: false,
    })
    expect((await facilitator.waitForClose()).code).toBe(CloseCode.InvalidRecord)
    const again = await connect(board.tokens.facilitator)
    setMeta(again, META_VOTING_KEY, { ...openRound(), votesPerPerson: 21 })
    expect((await again.waitForClose()).code).toBe(CloseCode.InvalidRecord)
    await waitFor(() => server.server.rooms.get(board.id), { message: 'the room' })
    const room = server.server.rooms.get(board.id)
    expect(room && getMetaMap(room.doc).get(META_VOTING_KEY)).toBeUndefined()
  })
})
