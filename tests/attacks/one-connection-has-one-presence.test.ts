/**
 * One awareness client id per connection: the first one it sets. A connection that sets a
 * second id is closed with `PresenceNotOwn`; a frame naming more ids than the room knows
 * (hundreds of thousands of fresh states in one go) is refused before any is read. What the
 * server keeps of presence stays bounded by the connections it has.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { type CraftedEntry, craftedAwarenessFrame, presenceScene, stateOf } from '../helpers/presence.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a connection', () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Presence')
  })

  afterEach(async () => {
    await server.stop()
  })

  const awarenessSize = () => server.server.rooms.get(board.id).awareness.meta.size

  it('is closed when it sets a presence under a second client id', async () => {
    const scene = await presenceScene(server, board)
    const { client: attacker, view } = await scene.freshPeer()
    attacker.sendRaw(craftedAwarenessFrame([{ id: 1001, clock: 1, state: { user: { name: 'one' } } }]))
    await waitFor(() => stateOf(view, 1001), { message: 'the first presence to be accepted' })
    attacker.sendRaw(craftedAwarenessFrame([{ id: 1002, clock: 1, state: { user: { name: 'two' } } }]))
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceNotOwn)
    const { view: fresh } = await scene.freshPeer()
    await scene.facilitator.provider.awareness.setLocalStateField('user', { name: 'Sanne' })
    await waitFor(() => fresh.getStates().size >= 2, { message: 'the honest presences' })
    expect(fresh.getStates().has(1002)).toBe(false)
    await scene.check()
  })

  it('is closed when one frame sets many fresh client ids, and none of them is kept', async () => {
    // Built before the canary starts: the test shares its event loop with the server.
    const entries: CraftedEntry[] = []
    for (let i = 0; i < 200_000; i++) entries.push({ id: 5_000_000 + i, clock: 1, state: { n: i } })
    const frame = craftedAwarenessFrame(entries)
    const scene = await presenceScene(server, board)
    const { client: attacker } = await scene.freshPeer()
    const before = awarenessSize()
    attacker.sendRaw(frame)
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceNotOwn)
    expect(awarenessSize()).toBe(before)
    await scene.check()
  })

  it('cannot add ids a few at a time either', async () => {
    const scene = await presenceScene(server, board)
    const { client: attacker } = await scene.freshPeer()
    const before = awarenessSize()
    attacker.sendRaw(
      craftedAwarenessFrame([
        { id: 7001, clock: 1, state: { n: 1 } },
        { id: 7002, clock: 1, state: { n: 2 } },
        { id: 7003, clock: 1, state: { n: 3 } },
      ]),
    )
    expect((await attacker.waitForClose()).code).toBe(CloseCode.PresenceNotOwn)
    expect(awarenessSize()).toBe(before)
    await scene.check()
  })
})
