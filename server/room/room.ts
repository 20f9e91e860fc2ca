/**
 * One board's live room: its Y.Doc, the awareness of everyone on it, and their
 * connections. Transport-free: a connection is anything with `send` and `close`, so
 * tests drive a room with object-literal sockets and no network.
 *
 * The order of things is what makes a room durable:
 * 1. A frame is decoded (`shared/protocol.ts`) and dispatched by its type
 *    (`messageHandlers`); a document update is judged by the gate (`gate.ts`) against the
 *    document; a bad frame closes only the connection that sent it.
 * 2. Accepted updates are applied to the doc at once, so the next frame is checked
 *    against an up-to-date document, and queued (`persistence.ts`).
 * 3. At the end of the event-loop turn (`flush`) the queue is written to the store in one
 *    transaction, and only then broadcast, merged into one message per receiver. Sync
 *    answers asked for meanwhile wait for the flush too. So nothing any client has seen is
 *    missing from the store, and a busy room sends one message per turn instead of one per
 *    update.
 * If the store refuses the write (disk full…), the room fails: every connection is
 * closed with `StoreUnavailable` and the room is dropped from memory. Clients keep their
 * edits locally and send them again when they reconnect to a fresh room.
 *
 * Other faults, each contained where it happens:
 * - An update that throws while Yjs applies it (an observer, a bug) is taken back out of
 *   the batch, the document is reloaded from the store and the batch (so memory holds
 *   what is stored), and only its sender is closed (`UpdateFailed`).
 * - A stored row that does not decode opens the board read-only: everyone syncs what
 *   could be read; updates close their sender (`BoardReadOnly`, reconnect later); the
 *   administrator gets an error naming the board and the row; nothing is written.
 * - An update that builds on changes the room lacks (after a lost tail) is dropped and its
 *   sender asked for all it has (a SyncStep1), once per change of the room's document (or,
 *   when it waits on other authors' stripped structs, once one of their clocks has moved),
 *   so an honest client is never closed for it and never asked in a loop.
 * - `durability: 'strict'`: broadcasts and sync answers wait until their batch is fsynced
 *   (`RoomPersistence.durable`), in order; a failed fsync fails the room as a failed write.
 *
 * Take control (gate.ts): a participant's update held while a facilitator has control is
 * dropped without closing; once control is released every held connection is asked for
 * all it has (a SyncStep1), so it sends what it made again and loses nothing.
 *
 * What to store and whom to send it to is decided by the transaction origin
 * (`origins.ts`); what else happens around these steps is added with hooks (`hooks.ts`).
 *
 * The server can change the document on a token's behalf without a socket (the API's
 * milestone status, `applyServerChange`): the change goes through the same gate with the
 * token's role, scope and an identity of its own, is applied, stored and broadcast to every
 * connection exactly as a client's would be, only at once instead of at the end of the turn.
 */
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { META_CONTROL_KEY } from '../../shared/control.ts'
import { getMetaMap, getRecord, getRecordsMap, recordKind } from '../../shared/doc.ts'
import { isLayerId, type LayerRecord } from '../../shared/layers.ts'
import {
  awarenessFrame,
  CloseCode,
  expectEnd,
  MessageType,
  readAwareness,
  readMessageType,
  readRest,
  readSync,
  refusalReason,
  SyncStep,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from '../../shared/protocol.ts'
import { canWriteDocument, type Role } from '../../shared/roles.ts'
import { ROOM_TURN_BYTES } from '../../shared/slices.ts'
import type { Logger } from '../log.ts'
import type { BoardStore, ClientOwner } from '../store/types.ts'
import { type GateVerdict, isControlTaken, judgeUpdate, type Sender } from './gate.ts'
import { HookRunner, type RoomHooks } from './hooks.ts'
import { ClientOwners, isKnownBrowser, unknownBrowser } from './identity.ts'
import { admitFrame, budgetOf, DEFAULT_LIMITS, type LimitExceeded, type RoomLimits } from './limits.ts'
import { fromConnection, isFrom, isStored, originOf, SERVER } from './origins.ts'
import {
  type CompactionPolicy,
  DEFAULT_COMPACTION,
  DEFAULT_DURABILITY,
  type Durability,
  type PendingUpdate,
  RoomPersistence,
  type StoredBatch,
} from './persistence.ts'
import { RoomPresence } from './presence.ts'

/** What a room needs of a socket. */
export interface RoomSocket {
  send(data: Uint8Array): void
  close(code: number, reason: string): void
  /** Bytes sent but not yet written to the network (ws's `bufferedAmount`); 0 if unknown. */
  readonly bufferedAmount?: number
}

export interface Connection {
  readonly socket: RoomSocket
  readonly role: Role
  /** For a participant link scoped to a layer: that layer; else null. */
  readonly layerId: string | null
  /** Hash of the token the connection was opened with, to close it when the link rotates. */
  readonly tokenHash: string
  /** Hash of the browser secret it presented: whose Yjs client ids it may continue (identity.ts). */
  readonly secretHash: string
  /** Awareness client ids this connection controls, removed when it leaves. */
  readonly awarenessIds: Set<number>
  open: boolean
  /**
   * When the room last asked this connection to resync (its count of stored batches then),
   * because an update built on changes the room lacked; null when it is not waiting.
   */
  resyncAsked: number | null
  /**
   * While it waits, the client ids whose content it needs — structs under other authors' ids
   * (stripped, identity.ts), or the content its update builds on (`waitsOn`) — and the
   * server's clock of each then. It is asked again only once one of them has moved, so an
   * author who never returns costs nobody a resync per batch.
   */
  waitingFor: Map<number, number> | null
  /**
   * Whether an update of its own was held because a facilitator had taken control (gate.ts):
   * once control is released, the room asks it for all it has (a SyncStep1).
   */
  held: boolean
}

/** How a room is tuned: when it compacts its update log, and when peers see an update. */
export type RoomOptions = CompactionPolicy & { durability: Durability; limits: RoomLimits }

/** What a room is given besides its board: who to tell when it fails, and its hooks. */
export interface RoomContext {
  /** Called once the room has failed (its store refused a write) and closed everyone. */
  onFail?: (room: Room) => void
  hooks?: readonly RoomHooks[]
}

/** What became of a change the server made on a token's behalf (`Room.applyServerChange`). */
export type ServerChangeResult =
  /** Applied, stored and sent to every connection; `durable` resolves once it is fsynced
   * (`strict` durability; at once with `wal`, where the commit alone is what peers wait for). */
  | { readonly ok: true; readonly durable: Promise<void> }
  /** Nothing was applied: the board is read-only, or the store (or applying) failed. */
  | { readonly ok: false; readonly reason: 'read-only' | 'store-failed' | 'apply-failed' }
  /** The gate's verdict was not to apply it (`refuse`, `resync`, `ignore`); nothing was applied. */
  | { readonly ok: false; readonly reason: 'refused'; readonly verdict: Exclude<GateVerdict, { action: 'apply' }> }

/** Reads the rest of a frame of one message type, after the type, and acts on it. */
type MessageHandler = (connection: Connection, decoder: decoding.Decoder) => void

/** Prepares a message at the end of a turn (the document as stored); returns its sending. */
type Prepare = () => () => void

export class Room {
  private currentDoc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.currentDoc)
  readonly connections = new Set<Connection>()
  /** Every layer record, kept current, for the rights check. */
  readonly layers = new Map<string, LayerRecord>()
  /** What a frame and a connection may cost (`limits.ts`); the gate reads it too. */
  readonly limits: RoomLimits
  /** Which browser secret introduced each Yjs client id on the board, for the gate. */
  readonly owners: ClientOwners
  /** How long loading the board took, in milliseconds. */
  readonly loadMs: number
  private readonly persistence: RoomPersistence
  /** Judges awareness updates: one id per connection, its own state only, bounded, stamped. */
  private readonly presence: RoomPresence
  private readonly hooks: HookRunner
  private readonly onFail: (room: Room) => void
  private pendingAwareness = new Set<number>()
  private afterFlush: Prepare[] = []
  private flushScheduled = false
  private failed = false
  private readonly durability: Durability
  /** Batches stored so far; a connection asked to resync is asked again once it grows. */
  private storedBatches = 0
  /** Strict durability: the deliveries waiting for their fsync, chained in order. */
  private delivering: Promise<void> = Promise.resolve()

  /** Loads the board's document from the store; the room answers nobody before that. */
  constructor(
    readonly boardId: string,
    store: BoardStore,
    private log: Logger,
    options: Partial<RoomOptions> = {},
    context: RoomContext = {},
  ) {
    const started = performance.now()
    this.onFail = context.onFail ?? (() => {})
    this.hooks = new HookRunner(context.hooks ?? [], log)
    const { durability = DEFAULT_DURABILITY, limits, ...compaction } = options
    this.limits = { ...DEFAULT_LIMITS, ...limits }
    this.presence = new RoomPresence(this.awareness, this.limits)
    this.durability = durability
    this.persistence = new RoomPersistence(boardId, store, { ...DEFAULT_COMPACTION, ...compaction })
    this.awareness.setLocalState(null) // the server itself has no cursor
    this.loadDocument(this.currentDoc)
    this.owners = new ClientOwners(store.loadClientOwners(boardId), (client) => client === this.doc.clientID)
    this.presence.onOwnId = (connection, id) => this.reserveAnnouncedId(connection, id)
    this.awareness.on('update', this.onAwarenessUpdate)
    this.loadMs = performance.now() - started
    this.hooks.emit('onLoaded', { room: this, ms: this.loadMs })
  }

  /** The board's document. A new object after an update failed part-way (see the header). */
  get doc(): Y.Doc {
    return this.currentDoc
  }

  /** Whether a stored row could not be read, so that nobody may write (see the header). */
  get isReadOnly(): boolean {
    return this.persistence.isReadOnly
  }

  /** Adds a connection; the server opens the sync by sending its state vector and who is here. */
  connect(
    socket: RoomSocket,
    role: Role,
    tokenHash: string,
    layerId: string | null = null,
    secretHash: string = unknownBrowser(),
  ): Connection {
    const connection: Connection = {
      socket,
      role,
      layerId,
      tokenHash,
      secretHash,
      awarenessIds: new Set(),
      open: true,
      resyncAsked: null,
      waitingFor: null,
      held: false,
    }
    this.connections.add(connection)
    this.hooks.emit('onConnected', { room: this, connection })
    const step1 = syncStep1Frame(Y.encodeStateVector(this.doc))
    this.afterPendingFlush(() => () => {
      this.send(connection, step1)
      const present = [...this.awareness.getStates().keys()]
      if (present.length > 0) this.send(connection, this.awarenessFrameOf(present))
    })
    return connection
  }

  /**
   * Handles one frame, now or, once this turn has handled `ROOM_TURN_BYTES` of the room's
   * frames, in a later turn, in order [3]. Its limits are counted when it arrives. A frame
   * that can't be decoded closes its connection, nothing else.
   */
  receive(connection: Connection, frame: Uint8Array): void {
    if (!connection.open) return
    const overBudget = admitFrame(budgetOf(connection, this.limits), frame)
    if (overBudget) {
      this.closeOverLimit(connection, overBudget)
      return
    }
    if (this.inbox.length > 0 || (this.turnBytes > 0 && this.turnBytes + frame.length > ROOM_TURN_BYTES)) {
      this.inbox.push({ connection, frame })
      this.scheduleInbox()
      return
    }
    this.handle(connection, frame)
  }

  /** Frames that wait for a later turn [3]. */
  private inbox: { connection: Connection; frame: Uint8Array }[] = []
  /** Frame bytes handled in this turn; back to 0 at the end of the turn. */
  private turnBytes = 0
  private inboxTimer: ReturnType<typeof setTimeout> | undefined

  private handle(connection: Connection, frame: Uint8Array): void {
    if (this.turnBytes === 0) setImmediate(() => (this.turnBytes = 0))
    this.turnBytes += frame.length
    try {
      this.dispatch(connection, frame)
    } catch (error) {
      this.log.warn('malformed frame', { board: this.boardId, role: connection.role, error: String(error) })
      this.close(connection, CloseCode.MalformedMessage)
    }
  }

  /** In the next loop iteration (after I/O and the flush): a timer, not an immediate. */
  private scheduleInbox(): void {
    if (this.inboxTimer !== undefined) return
    this.inboxTimer = setTimeout(() => {
      this.inboxTimer = undefined
      this.turnBytes = 0
      while (this.inbox.length > 0 && !this.failed) {
        const next = this.inbox[0]
        if (this.turnBytes > 0 && this.turnBytes + next.frame.length > ROOM_TURN_BYTES) break
        this.inbox.shift()
        if (next.connection.open) this.handle(next.connection, next.frame)
      }
      if (this.inbox.length > 0 && !this.failed) this.scheduleInbox()
    }, 0)
  }

  disconnect(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    connection.open = false
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null)
    }
    this.presence.release(connection)
    this.hooks.emit('onDisconnected', { room: this, connection })
  }

  /**
   * Closes a connection with a named code and removes it from the room. `recordId`: the
   * record a refused change was refused for, named in the reason (`refusalReason`).
   */
  close(connection: Connection, code: CloseCode, recordId?: string): void {
    const wasConnected = this.connections.has(connection)
    this.disconnect(connection)
    try {
      connection.socket.close(code, refusalReason(code, recordId))
    } catch {
      // the socket is gone already
    }
    if (wasConnected) this.hooks.emit('onClosed', { room: this, connection, code })
  }

  /** Closes every connection that matches, e.g. those opened with a rotated token. */
  closeWhere(predicate: (connection: Connection) => boolean, code: CloseCode): number {
    let closed = 0
    for (const connection of [...this.connections]) {
      if (predicate(connection)) {
        this.close(connection, code)
        closed++
      }
    }
    return closed
  }

  get isEmpty(): boolean {
    return this.connections.size === 0
  }

  get isFailed(): boolean {
    return this.failed
  }

  /** Counts of what is in the document, for the API. */
  counts(): { records: number; shapes: number } {
    let shapes = 0
    const records = getRecordsMap(this.doc)
    for (const id of records.keys()) if (recordKind(id) === 'shape') shapes++
    return { records: records.size, shapes }
  }

  /**
   * Writes queued updates to the store, then broadcasts them. Runs at the end of every
   * turn in which something arrived; call it directly before shutting down.
   */
  flush(): void {
    this.flushScheduled = false
    if (this.failed) return
    let stored: StoredBatch | null
    try {
      stored = this.persistence.storePending()
    } catch (error) {
      this.fail(error)
      return
    }
    // Prepared now, while the document is exactly what is stored; sent when it is durable.
    const waiting = this.afterFlush.map((prepare) => prepare())
    this.afterFlush = []
    let sendUpdates = () => {}
    if (stored) {
      const batch = stored
      this.storedBatches++
      this.hooks.emit('onStored', { room: this, bytes: batch.merged.length, ms: batch.ms })
      sendUpdates = () => this.broadcastUpdates(batch.batch, batch.merged)
      this.persistence.scheduleCompaction(() => this.compact())
    }
    const sendAwareness = () => {
      if (this.pendingAwareness.size === 0) return
      const message = this.awarenessFrameOf([...this.pendingAwareness])
      this.pendingAwareness.clear()
      for (const connection of this.connections) this.send(connection, message)
    }
    if (this.durability === 'wal') {
      sendUpdates()
      sendAwareness()
    } else {
      sendAwareness() // presence is not stored: it need not wait for the disk
      this.whenDurable(sendUpdates)
    }
    for (const send of waiting) this.whenDurable(send)
    if (stored) this.askWaitingToResync()
  }

  /**
   * Sends a message the room does not make itself (a hook's custom message, a signal) to
   * one connection, within its send budget like every other message.
   */
  sendTo(connection: Connection, message: Uint8Array): void {
    this.send(connection, message)
  }

  /**
   * Changes the document as the server itself (origin `server`: no client, no gate), e.g.
   * a closed voting round's result: stored and broadcast to everyone at the end of the turn
   * like any accepted update. Refused (false) on a failed or read-only room.
   */
  writeAsServer(change: (doc: Y.Doc) => void): boolean {
    if (this.failed || this.isReadOnly) return false
    this.doc.transact(() => change(this.doc), SERVER)
    return true
  }

  /**
   * Applies `update`, built against this room's document, on behalf of `sender` (a token
   * without a socket: the API), through the same gate as a client's change: its role and
   * layer scope decide, and its identity is one of its own (like a plain y-websocket client),
   * so the update must be under a client id new to the board. Then it is stored and
   * broadcast to every connection at once (`flush`), so once this returns `ok` the change
   * is in the store and on its way to everyone. Nothing is applied unless the gate says so.
   */
  applyServerChange(sender: Sender, update: Uint8Array): ServerChangeResult {
    if (this.failed) return { ok: false, reason: 'store-failed' }
    if (this.isReadOnly) return { ok: false, reason: 'read-only' }
    const verdict = judgeUpdate(sender, update, this)
    if (verdict.action !== 'apply') return { ok: false, reason: 'refused', verdict }
    const mark = this.persistence.mark()
    try {
      Y.applyUpdate(this.doc, verdict.update, SERVER)
    } catch (error) {
      // As for a client's update [1]: out of the batch, the document reloaded from the store.
      this.persistence.dropSince(mark)
      this.log.error('server change failed while being applied; dropped, document reloaded', {
        board: this.boardId,
        role: sender.role,
        error: String(error),
      })
      this.loadDocument(new Y.Doc())
      return { ok: false, reason: 'apply-failed' }
    }
    this.recordClaims(verdict.claims)
    this.flush()
    if (this.failed) return { ok: false, reason: 'store-failed' }
    const durable = this.durability === 'strict' ? this.persistence.durable() : Promise.resolve()
    return { ok: true, durable }
  }

  /**
   * Moves the stored snapshot to the document as it is (the rows stay as history); `final`
   * (the room is released) also checkpoints the history if any row came since the last.
   */
  compact(final = false): void {
    this.persistence.cancelCompaction()
    if (this.failed || !(final ? this.persistence.hasUncheckpointed : this.persistence.hasLog)) return
    this.flush()
    this.hooks.emit('beforeCompact', { room: this })
    try {
      this.persistence.compact(final)
    } catch (error) {
      // The log is still complete; compaction is retried later.
      this.log.error('compaction failed', { board: this.boardId, error: String(error) })
    }
  }

  /** Flushes, compacts and releases the room. Connections must be closed by the caller. */
  destroy(): void {
    clearTimeout(this.inboxTimer)
    this.inbox = []
    this.compact(true)
    this.persistence.release()
    this.awareness.off('update', this.onAwarenessUpdate)
    this.presence.destroy()
    this.awareness.destroy()
    this.doc.destroy()
    this.hooks.emit('onReleased', { room: this })
  }

  /**
   * One handler per message type the room speaks, y-websocket style. Each reads the rest of
   * its frame with the shared codec, refuses trailing bytes, then acts.
   */
  private readonly messageHandlers: Partial<Record<number, MessageHandler>> = {
    [MessageType.Sync]: (connection, decoder) => {
      const message = readSync(decoder)
      expectEnd(decoder)
      if (message.step === SyncStep.Step1) this.answerSyncStep1(connection, message.stateVector)
      else this.receiveUpdate(connection, message.update, message.step)
    },
    [MessageType.Awareness]: (connection, decoder) => {
      const update = readAwareness(decoder)
      expectEnd(decoder)
      const refusal = this.presence.receive(connection, update)
      if (refusal) {
        this.log.warn(refusal.log, { board: this.boardId, role: connection.role, ...refusal.fields })
        this.close(connection, refusal.code)
      }
    },
    [MessageType.QueryAwareness]: (connection, decoder) => {
      expectEnd(decoder)
      this.sendAnswer(connection, [this.awarenessFrameOf([...this.awareness.getStates().keys()])])
    },
  }

  private dispatch(connection: Connection, frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame)
    const type = readMessageType(decoder)
    this.hooks.emit('onReceived', { room: this, connection, type, bytes: frame.length })
    const handler = this.messageHandlers[type]
    if (handler) {
      handler(connection, decoder)
      return
    }
    // Not a Yjs message: a custom one, if a hook takes it; else the frame is malformed.
    const handled = this.hooks.offerMessage({ room: this, connection, type, payload: readRest(decoder) })
    if (!handled) throw new Error(`unknown message type ${type}`)
  }

  private answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    const knowsNothing = Y.decodeStateVector(stateVector).size === 0 // throws on garbage before we answer
    this.afterPendingFlush(() => {
      // A crowd joining at the start of a session all know nothing: their frames are made
      // once for all of them (persistence.ts).
      const frames = knowsNothing
        ? this.persistence.fullStateAnswer()
        : [syncStep2Frame(Y.encodeStateAsUpdate(this.doc, stateVector))]
      return () => this.sendAnswer(connection, frames)
    })
  }

  private receiveUpdate(connection: Connection, update: Uint8Array, step: SyncStep): void {
    if (this.isReadOnly) {
      // A sync step 2 carries the client's local work, which it keeps; it is dropped here
      // so the client can still read. An edit is answered: the board takes none.
      if (step === SyncStep.Update && canWriteDocument(connection.role)) this.close(connection, CloseCode.BoardReadOnly)
      return
    }
    const verdict = judgeUpdate(connection, update, this)
    if (verdict.action === 'ignore') return
    if (verdict.action === 'hold') {
      if (!connection.held) this.log.info('update held: control taken', { board: this.boardId, role: connection.role })
      connection.held = true
      return
    }
    if (verdict.action === 'refuse') {
      this.log.warn(verdict.log, { board: this.boardId, role: connection.role, ...verdict.fields })
      const record = verdict.fields.record
      this.close(connection, verdict.code, typeof record === 'string' ? record : undefined)
      return
    }
    if (verdict.stripped?.length) this.logStripped(connection, verdict.stripped)
    const waitsOn = [...(verdict.stripped ?? []), ...(verdict.action === 'resync' ? (verdict.waitsOn ?? []) : [])]
    connection.waitingFor = waitsOn.length > 0 ? this.clocksOf(waitsOn) : null
    if (verdict.action === 'resync') {
      this.log.info('update incomplete; sender asked to resync', { board: this.boardId, reason: verdict.log })
      this.askToResync(connection)
      return
    }
    const mark = this.persistence.mark()
    try {
      Y.applyUpdate(this.doc, verdict.update, fromConnection(connection))
    } catch (error) {
      this.undoFailedUpdate(connection, mark, error)
      return
    }
    this.recordClaims(verdict.claims)
    // [2] What was stripped, the sender may bring again once the document has changed.
    connection.resyncAsked = verdict.stripped.length > 0 ? this.storedBatches : null
    this.hooks.emit('onUpdateApplied', { room: this, connection, bytes: update.length })
  }

  /**
   * The sender's new client ids are its own from now on: in memory at once (the next frame
   * is judged with them), in the store with the batch that holds their first structs. An id
   * under which nothing was integrated (a lone Skip) is not claimed.
   */
  private recordClaims(claims: readonly ClientOwner[]): void {
    const held = claims.filter(({ client }) => Y.getState(this.doc.store, client) > 0)
    if (held.length === 0) return
    this.owners.claim(held)
    this.persistence.claim(held)
  }

  /**
   * A page's presence announced `id` before it wrote under it: reserve it for that browser,
   * in memory at once and in the store with this turn's flush (`identity.ts`).
   */
  private reserveAnnouncedId(connection: Connection, id: number): void {
    if (!canWriteDocument(connection.role) || !isKnownBrowser(connection.secretHash)) return
    if (!this.owners.isNew(this.doc, id)) return
    const claim = [{ client: id, secretHash: connection.secretHash }]
    this.owners.claim(claim)
    this.persistence.claim(claim)
  }

  private logStripped(connection: Connection, clients: readonly number[]): void {
    this.log.warn('structs under other authors’ client ids stripped', {
      board: this.boardId,
      role: connection.role,
      clientIds: clients,
    })
  }

  /**
   * [1] Yjs integrates an update before its observers run and emits it even when one
   * throws, so the doc and the batch hold it. The batch drops it; the doc is rebuilt from
   * the store and the rest of the batch, so nobody is sent it, not even a joiner.
   */
  private undoFailedUpdate(connection: Connection, mark: number, error: unknown): void {
    this.persistence.dropSince(mark)
    this.log.error('update failed while being applied; dropped, document reloaded', {
      board: this.boardId,
      role: connection.role,
      error: String(error),
    })
    this.loadDocument(new Y.Doc())
    this.close(connection, CloseCode.UpdateFailed)
  }

  /**
   * Loads the stored document (and the batch not yet stored) into `fresh` (or, when a row
   * is broken, a fresh one of its own), then watches it: layer records for the rights
   * check, and updates to store and broadcast.
   */
  private loadDocument(fresh: Y.Doc): void {
    const loaded = this.persistence.load(fresh)
    const doc = loaded.doc
    for (const { row, error } of loaded.unreadable) {
      this.log.error('stored document row unreadable; board opened read-only', { board: this.boardId, row, error })
    }
    this.currentDoc = doc
    this.layers.clear()
    const records = getRecordsMap(doc)
    const refreshLayer = (id: string) => {
      const record = getRecord(records, id)
      if (record) this.layers.set(id, record as unknown as LayerRecord)
      else this.layers.delete(id)
    }
    for (const id of records.keys()) if (isLayerId(id)) refreshLayer(id)
    records.observe((event) => {
      for (const id of event.keysChanged) if (isLayerId(id)) refreshLayer(id)
    })
    getMetaMap(doc).observe((event) => {
      if (event.keysChanged.has(META_CONTROL_KEY) && !isControlTaken(doc)) this.releaseHeld()
    })
    // Registered after loading: what was loaded is neither stored again nor broadcast.
    doc.on('update', (update: Uint8Array, rawOrigin: unknown) => {
      this.persistence.changed(update)
      const origin = originOf(rawOrigin)
      if (!isStored(origin)) return
      this.persistence.queue(update, origin)
      this.scheduleFlush()
    })
  }

  /**
   * Control was released: every connection whose update was held is asked for all it has,
   * once the release is stored (so what it sends back is judged without control).
   */
  private releaseHeld(): void {
    for (const connection of this.connections) {
      if (!connection.held) continue
      connection.held = false
      this.afterPendingFlush(() => {
        const step1 = syncStep1Frame(Y.encodeStateVector(this.doc))
        return () => this.send(connection, step1)
      })
    }
  }

  /** Asks a connection for all it has, unless it was asked since the room last changed. */
  private askToResync(connection: Connection): void {
    if (connection.resyncAsked === this.storedBatches) return
    connection.resyncAsked = this.storedBatches
    this.send(connection, syncStep1Frame(Y.encodeStateVector(this.doc)))
  }

  /** The room changed: what a waiting connection lacked may be here now. Ask again. */
  private askWaitingToResync(): void {
    for (const connection of this.connections) {
      if (connection.resyncAsked === null) continue
      const waitingFor = connection.waitingFor
      if (waitingFor && ![...waitingFor].some(([client, clock]) => Y.getState(this.doc.store, client) > clock)) continue
      this.askToResync(connection)
    }
  }

  /** The server's clock of each client id now. */
  private clocksOf(clients: readonly number[]): Map<number, number> {
    return new Map(clients.map((client) => [client, Y.getState(this.doc.store, client)]))
  }

  /**
   * Sends now (`wal`), or once everything stored so far is fsynced (`strict`), after every
   * earlier delivery. A failed fsync fails the room: nobody is sent what may be lost.
   */
  private whenDurable(send: () => void): void {
    if (this.durability === 'wal') {
      send()
      return
    }
    const durable = this.persistence.durable()
    this.delivering = Promise.all([this.delivering, durable]).then(
      () => {
        if (!this.failed) send()
      },
      (error: unknown) => {
        if (!this.failed) this.fail(error)
      },
    )
  }

  /**
   * One message for everyone: a connection that sent part of the batch gets its own
   * updates back too, which Yjs ignores — far cheaper than merging a batch per sender.
   */
  private broadcastUpdates(batch: readonly PendingUpdate[], merged: Uint8Array): void {
    const all = updateFrame(merged)
    for (const connection of this.connections) {
      if (batch.every((entry) => isFrom(entry.origin, connection))) continue // nothing new for it
      this.send(connection, all)
    }
  }

  private awarenessFrameOf(clients: number[]): Uint8Array {
    return awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients))
  }

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    rawOrigin: unknown,
  ): void => {
    const origin = originOf(rawOrigin)
    const connection = origin.kind === 'connection' ? origin.connection : null
    if (connection && this.connections.has(connection)) {
      for (const id of added) connection.awarenessIds.add(id)
      for (const id of updated) connection.awarenessIds.add(id)
      for (const id of removed) connection.awarenessIds.delete(id)
    }
    for (const id of [...added, ...updated, ...removed]) this.pendingAwareness.add(id)
    this.scheduleFlush()
  }

  /** Sends what `prepare` makes once nothing accepted is missing from the store. */
  private afterPendingFlush(prepare: Prepare): void {
    if (!this.persistence.hasPending && !this.flushScheduled) this.whenDurable(prepare())
    else {
      this.afterFlush.push(prepare)
      this.scheduleFlush()
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => this.flush())
  }

  private fail(error: unknown): void {
    this.failed = true
    // A store may say how to close (a write fenced off because another process owns the
    // board now: `Handover`, reconnect to it at once); else the store is unavailable.
    const code = (error as { closeCode?: CloseCode } | null)?.closeCode ?? CloseCode.StoreUnavailable
    this.log.error('store write failed; closing room', { board: this.boardId, error: String(error), code })
    this.closeWhere(() => true, code)
    this.onFail(this)
  }

  /** Closes a connection that went over one of its limits (`limits.ts`), saying which. */
  private closeOverLimit(connection: Connection, exceeded: LimitExceeded): void {
    this.log.warn('limit exceeded', { board: this.boardId, role: connection.role, reason: exceeded.reason })
    this.close(connection, exceeded.code)
  }

  /** Sends the answer to a sync request (one or more frames), its bytes counted against the connection's budget. */
  private sendAnswer(connection: Connection, messages: readonly Uint8Array[]): void {
    const over = budgetOf(connection, this.limits).answer(messages.reduce((sum, message) => sum + message.length, 0))
    if (over) {
      this.closeOverLimit(connection, over)
      return
    }
    for (const message of messages) this.send(connection, message)
  }

  private send(connection: Connection, message: Uint8Array): void {
    if (!connection.open) return
    const backlog = budgetOf(connection, this.limits).send(connection.socket.bufferedAmount ?? 0, message.length)
    if (backlog) {
      this.closeOverLimit(connection, backlog)
      return
    }
    try {
      connection.socket.send(message)
      this.hooks.emit('onSent', { room: this, connection, bytes: message.length })
    } catch (error) {
      this.log.warn('send failed', { board: this.boardId, error: String(error) })
      this.disconnect(connection)
    }
  }
}

// [1] Y.applyUpdate runs in a transaction whose cleanup emits 'update' in a `finally`, after
//     the observers (which Yjs calls all, then rethrows the first error).
// [3] The gate's cost grows with an update's bytes (`shared/slices.ts`): a client sends a
//     big change in slices, and a room handles slices up to `ROOM_TURN_BYTES` per turn,
//     the rest in the next, so a 5,000-shape paste is stored and sent in parts while other
//     sockets (other rooms, a cursor, a canary) get their turn in between. A single frame
//     is always handled whole: a big SyncStep2 (long offline work) still costs what its
//     bytes cost. Frames stay in order per room, so a connection's updates keep theirs;
//     one closed meanwhile has its frames dropped.
// [2] Stripped structs, and the deletions dropped with them (identity.ts [1]), are applied
//     once their authors bring them; what an honest relayer alone still holds (a deletion
//     of the lost content, say) comes back when it is asked again. So the connection waits
//     like one whose update was incomplete, as if asked now: the next stored batch (its own
//     update's, at the latest) sends it a SyncStep1, which a y-websocket client answers with
//     all the server lacks, the whole delete set included.
