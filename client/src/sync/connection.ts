/**
 * A board's connection: the Y.Doc kept in IndexedDB (so a reload while offline keeps
 * local work) and synced with the server over y-websocket.
 *
 * We own reconnecting instead of y-websocket: its default gives up on every 44xx close
 * code, while Stip must retry forever — except after the two final codes (token revoked,
 * board deleted), where retrying cannot help and the person needs to be told why.
 * Retries back off exponentially with ±50 % jitter, so 80 browsers that lost the same
 * Wi-Fi do not all knock on the server in the same millisecond when it returns.
 *
 * What the server lacks (its SyncStep1 asks for it: offline work, a reload from the local
 * copy) goes in slices of `CHANGE_SLICE_BYTES` when it is bigger (`shared/slices.ts`), so
 * that no single frame of ours holds the server up for everyone (`answerInSlices`).
 */
import * as decoding from 'lib0/decoding'
import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  CloseCode,
  FINAL_CLOSE_CODES,
  MessageType,
  RECONNECT_NOW_CODES,
  REFUSED_CHANGE_CODES,
  SYNC_PATH_PREFIX,
  SyncStep,
  syncFrame,
} from '../../../shared/protocol.ts'
import { CLIENT_PARAM, TOKEN_PARAM } from '../../../shared/routes.ts'
import { CHANGE_SLICE_BYTES, ROOM_TURN_BYTES, sliceUpdate } from '../../../shared/slices.ts'
import { fetchSession } from '../api.ts'

/** What the connection indicator shows. */
export type ConnectionStatus = 'connecting' | 'connected' | 'offline' | 'denied'

/** Why a connection was given up for good. */
export type DeniedReason = 'unauthorized' | 'board-not-found'

export interface ConnectionOptions {
  boardId: string
  token: string
  /**
   * Called when the server refused one of our updates for good (`REFUSED_CHANGE_CODES`,
   * e.g. 4403), with the close code and reason (which may name the record,
   * `refusalReason`). Reconnecting would send the refused change again (it is in our doc
   * and our IndexedDB copy), so the connection stops and the owner must throw the local
   * copy away (`discardLocalCopy`), after keeping what it can (`client/src/kept/`).
   */
  onRejected?: (code: number, reason: string) => void
}

const FIRST_RETRY_MS = 500
/** After a `RECONNECT_NOW_CODES` close: back within this long (spread at random). */
const RECONNECT_NOW_MS = 250
const MAX_RETRY_MS = 30_000

const SECRET_KEY = 'stip:browser-secret'

/**
 * This browser profile's secret: 256 random bits kept in localStorage, shared by its tabs.
 * Without storage (private mode refusing it) the tab gets one of its own for its lifetime.
 */
export function browserSecret(storage: Pick<Storage, 'getItem' | 'setItem'> | null = safeLocalStorage()): string {
  const stored = storage?.getItem(SECRET_KEY)
  if (stored && /^[A-Za-z0-9_-]{43}$/.test(stored)) return stored
  const bytes = crypto.getRandomValues(new Uint8Array(32))
  const secret = btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '')
  try {
    storage?.setItem(SECRET_KEY, secret)
  } catch {
    // storage full or refused: this tab keeps the secret for its lifetime
  }
  return secret
}

function safeLocalStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null
  }
}

/** Delay before retry number `attempt` (0-based): 0.5 s doubling to 30 s, ±50 % jitter. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt, 16))
  return Math.round(base * (0.5 + random()))
}

/** A board's doc, its local copy and its server connection. */
export class BoardConnection {
  readonly doc = new Y.Doc()
  readonly provider: WebsocketProvider
  readonly persistence: IndexeddbPersistence
  private status: ConnectionStatus = 'connecting'
  private deniedReason: DeniedReason | null = null
  private attempt = 0
  private retryTimer: ReturnType<typeof setTimeout> | undefined
  private disposed = false
  private rejected = false
  private readonly listeners = new Set<() => void>()

