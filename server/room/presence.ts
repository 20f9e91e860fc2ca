/**
 * Presence: the gate for awareness updates (cursors, names, who is here). The room hands
 * every Awareness frame to `RoomPresence.receive` instead of applying it as y-protocols
 * would, because y-protocols lets any connection set or remove any client id's state, any
 * number of them, any size. The rules, in the order they are checked:
 *
 * 1. A frame names at most as many client ids as the room knows (plus a little): an honest
 *    client only ever echoes what the server sent it [1].
 * 2. Entries that would change nothing (an older or equal clock) are skipped unread: they
 *    are y-websocket's echoes of other people's states [1].
 * 3. One awareness client id per connection: the first one it sets. An honest client has
 *    exactly one (y-websocket's awareness keeps the doc's first clientID for its whole life,
 *    even when Yjs later picks a new doc clientID [2]). A second id is refused
 *    (`PresenceNotOwn`).
 * 4. A connection sets or removes only its own state. Another connection's is refused
 *    (`PresenceNotOwn`) — except a removal at the clock the server holds (a client that
 *    timed the person out itself [1], skipped) and a take-over by the same browser (same
 *    secret): its new socket while the old one is not yet known to be dead.
 * 5. Its own state is at most `presenceStateBytes` of JSON (`PresenceTooLarge`), a JSON
 *    object nested at most `PRESENCE_MAX_DEPTH` deep, and it changes at most
 *    `presenceUpdatesPerSecond` times a second, twice that in a burst (`PresenceTooFast`).
 * 6. The server stamps it (`shared/presence.ts`): `stip: { role, layerId }` from the
 *    connection's token, overriding whatever the client claimed, then applies it.
 * 7. When a connection leaves, the room removes its state and `release` forgets its id;
 *    the id's awareness meta (its last clock) is kept `DEPARTED_GRACE_MS` so that late
 *    echoes are still recognised as no-ops, then pruned, so nothing of it stays.
 *
 * [1] y-websocket's provider sends every awareness change it sees, whatever its origin, so
 *     each client sends back the states the server sent it, with the same clocks. Its own
 *     30 s timeout removes a silent peer and sends that removal too.
 * [2] `new Awareness(doc)` copies `doc.clientID` once; y-websocket's local updates use
 *     `awareness.clientID`. A reconnect of the same provider keeps the id; a reload is a new
 *     connection with a new id.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { nestingDepth, PRESENCE_MAX_DEPTH, stampPresence } from '../../shared/presence.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { LogFields } from '../log.ts'
import { type RoomLimits, TokenBucket } from './limits.ts'
import { fromConnection } from './origins.ts'
import type { Connection } from './room.ts'

/**
 * A connection as presence sees it: its role and layer are stamped; the hash of its
 * browser's secret lets the same browser take over its own id.
 */
export type PresenceConnection = Connection & { readonly secretHash?: string }

/** Why an awareness frame closes its connection; null when it was taken (or skipped). */
export type PresenceRefusal = { readonly code: CloseCode; readonly log: string; readonly fields: LogFields } | null

/** How long a departed id's last clock is remembered: longer than any echo is late. */
export const DEPARTED_GRACE_MS = 60_000

/** Departed ids remembered at most, however fast connections come and go. */
const MAX_DEPARTED = 10_000

/** Ids a frame may name beyond those the room knows: echoes race with departures. */
const ENTRY_SLACK = 64

/** `"null"`, y-protocols' encoding of a removed state. */
const NULL_STATE = new TextEncoder().encode('null')
/** Reads a state's JSON; one for every frame, refusing bytes that are not UTF-8. */
const UTF8 = new TextDecoder('utf-8', { fatal: true })

interface OwnState {
  /** The awareness client id this connection set first; null until it sets one. */
  id: number | null
  /** `presenceUpdatesPerSecond`, twice that in a burst. */
  updates: TokenBucket
}

export class RoomPresence {
  /** Which connection owns each client id. */
  private readonly owners = new Map<number, PresenceConnection>()
  private readonly own = new WeakMap<PresenceConnection, OwnState>()
  /** Ids whose connection left, with when, oldest first; their meta is pruned after the grace. */
  private readonly departed = new Map<number, number>()
  private sweepTimer: ReturnType<typeof setTimeout> | null = null

  /** Called when a connection's own awareness id is first taken (see `identity.ts`). */
  onOwnId: ((connection: PresenceConnection, id: number) => void) | null = null

