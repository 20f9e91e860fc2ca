/**
 * Presence is the connection's own: a crafted awareness update that sets another person's
 * state (here the facilitator's, to steer the wall display or put words in their name) is
 * refused with `PresenceNotOwn`, whether the attacker already has a presence of its own or
 * tries it as its very first one, and nothing of it reaches anyone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { clockOf, craftedAwarenessFrame, facilitatorState, presenceScene } from '../helpers/presence.ts'
import { RawClient } from '../helpers/raw-client.ts'
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

  it('cannot be replaced by a connection that has a presence of its own', async () => {
    const scene = await presenceScene(server, board)
    const { client: attacker, view } = await scene.freshPeer()
    const victim = scene.facilitator.provider.awareness.clientID
    attacker.sendRaw(craftedAwarenessFrame([{ id: 424242, clock: 1, state: { user: { name: 'Mallory' } } }]))
    attacker.sendRaw(
      craftedAwarenessFrame([
        { id: victim, clock: clockOf(view, victim) + 1, state: facilitatorState('Mallory', 9e6) },
      ]),
    )
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceNotOwn)
    await scene.check()
  })

  it('cannot be taken over as the first presence of a connection from another browser', async () => {
    const scene = await presenceScene(server, board)
    const { view } = await scene.freshPeer()
    const attacker = await RawClient.connect(server.wsUrl, board.id, board.tokens.facilitator)
    await attacker.waitForSync()
    const victim = scene.facilitator.provider.awareness.clientID
    attacker.sendRaw(
      craftedAwarenessFrame([
        { id: victim, clock: clockOf(view, victim) + 100, state: facilitatorState('Mallory', 9e6) },
      ]),
    )
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceNotOwn)
    await scene.check()
  })
})
