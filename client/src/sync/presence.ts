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

  // Pointer moves change presence at frame rate; send at most one awareness update per frame.
  let frame = 0
  const stopReacting = react('stip presence → awareness', () => {
    const user = me.get()
    const presence = showCursor ? $presence.get() : null
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(() => awareness.setLocalState({ user, presence }))
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

/** Everyone in the room now (including us), from the awareness states. */
export function listPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = []
  for (const [clientId, state] of awareness.getStates()) {
    const user = (state as { user?: Partial<PeerInfo> }).user
    if (!user || typeof user.id !== 'string' || !isRole(user.role)) continue
    peers.push({
      clientId,
      id: user.id,
      name: typeof user.name === 'string' ? user.name : '?',
      color: typeof user.color === 'string' ? user.color : '#888',
      role: user.role,
      isSelf: clientId === awareness.clientID,
    })
  }
  return peers
}
