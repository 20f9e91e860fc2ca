/**
 * Unit tests of the presence gate (`presence.ts`) on a real Awareness and object-literal
 * connections, with a clock of the test's own: a departed id is remembered for the grace
 * and then pruned; y-websocket's echoes never count; the same browser may take its id over.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { readStamp } from '../../shared/presence.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { DEFAULT_LIMITS } from './limits.ts'
import { DEPARTED_GRACE_MS, type PresenceConnection, RoomPresence } from './presence.ts'
import type { Connection } from './room.ts'

function entry(id: number, clock: number, state: unknown): Uint8Array {
  const scratch = new awarenessProtocol.Awareness(new Y.Doc())
  scratch.meta.set(id, { clock, lastUpdated: 0 })
  const states = new Map<number, Record<string, unknown>>()
  if (state !== null) states.set(id, state as Record<string, unknown>)
  const update = awarenessProtocol.encodeAwarenessUpdate(scratch, [id], states)
  scratch.destroy()
  return update
}

function connection(role: Role, secretHash: string): PresenceConnection {
  return {
    socket: { send() {}, close() {} },
    role,
    layerId: null,
    tokenHash: `token-${role}`,
    secretHash,
    awarenessIds: new Set(),
    open: true,
  } as unknown as Connection
}

describe('RoomPresence', () => {
  let awareness: awarenessProtocol.Awareness
  let now: number
  let presence: RoomPresence

  beforeEach(() => {
    vi.useFakeTimers()
    now = 0
    awareness = new awarenessProtocol.Awareness(new Y.Doc())
    awareness.setLocalState(null)
    presence = new RoomPresence(awareness, DEFAULT_LIMITS, () => now)
  })

  afterEach(() => {
    presence.destroy()
    awareness.destroy()
    vi.useRealTimers()
  })

  it('stamps the state with the role of the connection', () => {
    const sanne = connection('participant', 'a')
    expect(presence.receive(sanne, entry(10, 1, { user: { role: 'facilitator' } }))).toBeNull()
    expect(readStamp(awareness.getStates().get(10))).toEqual({ role: 'participant', layerId: null })
    expect(awareness.getStates().get(10)?.user).toEqual({ role: 'participant' })
  })

  it('keeps a departed id’s clock for the grace, so a late echo is a no-op, then prunes it', () => {
    const sanne = connection('facilitator', 'a')
    const joost = connection('participant', 'b')
    presence.receive(sanne, entry(10, 3, { user: {} }))
    presence.receive(joost, entry(20, 1, { user: {} }))
    awarenessProtocol.removeAwarenessStates(awareness, [10], null)
    presence.release(sanne)
    // Joost's echo of Sanne's last state arrives after she left: nothing, and he stays.
    expect(presence.receive(joost, entry(10, 3, { user: {} }))).toBeNull()
    expect(awareness.getStates().has(10)).toBe(false)
    now = DEPARTED_GRACE_MS
    vi.advanceTimersByTime(DEPARTED_GRACE_MS)
    expect(awareness.meta.has(10)).toBe(false)
    expect(presence.trackedIds).toBe(1)
  })

  it('lets the same browser take over its id from a socket not yet known to be dead', () => {
    const old = connection('participant', 'same')
    const fresh = connection('participant', 'same')
    presence.receive(old, entry(10, 1, { n: 1 }))
    old.awarenessIds.add(10)
    expect(presence.receive(fresh, entry(10, 2, { n: 2 }))).toBeNull()
    expect(old.awarenessIds.has(10)).toBe(false)
    expect(awareness.getStates().get(10)).toMatchObject({ n: 2 })
    // The old socket, when it finally goes, takes nothing with it.
    presence.release(old)
    expect(presence.receive(fresh, entry(10, 3, { n: 3 }))).toBeNull()
  })

  it('refuses another browser taking the id over', () => {
    const owner = connection('facilitator', 'a')
    const other = connection('participant', 'b')
    presence.receive(owner, entry(10, 1, { n: 1 }))
    expect(presence.receive(other, entry(10, 2, { n: 2 }))?.code).toBe(CloseCode.PresenceNotOwn)
    expect(awareness.getStates().get(10)).toMatchObject({ n: 1 })
  })

  it('never counts echoes against the pace', () => {
    const owner = connection('facilitator', 'a')
    const echoer = connection('participant', 'b')
    presence.receive(owner, entry(10, 1, { n: 1 }))
    const echo = entry(10, 1, { n: 1 })
    for (let i = 0; i < 10 * DEFAULT_LIMITS.presenceUpdatesPerSecond; i++) {
      expect(presence.receive(echoer, echo)).toBeNull()
    }
    expect(presence.receive(echoer, entry(20, 1, { n: 1 }))).toBeNull()
  })
})
