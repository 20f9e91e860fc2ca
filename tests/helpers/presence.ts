/**
 * Presence for the attack tests: awareness frames built with y-protocols' own encoder but
 * with any client id, clock and state a test likes (what a crafted client can send), a
 * watcher's view of the room's awareness (what a fresh peer would show), and the honest
 * scene every presence attack runs in (`presenceScene`).
 */
import { expect } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { awarenessFrame, MessageType } from '../../shared/protocol.ts'
import type { TestBoard } from './api.ts'
import { CANARY_BOUND_MS, startCanary } from './canary.ts'
import { connectProvider, type ProviderClient } from './provider.ts'
import { RawClient } from './raw-client.ts'
import type { TestServer } from './server.ts'
import { waitFor } from './wait.ts'

/** One awareness entry as a crafted client writes it; `state: null` removes. */
export interface CraftedEntry {
  id: number
  clock: number
  state: unknown
}

/** An Awareness frame with exactly these entries, encoded by y-protocols. */
export function craftedAwarenessFrame(entries: readonly CraftedEntry[]): Uint8Array {
  const scratch = new awarenessProtocol.Awareness(new Y.Doc())
  const states = new Map<number, unknown>()
  for (const { id, clock, state } of entries) {
    scratch.meta.set(id, { clock, lastUpdated: 0 })
    if (state !== null) states.set(id, state)
  }
  const update = awarenessProtocol.encodeAwarenessUpdate(
    scratch,
    entries.map((entry) => entry.id),
    states as Map<number, Record<string, unknown>>,
  )
  scratch.destroy()
  return awarenessFrame(update)
}

/**
 * What `client` has been told about everyone's presence: a local Awareness fed with every
 * Awareness frame the server sent it (including those received before this call).
 */
export function watchAwareness(client: RawClient): awarenessProtocol.Awareness {
  const view = new awarenessProtocol.Awareness(new Y.Doc())
  view.setLocalState(null)
  const apply = (type: number, payload: Uint8Array | undefined) => {
    if (type === MessageType.Awareness && payload) awarenessProtocol.applyAwarenessUpdate(view, payload, 'server')
  }
  for (const frame of client.frames) apply(frame.type, frame.payload)
  client.onFrame((frame) => apply(frame.type, frame.payload))
  return view
}

/** The state `view` holds for `id`, as plain data. */
export function stateOf(view: awarenessProtocol.Awareness, id: number): Record<string, unknown> | undefined {
  return view.getStates().get(id) as Record<string, unknown> | undefined
}

/** The server's clock for `id` as `view` saw it last. */
export function clockOf(view: awarenessProtocol.Awareness, id: number): number {
  return view.meta.get(id)?.clock ?? 0
}

/** A facilitator's presence as the Stip client sends it (tldraw presence abridged). */
export function facilitatorState(name: string, x = 0): Record<string, unknown> {
  return {
    user: { id: `browser-${name}`, name, color: '#1f77b4', role: 'facilitator' },
    presence: { camera: { x, y: 0, z: 1 }, screenBounds: { x: 0, y: 0, w: 1280, h: 800 }, lastActivityTimestamp: 1 },
  }
}

/**
 * The honest side of every presence attack test: a facilitator and a participant on real
 * y-websocket providers (which echo every state they see, as browsers do), with their
 * presence set, and a canary. `check` asserts what every attack test asserts afterwards:
 * a fresh peer sees the facilitator's presence as the facilitator set it; a later change
 * of it still reaches that peer; neither honest provider was ever closed; the server
 * answered the canary within its bound throughout.
 */
export interface PresenceScene {
  facilitator: ProviderClient
  participant: ProviderClient
  /** A fresh raw peer, synced, watching awareness. */
  freshPeer(): Promise<{ client: RawClient; view: awarenessProtocol.Awareness }>
  check(): Promise<void>
}

export async function presenceScene(server: TestServer, board: TestBoard): Promise<PresenceScene> {
  const canary = await startCanary(server.wsUrl, board.id, board.tokens.participant)
  const facilitator = await connectProvider(server.wsUrl, board.id, board.tokens.facilitator)
  const participant = await connectProvider(server.wsUrl, board.id, board.tokens.participant)
  facilitator.provider.awareness.setLocalState(facilitatorState('Sanne'))
  participant.provider.awareness.setLocalState({ user: { id: 'browser-joost', name: 'Joost', role: 'participant' } })
  const opened: RawClient[] = []
  const freshPeer = async () => {
    const client = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant, {
      sendLocalUpdates: false,
    })
    opened.push(client)
    await client.waitForSync()
    const view = watchAwareness(client)
    return { client, view }
  }
  const sees = (view: awarenessProtocol.Awareness, name: string) => {
    const user = stateOf(view, facilitator.provider.awareness.clientID)?.user as { name?: string } | undefined
    return user?.name === name
  }
  // Both honest peers are present before the attack starts.
  const before = await freshPeer()
  await waitFor(
    () => sees(before.view, 'Sanne') && before.view.getStates().has(participant.provider.awareness.clientID),
    {
      message: 'the honest presences to arrive',
    },
  )
  return {
    facilitator,
    participant,
    freshPeer,
    async check() {
      try {
        const late = await freshPeer()
        await waitFor(() => sees(late.view, 'Sanne'), { message: "a fresh peer to see the facilitator's own presence" })
        expect(late.view.getStates().has(participant.provider.awareness.clientID)).toBe(true)
        facilitator.provider.awareness.setLocalState(facilitatorState('Sanne later', 100))
        await waitFor(() => sees(late.view, 'Sanne later'), { message: "the facilitator's later presence to arrive" })
        expect(facilitator.closeCodes).toEqual([])
        expect(participant.closeCodes).toEqual([])
      } finally {
        const { maxMs } = await canary.stop()
        for (const client of opened) await client.close()
        facilitator.destroy()
        participant.destroy()
        expect(maxMs).toBeLessThan(CANARY_BOUND_MS)
      }
    },
  }
}
