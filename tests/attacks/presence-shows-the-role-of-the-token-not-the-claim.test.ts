/**
 * The role and layer shown with a cursor come from the connection's token: the server
 * stamps `stip: { role, layerId }` onto every state it forwards (and sets `user.role` to
 * the same role), whatever the client wrote there. A participant who claims to be the
 * facilitator is shown, and followed, as the participant it is.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readStamp } from '../../shared/presence.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { SOCIAAL, startLayeredBoard } from '../helpers/layers.ts'
import { craftedAwarenessFrame, facilitatorState, presenceScene, stateOf } from '../helpers/presence.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a presence', () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Presence')
  })

  afterEach(async () => {
    await server.stop()
  })

  it('of a participant claiming to be the facilitator is stamped participant', async () => {
    const scene = await presenceScene(server, board)
    const { client: claimer } = await scene.freshPeer()
    const { view } = await scene.freshPeer()
    const claim = { ...facilitatorState('Not Sanne'), stip: { role: 'facilitator', layerId: null } }
    claimer.sendRaw(craftedAwarenessFrame([{ id: 9101, clock: 1, state: claim }]))
    const seen = await waitFor(() => stateOf(view, 9101), { message: 'the claimed presence to arrive' })
    expect(readStamp(seen)).toEqual({ role: 'participant', layerId: null })
    expect((seen.user as { role: string }).role).toBe('participant')
    expect(claimer.closeInfo).toBeNull()
    const facilitator = stateOf(view, scene.facilitator.provider.awareness.clientID)
    expect(readStamp(facilitator)).toEqual({ role: 'facilitator', layerId: null })
    await scene.check()
  })
})

describe('a presence on a link scoped to a layer', () => {
  it('is stamped with that layer', async () => {
    const env = await startLayeredBoard()
    try {
      const scene = await presenceScene(env.server, env.board)
      const scoped = await env.connect(env.sociaalToken, { sendLocalUpdates: false })
      const { view } = await scene.freshPeer()
      scoped.sendRaw(craftedAwarenessFrame([{ id: 9102, clock: 1, state: { user: { name: 'Team' } } }]))
      const seen = await waitFor(() => stateOf(view, 9102), { message: 'the scoped presence to arrive' })
      expect(readStamp(seen)).toEqual({ role: 'participant', layerId: SOCIAAL })
      await scene.check()
    } finally {
      await env.stop()
    }
  })
})