  constructor(
    private readonly awareness: awarenessProtocol.Awareness,
    private readonly limits: Pick<RoomLimits, 'presenceStateBytes' | 'presenceUpdatesPerSecond'>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Judges one awareness update from `connection` and applies what it may change: at most
   * its own state, stamped. Throws on a payload that does not decode (the room closes the
   * connection as malformed); returns a refusal for one that breaks a rule above.
   */
  receive(connection: PresenceConnection, update: Uint8Array): PresenceRefusal {
    const { awareness } = this
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    const known = awareness.meta.size + ENTRY_SLACK
    if (count > known) return refuse(CloseCode.PresenceNotOwn, 'presence frame names too many ids', { count, known })
    const mine = this.stateOf(connection)
    let own: { id: number; clock: number; state: Uint8Array; takeOver: PresenceConnection | null } | null = null
    for (let i = 0; i < count; i++) {
      const id = decoding.readVarUint(decoder)
      const clock = decoding.readVarUint(decoder)
      const state = decoding.readVarUint8Array(decoder) // the JSON, left unread unless it is ours
      const isNull = equalBytes(state, NULL_STATE)
      const current = awareness.meta.get(id)?.clock ?? 0
      const changes = current < clock || (current === clock && isNull && awareness.states.has(id))
      if (!changes) continue // an echo, or a state the server has already
      if (id === mine.id) {
        own = { id, clock, state, takeOver: null }
        continue
      }
      if (id === awareness.clientID) continue // the server's own, never anyone's
      const owner = this.owners.get(id)
      if (owner && owner !== connection) {
        if (isNull && current === clock) continue // a client timed this person out itself [1]
        if (mine.id === null && own === null && sameBrowser(owner, connection)) {
          own = { id, clock, state, takeOver: owner }
          continue
        }
        return refuse(CloseCode.PresenceNotOwn, "presence would change another connection's", { id })
      }
      if (isNull) continue // removing what nobody holds changes nothing
      if (mine.id !== null || (own !== null && own.id !== id)) {
        return refuse(CloseCode.PresenceNotOwn, 'presence under a second client id', { id, own: mine.id ?? own?.id })
      }
      own = { id, clock, state, takeOver: null }
    }
    if (!own) return null
    if (!mine.updates.take()) {
      return refuse(CloseCode.PresenceTooFast, 'presence updates too fast', {
        perSecond: this.limits.presenceUpdatesPerSecond,
      })
    }
    let json = 'null'
    if (!equalBytes(own.state, NULL_STATE)) {
      if (own.state.length > this.limits.presenceStateBytes) {
        return refuse(CloseCode.PresenceTooLarge, 'presence state too large', {
          bytes: own.state.length,
          limit: this.limits.presenceStateBytes,
        })
      }
      const parsed: unknown = JSON.parse(UTF8.decode(own.state))
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new Error('an awareness state must be a JSON object or null')
      }
      const depth = nestingDepth(parsed)
      if (depth > PRESENCE_MAX_DEPTH) {
        return refuse(CloseCode.PresenceTooLarge, 'presence state nested too deep', { depth })
      }
      json = JSON.stringify(stampPresence(parsed as Record<string, unknown>, connection))
    }
    if (own.takeOver) {
      // The same browser's new socket: the old one is dead but not yet known to be.
      own.takeOver.awarenessIds.delete(own.id)
      const old = this.own.get(own.takeOver)
      if (old) old.id = null
    }
    const first = mine.id === null
    mine.id = own.id
    this.owners.set(own.id, connection)
    if (first) this.onOwnId?.(connection, own.id)
    this.departed.delete(own.id)
    awarenessProtocol.applyAwarenessUpdate(awareness, encodeEntry(own.id, own.clock, json), fromConnection(connection))
    return null
  }

  /** Forgets a connection that left (after the room removed its states) and schedules its pruning. */
  release(connection: PresenceConnection): void {
    const mine = this.own.get(connection)
    if (mine?.id == null) return
    if (this.owners.get(mine.id) === connection) {
      this.owners.delete(mine.id)
      this.departed.delete(mine.id) // re-inserted last: the map stays oldest first
      this.departed.set(mine.id, this.now())
      while (this.departed.size > MAX_DEPARTED) {
        const [oldest] = this.departed.keys()
        this.prune(oldest)
      }
      this.scheduleSweep()
    }
    mine.id = null
  }

  /** Client ids presence remembers anything of (owned, or departed within the grace). */
  get trackedIds(): number {
    return this.owners.size + this.departed.size
  }

  /** Stops the pruning timer (the room is released). */
  destroy(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer)
    this.sweepTimer = null
  }

  private stateOf(connection: PresenceConnection): OwnState {
    let state = this.own.get(connection)
    if (!state) {
      const rate = this.limits.presenceUpdatesPerSecond
      state = { id: null, updates: new TokenBucket(2 * rate, rate, this.now) }
      this.own.set(connection, state)
    }
    return state
  }

  private scheduleSweep(): void {
    if (this.sweepTimer || this.departed.size === 0) return
    const [oldestAt] = this.departed.values()
    const wait = Math.max(0, oldestAt + DEPARTED_GRACE_MS - this.now())
    this.sweepTimer = setTimeout(() => this.sweep(), wait)
    this.sweepTimer.unref?.()
  }

  private sweep(): void {
    this.sweepTimer = null
    const now = this.now()
    for (const [id, at] of this.departed) {
      if (now - at < DEPARTED_GRACE_MS) break
      this.prune(id)
    }
    this.scheduleSweep()
  }

  /** Drops what the awareness keeps of a departed id, unless someone holds it again. */
  private prune(id: number): void {
    this.departed.delete(id)
    if (this.owners.has(id) || this.awareness.states.has(id)) return
    this.awareness.meta.delete(id)
  }
}

function refuse(code: CloseCode, log: string, fields: LogFields): PresenceRefusal {
  return { code, log, fields }
}

function sameBrowser(a: PresenceConnection, b: PresenceConnection): boolean {
  return a.secretHash !== undefined && a.secretHash === b.secretHash
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** One awareness entry, as y-protocols encodes it, with `json` as the state. */
function encodeEntry(id: number, clock: number, json: string): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, id)
  encoding.writeVarUint(encoder, clock)
  encoding.writeVarString(encoder, json)
  return encoding.toUint8Array(encoder)
}
