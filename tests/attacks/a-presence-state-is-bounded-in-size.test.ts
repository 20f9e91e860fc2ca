/**
 * An awareness state is at most `PRESENCE_MAX_STATE_BYTES` of JSON and nested at most
 * `PRESENCE_MAX_DEPTH` deep: a bigger or deeper one is refused with `PresenceTooLarge`
 * before the server parses it (size) or forwards it (depth), and nobody receives it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PRESENCE_MAX_DEPTH, PRESENCE_MAX_STATE_BYTES } from '../../shared/presence.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { craftedAwarenessFrame, presenceScene } from '../helpers/presence.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

describe('a presence state', () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Presence')
  })

  afterEach(async () => {
    await server.stop()
  })

  it('larger than the limit is refused and reaches nobody', async () => {
    const scene = await presenceScene(server, board)
    const { client: attacker } = await scene.freshPeer()
    const { view } = await scene.freshPeer()
    const name = 'x'.repeat(PRESENCE_MAX_STATE_BYTES)
    attacker.sendRaw(craftedAwarenessFrame([{ id: 8001, clock: 1, state: { user: { name } } }]))
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceTooLarge)
    expect(view.getStates().has(8001)).toBe(false)
    await scene.check()
  })

  it('of megabytes, within one frame, is refused as fast', async () => {
    // Built before the canary starts: the test shares its event loop with the server.
    const frame = craftedAwarenessFrame([
      { id: 8002, clock: 1, state: { user: { name: 'x'.repeat(8 * 1024 * 1024) } } },
    ])
    const scene = await presenceScene(server, board)
    const { client: attacker } = await scene.freshPeer()
    attacker.sendRaw(frame)
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceTooLarge)
    await scene.check()
  })

  it('nested deeper than the limit is refused and reaches nobody', async () => {
    const scene = await presenceScene(server, board)
    const { client: attacker } = await scene.freshPeer()
    const { view } = await scene.freshPeer()
    let deep: unknown = 1
    for (let i = 0; i < PRESENCE_MAX_DEPTH * 4; i++) deep = [deep]
    attacker.sendRaw(craftedAwarenessFrame([{ id: 8003, clock: 1, state: { deep } }]))
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceTooLarge)
    expect(view.getStates().has(8003)).toBe(false)
    await scene.check()
  })
})
