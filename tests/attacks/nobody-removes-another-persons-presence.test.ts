/**
 * A crafted awareness update that removes another person's state (to hide the facilitator
 * from the wall display and the participant list) is refused with `PresenceNotOwn`. A
 * removal at the clock the server holds is what an honest y-websocket client sends when it
 * timed a silent peer out itself: it is skipped, the sender stays, and nothing changes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { clockOf, craftedAwarenessFrame, presenceScene } from '../helpers/presence.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

describe("another person's presence", () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Presence')
  })

  afterEach(async () => {
    await server.stop()
  })

  it('cannot be removed with a newer clock', async () => {
    const scene = await presenceScene(server, board)
    const { client: attacker, view } = await scene.freshPeer()
    const victim = scene.facilitator.provider.awareness.clientID
    attacker.sendRaw(craftedAwarenessFrame([{ id: victim, clock: clockOf(view, victim) + 1, state: null }]))
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceNotOwn)
    await scene.check()
  })

  it('is not removed by a removal at the clock the server holds, and its sender stays', async () => {
    const scene = await presenceScene(server, board)
    const { client: peer, view } = await scene.freshPeer()
    const victim = scene.facilitator.provider.awareness.clientID
    const participant = scene.participant.provider.awareness.clientID
    peer.sendRaw(
      craftedAwarenessFrame([
        { id: victim, clock: clockOf(view, victim), state: null },
        { id: participant, clock: clockOf(view, participant), state: null },
      ]),
    )
    await peer.roundTrip()
    expect(peer.closeInfo).toBeNull()
    await scene.check()
  })
})