  constructor(private readonly options: ConnectionOptions) {
    this.persistence = new IndexeddbPersistence(`stip:${options.boardId}`, this.doc)
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:'
    const base = `${scheme}//${location.host}${SYNC_PATH_PREFIX.replace(/\/$/, '')}`
    this.provider = new WebsocketProvider(base, encodeURIComponent(options.boardId), this.doc, {
      connect: false,
      // The browser's secret makes the Yjs client ids it introduces its own on the server,
      // so offline work, reloads and other tabs of this browser keep writing under them.
      params: { [TOKEN_PARAM]: options.token, [CLIENT_PARAM]: browserSecret() },
      // Tabs share state through the server and IndexedDB; a BroadcastChannel would let a
      // display tab and a participant tab of one browser bypass the server's checks.
      disableBc: true,
      // Never let y-websocket reconnect by itself; `onClose` decides.
      shouldReconnect: () => false,
    })
    answerInSlices(this.provider)
    sendUpdatesInSlices(this.provider)
    this.provider.on('status', ({ status }) => {
      if (status === 'connected') this.setStatus('connected')
    })
    this.provider.on('sync', (synced: boolean) => {
      // Only a completed sync proves the connection works; then start backoff afresh.
      if (synced) this.attempt = 0
    })
    this.provider.on('connection-close', (event) => this.onClose(event))
    // The browser knows at once when the network goes; a socket may take 30 s to notice.
    window.addEventListener('offline', this.onBrowserOffline)
    window.addEventListener('online', this.onBrowserOnline)
    this.provider.connect()
  }

  /** The status now. */
  getStatus(): ConnectionStatus {
    return this.status
  }

  /** Why access was denied, when `getStatus()` is `denied`. */
  getDeniedReason(): DeniedReason | null {
    return this.deniedReason
  }

  /** Calls `listener` when the status changes; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Resolves once the local IndexedDB copy has been loaded into the doc. */
  whenLocalLoaded(): Promise<void> {
    return this.persistence.whenSynced.then(() => undefined)
  }

  /** Resolves after the first full sync with the server. */
  whenServerSynced(): Promise<void> {
    if (this.provider.synced) return Promise.resolve()
    return new Promise((resolve) => {
      const onSync = (synced: boolean) => {
        if (!synced) return
        this.provider.off('sync', onSync)
        resolve()
      }
      this.provider.on('sync', onSync)
    })
  }

  /**
   * Throws away this browser's copy of the board (IndexedDB), after the server refused a
   * change of ours: the next load starts from the server's state. Gives up waiting after
   * a few seconds (another tab holding the database open blocks the deletion).
   */
  async discardLocalCopy(): Promise<void> {
    this.provider.disconnect()
    await Promise.race([this.persistence.clearData(), new Promise((resolve) => setTimeout(resolve, 3000))])
  }

  /** Closes the socket and the local store; the doc stays readable. */
  dispose(): void {
    this.disposed = true
    window.removeEventListener('offline', this.onBrowserOffline)
    window.removeEventListener('online', this.onBrowserOnline)
    clearTimeout(this.retryTimer)
    this.provider.destroy()
    void this.persistence.destroy()
  }

  private onClose(event: CloseEvent | null): void {
    if (this.disposed || this.status === 'denied' || this.rejected) return
    // No event: y-websocket dropped a socket that went silent for 30 s. It would retry on
    // its own schedule; keep it to ours.
    if (event === null) this.provider.shouldConnect = false
    if (event && REFUSED_CHANGE_CODES.includes(event.code) && this.options.onRejected) {
      this.rejected = true
      clearTimeout(this.retryTimer)
      this.provider.shouldConnect = false
      this.setStatus('offline')
      this.options.onRejected(event.code, event.reason)
      return
    }
    if (event !== null && FINAL_CLOSE_CODES.includes(event.code)) {
      this.deny(event.code === CloseCode.BoardNotFound ? 'board-not-found' : 'unauthorized')
      return
    }
    // The board moved to another server process (an upgrade, a failover): nothing is wrong,
    // come back at once — with a little jitter, since everyone on the board got this close.
    if (event && RECONNECT_NOW_CODES.includes(event.code)) {
      this.attempt = 0
      this.setStatus('connecting')
      this.scheduleRetry(Math.round(RECONNECT_NOW_MS * Math.random()))
      return
    }
    this.setStatus('offline')
    // A refused upgrade (401/403/404 over HTTP) looks like any failed connection (1006).
    // Ask the API whether the link is still good before retrying forever.
    if (event === null || event.code === 1006 || event.code === 1002) void this.checkAccess()
    this.scheduleRetry()
  }

