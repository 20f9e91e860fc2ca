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
  defaultShapeUtils,
  type TLStore,
  type TLUser,
  type TLUserPreferences,
} from 'tldraw'
import { getRecordsMap } from '../../../shared/doc.ts'
import { canWriteDocument, type Role } from '../../../shared/roles.ts'
import { getLanguage, onLanguageChange, translate } from '../i18n.ts'
import { colorForId, getBrowserId, getSavedName, saveName } from '../identity.ts'
import { type Binding, bindStoreToDoc } from '../sync/binding.ts'
import { BoardConnection, type ConnectionStatus, type DeniedReason } from '../sync/connection.ts'
import { bindPresence, type PeerInfo } from '../sync/presence.ts'

export interface BoardStateOptions {
  boardId: string
  token: string
  role: Role
}

/** One open board. Create with `createBoardState`, then `start()`; `dispose()` on leave. */
export type BoardState = ReturnType<typeof createBoardState>

export function createBoardState({ boardId, token, role }: BoardStateOptions) {
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
  /** True while the person changes their name (the name dialog is open for it). */
  const $editingName = atom('editing name', false)

  const connection = new BoardConnection({ boardId, token })
  const stopStatus = connection.subscribe(() => {
    $status.set(connection.getStatus())
    $deniedReason.set(connection.getDeniedReason())
  })

  const store: TLStore = createTLStore({
    shapeUtils: defaultShapeUtils,
    bindingUtils: defaultBindingUtils,
    users: { currentUser: $tlUser },
    collaboration: {
      status: null,
      // tldraw turns this into the instance's isReadonly.
      mode: computed('mode', () => (isDisplay || $schemaTooNew.get() ? 'readonly' : 'readwrite')),
    },
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
      onInvalidRecord: (_report, total) => $invalidRecords.set(total),
      onSchemaTooNew: () => $schemaTooNew.set(true),
    })
    stopPresence = bindPresence({
      store,
      awareness: connection.provider.awareness,
      me: $me,
      showCursor: !isDisplay,
    })
    $ready.set(true)
  }

  function dispose(): void {
    disposed = true
    stopPresence?.()
    binding?.dispose()
    stopStatus()
    stopLanguage()
    connection.dispose()
  }

  return {
    role,
    isDisplay,
    connection,
    store,
    $preferences,
    setPreferences,
    $status,
    $deniedReason,
    $invalidRecords,
    $schemaTooNew,
    $ready,
    $editingName,
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
