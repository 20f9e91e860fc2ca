/**
 * Presence: who is here and where they point, carried by Yjs awareness and shown by
 * tldraw as `instance_presence` records (live cursors, selections, following).
 *
 * Each awareness state is `{ user, presence }`:
 * - `user` (`PeerInfo`): name, colour, role and browser id — the participant list.
 * - `presence`: our tldraw presence record, derived with `createPresenceStateDerivation`;
 *   null for the wall display, which is not a cursor anyone needs to see.
 *
 * A remote record is stored under `instance_presence:<awareness clientID>`, so when the
 * awareness state goes (socket closed, or 30 s silent) the record goes with it and the
 * cursor disappears.
 *
 * The server stamps every state it forwards with the role (and layer) of the sender's
 * token (`shared/presence.ts`); anyone may write any `user.role` into their own state, so
 * other people's roles are read from that stamp only. Our own state stays within the
 * server's bounds (`fitPresence`: size; `PRESENCE_MIN_INTERVAL_MS`: pace), so the server
 * never closes us for our cursor.
 */
import {
  computed,
  createPresenceStateDerivation,
  createUserId,
  InstancePresenceRecordType,
  react,
  type Signal,
  type TLInstancePresence,
  type TLStore,
  type TLUser,
} from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import {
  PRESENCE_MAX_STATE_BYTES,
  PRESENCE_MIN_INTERVAL_MS,
  presenceStateBytes,
  readStamp,
} from '../../../shared/presence.ts'
import { isRole, type Role } from '../../../shared/roles.ts'

/** What every peer tells the others about itself. */
export interface PeerInfo {
  /** The browser id (tldraw user id without the `user:` prefix). */
  id: string
  name: string
  color: string
  role: Role
}

/** A peer as the participant list shows it. */
export interface Peer extends PeerInfo {
  clientId: number
  isSelf: boolean
}

export interface PresenceOptions {
  store: TLStore
  awareness: Awareness
  /** Our own info; a signal so that a name change reaches everyone. */
  me: Signal<PeerInfo>
  /** False for the display: it announces itself (participant list) but has no cursor. */
  showCursor: boolean
}

/** Starts syncing presence; returns the function that stops it and drops remote cursors. */
export function bindPresence({ store, awareness, me, showCursor }: PresenceOptions): () => void {
  const ownId = InstancePresenceRecordType.createId(String(awareness.clientID))
  const $user = computed<TLUser | null>('stip user', () => {
    const info = me.get()
    return { id: createUserId(info.id), typeName: 'user', name: info.name, color: info.color, imageUrl: '', meta: {} }
  })
  const $presence = createPresenceStateDerivation($user, { instanceId: ownId })(store)

  // Pointer moves change presence at frame rate; send at most one awareness update per frame,
  // and never more often than the server's pace allows (a 144 Hz screen has more frames).
  let frame = 0
  let sentAt = Number.NEGATIVE_INFINITY
  const stopReacting = react('stip presence → awareness', () => {
    const user = me.get()
    const presence = showCursor ? $presence.get() : null
    cancelAnimationFrame(frame)
    const send = (now: number) => {
      if (now - sentAt < PRESENCE_MIN_INTERVAL_MS) {
        frame = requestAnimationFrame(send)
        return
      }
      sentAt = now
      awareness.setLocalState(fitPresence({ user, presence }))
    }
    frame = requestAnimationFrame(send)
  })

  const presenceType = store.schema.types.instance_presence
  const onChange = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const states = awareness.getStates()
    const puts: TLInstancePresence[] = []
    const removals: TLInstancePresence['id'][] = []
    for (const clientId of [...added, ...updated]) {
      if (clientId === awareness.clientID) continue
      const id = InstancePresenceRecordType.createId(String(clientId))
      const presence = (states.get(clientId) as { presence?: unknown } | undefined)?.presence
      const record = presence ? validPresence(presenceType, { ...(presence as object), id }) : null
      if (record) puts.push(record)
      else if (store.has(id)) removals.push(id)
    }
    for (const clientId of removed) {
      const id = InstancePresenceRecordType.createId(String(clientId))
      if (store.has(id)) removals.push(id)
    }
    if (puts.length === 0 && removals.length === 0) return
    store.mergeRemoteChanges(() => {
      if (removals.length) store.remove(removals)
      if (puts.length) store.put(puts)
    })
  }
  awareness.on('change', onChange)

  return () => {
    stopReacting()
    cancelAnimationFrame(frame)
    awareness.off('change', onChange)
    const remote = store.query.ids('instance_presence').get()
    store.mergeRemoteChanges(() => store.remove([...remote]))
  }
}

/** A remote presence that does not validate is ignored: a cursor is not worth a crash. */
function validPresence(type: { validate(record: unknown): unknown }, value: unknown): TLInstancePresence | null {
  try {
    return type.validate(value) as TLInstancePresence
  } catch (error) {
    console.warn('[stip] ignored an invalid presence record', error)
    return null
  }
}

/** Our awareness state. */
export interface PresenceState {
  user: PeerInfo
  presence: TLInstancePresence | null
}

/**
 * `state`, trimmed to fit `PRESENCE_MAX_STATE_BYTES` when it does not: first the list of
 * selected shapes (others see a selection of a thousand shapes as well without most of
 * it), then scribbles, brush and chat, then the cursor altogether, then the name's length.
 */
export function fitPresence(state: PresenceState, maxBytes = PRESENCE_MAX_STATE_BYTES): PresenceState {
  const fits = (candidate: PresenceState) => presenceStateBytes(candidate) <= maxBytes
  if (fits(state)) return state
  const { presence } = state
  if (presence) {
    const ids = presence.selectedShapeIds
    // The longest prefix of the selection that fits, by bisection.
    let low = 0
    let high = ids.length
    while (low < high) {
      const mid = Math.ceil((low + high) / 2)
      if (fits({ ...state, presence: { ...presence, selectedShapeIds: ids.slice(0, mid) } })) low = mid
      else high = mid - 1
    }
    const trimmed = { ...state, presence: { ...presence, selectedShapeIds: ids.slice(0, low) } }
    if (fits(trimmed)) return trimmed
    const bare = { ...trimmed, presence: { ...trimmed.presence, scribbles: [], brush: null, chatMessage: '' } }
    if (fits(bare)) return bare
  }
  const noCursor = { ...state, presence: null }
  if (fits(noCursor)) return noCursor
  return { user: { ...state.user, name: state.user.name.slice(0, 200) }, presence: null }
}

/**
 * Everyone in the room now (including us), from the awareness states. Other people's role
 * is the server's stamp (a state without one is not listed); ours is the one we know.
 */
export function listPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = []
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: Partial<PeerInfo> }).user
    const isSelf = clientId === awareness.clientID
    const role = isSelf ? user?.role : readStamp(state)?.role
    if (!user || typeof user.id !== 'string' || !isRole(role)) continue
    peers.push({
      clientId,
      id: user.id,
      name: typeof user.name === 'string' ? user.name : '?',
      color: typeof user.color === 'string' ? user.color : '#888',
      role,
      isSelf,
    })
  }
  return peers
}