  private onBrowserOffline = (): void => {
    if (this.disposed || this.status === 'denied') return
    this.provider.disconnect() // fires connection-close, which schedules the retries
    this.setStatus('offline')
  }

  private onBrowserOnline = (): void => {
    if (this.disposed || this.status === 'denied' || this.rejected || this.provider.wsconnected) return
    clearTimeout(this.retryTimer)
    this.attempt = 0
    this.setStatus('connecting')
    this.provider.connect()
  }

  private async checkAccess(): Promise<void> {
    const result = await fetchSession(this.options.boardId, this.options.token)
    if (this.disposed || result.ok || result.kind === 'network') return
    if (result.status === 401 || result.status === 403) this.deny('unauthorized')
    else if (result.status === 404) this.deny('board-not-found')
  }

  private scheduleRetry(delay = retryDelay(this.attempt++)): void {
    clearTimeout(this.retryTimer)
    this.retryTimer = setTimeout(() => {
      if (this.disposed || this.status === 'denied' || this.rejected) return
      this.setStatus('connecting')
      this.provider.connect()
    }, delay)
  }

  private deny(reason: DeniedReason): void {
    clearTimeout(this.retryTimer)
    this.deniedReason = reason
    this.setStatus('denied') // first, so that the close below is not taken for a drop
    this.provider.disconnect()
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return
    this.status = status
    for (const listener of this.listeners) listener()
  }
}

/**
 * Makes `provider` answer the server's SyncStep1 in slices when what the server lacks is
 * more than `CHANGE_SLICE_BYTES`: each slice an update frame, in an order the server can
 * apply one by one (`sliceUpdate`). Smaller answers, and every other sync message, go
 * through y-websocket's own handler unchanged.
 */
function answerInSlices(provider: WebsocketProvider): void {
  const handlers = provider.messageHandlers
  const own = handlers[MessageType.Sync]
  handlers[MessageType.Sync] = (encoder, decoder, _provider, emitSynced, messageType) => {
    const peek = decoding.clone(decoder)
    if (decoding.readVarUint(peek) === SyncStep.Step1) {
      const stateVector = decoding.readVarUint8Array(peek)
      const missing = Y.encodeStateAsUpdate(provider.doc, stateVector)
      if (missing.length > CHANGE_SLICE_BYTES && provider.ws) {
        const slices = sliceUpdate(missing, Y.decodeStateVector(stateVector))
        // Frames on one socket arrive in order: the server applies them as sent.
        for (const slice of slices) provider.ws.send(syncFrame(SyncStep.Update, slice) as Uint8Array<ArrayBuffer>)
        decoder.pos = peek.pos // read; nothing is written to `encoder`, so nothing else is sent
        return
      }
    }
    own(encoder, decoder, provider, emitSynced, messageType)
  }
}

/**
 * Makes `provider` send a local update of more than `ROOM_TURN_BYTES` in slices
 * (`sliceUpdate`, each complete given the document before it), since the server refuses an
 * update past its byte bound (`STIP_MAX_UPDATE_BYTES`). The binding already slices the
 * person's own changes; what else can be that big is the local copy (IndexedDB) when it
 * is loaded after the socket opened: y-websocket would send it all as one update, and a
 * refusal would make this browser drop it.
 */
function sendUpdatesInSlices(provider: WebsocketProvider): void {
  // y-websocket's own handler, by the name its `destroy` removes it with.
  type UpdateHandler = (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => void
  const internals = provider as unknown as { _updateHandler: UpdateHandler }
  const own = internals._updateHandler
  const sliced: UpdateHandler = (update, origin, doc, transaction) => {
    if (update.length <= ROOM_TURN_BYTES) own(update, origin, doc, transaction)
    else for (const slice of sliceUpdate(update, transaction.beforeState)) own(slice, origin, doc, transaction)
  }
  provider.doc.off('update', own)
  provider.doc.on('update', sliced)
  internals._updateHandler = sliced
}
