/**
 * A connection may change its presence `PRESENCE_MAX_UPDATES_PER_SECOND` times a second,
 * twice that in a burst; a flood beyond that is closed with `PresenceTooFast`. Echoes of
 * other people's states (y-websocket sends back every state it sees) change nothing and
 * are not counted: the honest providers of the scene echo the whole time and stay.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PRESENCE_MAX_UPDATES_PER_SECOND } from '../../shared/presence.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { craftedAwarenessFrame, presenceScene } from '../helpers/presence.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

describe('a presence flood', () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Presence')
  })

  afterEach(async () => {
    await server.stop()
  })

  it('closes its sender with PresenceTooFast and nobody else', async () => {
    // Built before the canary starts: the test shares its event loop with the server.
    const frames: Uint8Array[] = []
    for (let clock = 1; clock <= 20 * PRESENCE_MAX_UPDATES_PER_SECOND; clock++) {
      frames.push(craftedAwarenessFrame([{ id: 9001, clock, state: { user: { name: 'flood' }, clock } }]))
    }
    const scene = await presenceScene(server, board)
    const { client: attacker } = await scene.freshPeer()
    for (const [i, frame] of frames.entries()) {
      if (attacker.closeInfo) break
      attacker.sendRaw(frame)
      if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve))
    }
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceTooFast)
    await scene.check()
  })

  it('of echoes of other people’s states changes nothing and keeps its sender', async () => {
    const scene = await presenceScene(server, board)
    const { client: echoer, view } = await scene.freshPeer()
    const id = scene.facilitator.provider.awareness.clientID
    const clock = view.meta.get(id)?.clock ?? 0
    const echo = craftedAwarenessFrame([{ id, clock, state: view.getStates().get(id) }])
    for (let i = 0; i < 4 * PRESENCE_MAX_UPDATES_PER_SECOND; i++) echoer.sendRaw(echo)
    await echoer.roundTrip()
    expect(echoer.closeInfo).toBeNull()
    await scene.check()
  })
})
