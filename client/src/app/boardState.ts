/**
 * Everything one open board needs, wired together outside React: the connection, the
 * tldraw store, the binding and presence, and the signals the UI shows. React components
 * only read these signals (`useValue`), so a re-render never reconnects anything.
 */
import {
  atom,
  computed,
  createTLStore,
  createUserId,
  defaultBindingUtils,
  type TLStore,
  type TLUser,
  type TLUserPreferences,
} from 'tldraw'
import { getRecordsMap, META_SCHEMA_KEY } from '../../../shared/doc.ts'
import { createRootLayer, ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { mayWriteMeta } from '../../../shared/meta.ts'
import { refusedRecordOf } from '../../../shared/protocol.ts'
import { canWriteDocument, type Role } from '../../../shared/roles.ts'
import { asStoreLayer, stipRecordSchemas } from '../../../shared/schema/index.ts'
import { shortenStoreHistory } from '../display/storeHistory.ts'
import { getLanguage, onLanguageChange, translate } from '../i18n.ts'
import { colorForId, getBrowserId, getSavedName, saveName } from '../identity.ts'
import { createKeptWork } from '../kept/keptWork.ts'
import { createLayerView } from '../layers/layerView.ts'
import { stipShapeUtils } from '../shapes/index.ts'
import { type Binding, bindStoreToDoc } from '../sync/binding.ts'
import { BoardConnection, type ConnectionStatus, type DeniedReason } from '../sync/connection.ts'
import { bindPresence, type PeerInfo } from '../sync/presence.ts'

export interface BoardStateOptions {
  boardId: string
  token: string
  role: Role
  /** For a participant link scoped to a layer: that layer. */
  scopeLayerId: string | null
  /** The layer the URL opened (`/b/<board>/l/<layer>`), if any. */
  initialLayerId: string | null
}

/** Set in sessionStorage before the reload that follows a refused change; read by `Notices`. */
export const rejectedNoticeKey = (boardId: string) => `stip:rejected:${boardId}`
const rejectedAtKey = (boardId: string) => `stip:rejected-at:${boardId}`
const REJECTION_LOOP_MS = 30_000

/** One open board. Create with `createBoardState`, then `start()`; `dispose()` on leave. */
export type BoardState = ReturnType<typeof createBoardState>

export function createBoardState({ boardId, token, role, scopeLayerId, initialLayerId }: BoardStateOptions) {
  const isDisplay = role === 'display'
  const browserId = getBrowserId()

  // [1] The person, as tldraw's user preferences: id, name, colour and UI locale.
  const $preferences = atom<TLUserPreferences>('stip user preferences', {
    id: browserId,
    name: isDisplay ? translate(getLanguage(), 'display.name') : (getSavedName() ?? ''),
    color: colorForId(browserId),
    locale: getLanguage(),
  })
  const stopLanguage = onLanguageChange(() =>
    $preferences.update((p) => ({
      ...p,
      locale: getLanguage(),
      name: isDisplay ? translate(getLanguage(), 'display.name') : p.name,
    })),
  )
  const setPreferences = (next: TLUserPreferences) => {
    // tldraw's own menu may rename the person; keep the colour ours (it is their identity).
    if (!isDisplay && next.name && next.name !== $preferences.get().name) saveName(next.name)
    $preferences.set({ ...next, id: browserId, color: colorForId(browserId) })
  }
  const $me = computed<PeerInfo>('stip me', () => {
    const p = $preferences.get()
    return { id: browserId, name: p.name ?? '', color: p.color ?? colorForId(browserId), role }
  })
  const $tlUser = computed<TLUser | null>('stip tl user', () => {
    const me = $me.get()
    return { id: createUserId(me.id), typeName: 'user', name: me.name, color: me.color, imageUrl: '', meta: {} }
  })

  const $status = atom<ConnectionStatus>('connection status', 'connecting')
  const $deniedReason = atom<DeniedReason | null>('denied reason', null)
  const $invalidRecords = atom('invalid records', 0)
  const $schemaTooNew = atom('schema too new', false)
  const $ready = atom('ready', false)
  /** The server refused a change again right after the reload that dropped the last one. */
  const $rejectedAgain = atom('rejected again', false)
  /** True while the person changes their name (the name dialog is open for it). */
  const $editingName = atom('editing name', false)
  /** True while a facilitator has taken control (`client/src/facilitator/`): read-only. */
  const $controlled = atom('controlled by a facilitator', false)

  const connection = new BoardConnection({
    boardId,
    token,
    onRejected: (code, reason) => void dropRejectedChange(code, reason),
  })
  const kept = createKeptWork({
    boardId,
    doc: connection.doc,
    scope: { role, layerId: role === 'participant' ? scopeLayerId : null },
    whenServerSynced: () => connection.whenServerSynced(),
  })
  const stopStatus = connection.subscribe(() => {
    $status.set(connection.getStatus())
    $deniedReason.set(connection.getDeniedReason())
  })

  const store: TLStore = createTLStore({
    shapeUtils: stipShapeUtils,
    bindingUtils: defaultBindingUtils,
    records: stipRecordSchemas,
    users: { currentUser: $tlUser },
    collaboration: {
      status: null,
      // tldraw turns this into the instance's isReadonly.
      // Also read-only where this person may not draw: a locked layer, or a scoped link's
      // layer locked by the facilitator.
      mode: computed('mode', () =>
        isDisplay || $schemaTooNew.get() || $controlled.get() || !layers.canWriteIn(layers.$active.get())
          ? 'readonly'
          : 'readwrite',
      ),
    },
  })
  // A display runs for months on remote updates: it must not keep the records they replaced.
  if (isDisplay) shortenStoreHistory(store)
  const layers = createLayerView({
    store,
    boardId,
    scope: { role, layerId: role === 'participant' ? scopeLayerId : null },
    initialFocus: initialLayerId,
  })

  let binding: Binding | null = null
  let stopPresence: (() => void) | null = null
  let disposed = false

  /** Loads the local copy (and, for a board we never saw, the server's), then binds. */
  async function start(): Promise<void> {
    await connection.whenLocalLoaded()
    // [2] Initialising an empty doc before the server answered would race other clients.
    if (getRecordsMap(connection.doc).size === 0) await connection.whenServerSynced()
    if (disposed) return
    binding = bindStoreToDoc({
      store,
      doc: connection.doc,
      canWrite: canWriteDocument(role),
      mayWriteSchema: mayWriteMeta(role, META_SCHEMA_KEY),
      onInvalidRecord: (_report, total) => $invalidRecords.set(total),
      onSchemaTooNew: () => $schemaTooNew.set(true),
    })
    // [3] A board from before layers: its facilitator gives it the root layer.
    if (role === 'facilitator' && !store.has(ROOT_LAYER_ID as never) && !$schemaTooNew.get()) {
      store.put([asStoreLayer(createRootLayer())])
    }
    stopPresence = bindPresence({
      store,
      awareness: connection.provider.awareness,
      me: $me,
      showCursor: !isDisplay,
    })
    $ready.set(true)
    // What an earlier page of this browser kept after a refusal goes back on the board.
    if (canWriteDocument(role)) void kept.resume()
  }

  /**
   * [4] The server refused one of our changes and closed the socket (4403). That change is
   * in our doc and our IndexedDB copy; reconnecting would send it again, and again. So we
   * stop writing, keep the whole copy aside on the device (`client/src/kept/`), throw the
   * local copy away and reload: the board comes back as the server has it, and the next
   * page writes back all of our work the server takes, keeps the rest waiting and says why.
   */
  async function dropRejectedChange(code: number, reason: string): Promise<void> {
    binding?.dispose()
    binding = null
    const now = Date.now()
    let last = 0
    let keptAside = true
    try {
      await kept.keep({ code, recordId: refusedRecordOf(reason) })
    } catch (error) {
      keptAside = false // the device cannot store it: the old way, with its notice
      console.warn('[stip] could not keep the refused work on this device', error)
    }
    try {
      last = Number(sessionStorage.getItem(rejectedAtKey(boardId)) ?? 0)
      sessionStorage.setItem(rejectedAtKey(boardId), String(now))
      if (!keptAside) sessionStorage.setItem(rejectedNoticeKey(boardId), String(code)) // why, for the notice
    } catch {
      // No notice then; the reload still repairs the board.
    }
    await connection.discardLocalCopy()
    // [5] Refused again right after a fresh start: reloading would only loop.
    if (now - last < REJECTION_LOOP_MS) $rejectedAgain.set(true)
    else location.reload()
  }

  function dispose(): void {
    disposed = true
    layers.dispose()
    stopPresence?.()
    kept.dispose()
    binding?.dispose()
    stopStatus()
    stopLanguage()
    connection.dispose()
  }

  return {
    boardId,
    role,
    isDisplay,
    connection,
    kept,
    store,
    layers,
    $preferences,
    setPreferences,
    $status,
    $deniedReason,
    $invalidRecords,
    $schemaTooNew,
    $ready,
    $rejectedAgain,
    $editingName,
    $controlled,
    /** Sets the person's name (from the name dialog). */
    setName(name: string) {
      saveName(name)
      $preferences.update((p) => ({ ...p, name }))
    },
    start,
    dispose,
  }
}

// [1] One atom feeds tldraw (`user` prop: locale, name in its menus), presence (cursor
//     label, colour) and attribution (`users.currentUser`), so they never disagree.
// [2] Two first visitors to a new board would each create a page; the fixed page id makes
//     that harmless, but waiting for the server's state avoids the question altogether.
//     Offline with nothing cached there is nothing to show anyway.
// [3] Written as a local user change before the editor exists, so it syncs (the binding
//     writes user changes) but is no undo step.
// [4] A full remount of the board state would also work, but only a reload is sure to
//     drop every reference to the old doc (tldraw's history, presence, pending sends).
// [5] Something this client writes by itself (not the person) is refused; the board stays
//     offline with a notice instead of reloading forever.
