/**
 * One board's live room: its Y.Doc, the awareness of everyone on it, and their
 * connections. Transport-free: a connection is anything with `send` and `close`, so
 * tests drive a room with object-literal sockets and no network.
 *
 * The order of things is what makes a room durable:
 * 1. A frame is decoded and, for a document update, inspected (`inspectUpdate`) against
 *    the document; a bad frame closes only the connection that sent it.
 * 2. Accepted updates are applied to the doc at once, so the next frame is checked
 *    against an up-to-date document, and queued.
 * 3. At the end of the event-loop turn (`flush`) the queue is written to the store in one
 *    transaction, and only then broadcast, merged into one message per receiver. Sync
 *    answers asked for meanwhile wait for the flush too. So nothing any client has seen is
 *    missing from the store, and a busy room sends one message per turn instead of one per
 *    update.
 * If the store refuses the write (disk full…), the room fails: every connection is
 * closed with `StoreUnavailable` and the room is dropped from memory. Clients keep their
 * edits locally and send them again when they reconnect to a fresh room.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { getRecord, getRecordsMap, inspectUpdate, recordKind } from '../../shared/doc.ts'
import { LAYER_TYPE, type LayerRecord } from '../../shared/layers.ts'
import { CloseCode, closeCodeName, MessageType, SyncStep } from '../../shared/protocol.ts'
import { checkChange } from '../../shared/rights.ts'
import { canWriteDocument, type Role } from '../../shared/roles.ts'
import type { Logger } from '../log.ts'
import type { BoardStore } from '../store/types.ts'

/** What a room needs of a socket. */
export interface RoomSocket {
  send(data: Uint8Array): void
  close(code: number, reason: string): void
}

export interface Connection {
  readonly socket: RoomSocket
  readonly role: Role
  /** For a participant link scoped to a layer: that layer; else null. */
  readonly layerId: string | null
  /** Hash of the token the connection was opened with, to close it when the link rotates. */
  readonly tokenHash: string
  /** Awareness client ids this connection controls, removed when it leaves. */
  readonly awarenessIds: Set<number>
  open: boolean
}

export interface RoomOptions {
  /** Compact the update log after this many stored writes (one per busy turn)… */
  compactAfterUpdates: number
  /** …or once the log outgrows this many bytes (or eight snapshots, if that is more)… */
  compactAfterBytes: number
  /** …or after the room has been quiet for this long. */
  compactWhenIdleMs: number
}

const DEFAULT_OPTIONS: RoomOptions = {
  compactAfterUpdates: 1000,
  compactAfterBytes: 1024 * 1024,
  compactWhenIdleMs: 10_000,
}

/** Origin of changes loaded from the store: never stored again. */
const PERSISTENCE = Symbol('persistence')

export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly connections = new Set<Connection>()
  /** Every layer record, kept current, for the rights check. */
  readonly layers = new Map<string, LayerRecord>()
  private pendingUpdates: { update: Uint8Array; origin: unknown }[] = []
  private pendingAwareness = new Set<number>()
  private afterFlush: (() => void)[] = []
  private flushScheduled = false
  private lastSeq: number
  private storedSinceCompaction = 0
  private bytesSinceCompaction = 0
  private snapshotBytes = 0
  /** The whole document encoded, for people who join with nothing; dropped on every change. */
  private fullState: Uint8Array | null = null
  private idleTimer: NodeJS.Timeout | undefined
  private failed = false
  private options: RoomOptions

  /** Loads the board's document from the store; the room answers nobody before that. */
  constructor(
    readonly boardId: string,
    private store: BoardStore,
    private log: Logger,
    options: Partial<RoomOptions> = {},
    private onFail: (room: Room) => void = () => {},
  ) {
    this.options = { ...DEFAULT_OPTIONS, ...options }
    this.awareness.setLocalState(null) // the server itself has no cursor
    const stored = store.loadDocument(boardId)
    this.lastSeq = stored.lastSeq
    this.storedSinceCompaction = stored.updates.length
    this.bytesSinceCompaction = stored.updates.reduce((sum, update) => sum + update.length, 0)
    this.snapshotBytes = stored.snapshot?.length ?? 0
    const updates = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates
    if (updates.length > 0) Y.applyUpdate(this.doc, Y.mergeUpdates(updates), PERSISTENCE)
    // A snapshot alone is the whole document, encoded: the first joiner gets it as is. (A
    // merged log would still carry the content of deleted values; that needs encoding.)
    if (stored.snapshot && stored.updates.length === 0) this.fullState = stored.snapshot
    const records = getRecordsMap(this.doc)
    const refreshLayer = (id: string) => {
      const record = getRecord(records, id)
      if (record) this.layers.set(id, record as unknown as LayerRecord)
      else this.layers.delete(id)
    }
    for (const id of records.keys()) if (isLayerId(id)) refreshLayer(id)
    records.observe((event) => {
      for (const id of event.keysChanged) if (isLayerId(id)) refreshLayer(id)
    })
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      this.fullState = null
      if (origin === PERSISTENCE) return
      this.pendingUpdates.push({ update, origin })
      this.scheduleFlush()
    })
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  /** Adds a connection; the server opens the sync by sending its state vector and who is here. */
  connect(socket: RoomSocket, role: Role, tokenHash: string, layerId: string | null = null): Connection {
    const connection: Connection = { socket, role, layerId, tokenHash, awarenessIds: new Set(), open: true }
    this.connections.add(connection)
    const encoder = encoding.createEncoder()
    encoding.writeVarUint(encoder, MessageType.Sync)
    encoding.writeVarUint(encoder, SyncStep.Step1)
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.doc))
    this.afterPendingFlush(() => {
      this.send(connection, encoding.toUint8Array(encoder))
      const present = [...this.awareness.getStates().keys()]
      if (present.length > 0) this.send(connection, awarenessMessage(this.awareness, present))
    })
    return connection
  }

  /** Handles one frame. A frame that can't be decoded closes its connection, nothing else. */
  receive(connection: Connection, frame: Uint8Array): void {
    if (!connection.open) return
    try {
      this.dispatch(connection, frame)
    } catch (error) {
      this.log.warn('malformed frame', { board: this.boardId, role: connection.role, error: String(error) })
      this.close(connection, CloseCode.MalformedMessage)
    }
  }

  disconnect(connection: Connection): void {
    if (!this.connections.delete(connection)) return
    connection.open = false
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null)
    }
  }

  /** Closes a connection with a named code and removes it from the room. */
  close(connection: Connection, code: CloseCode): void {
    this.disconnect(connection)
    try {
      connection.socket.close(code, closeCodeName(code))
    } catch {
      // the socket is gone already
    }
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
    const batch = this.pendingUpdates
    this.pendingUpdates = []
    if (batch.length > 0) {
      const merged = batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((entry) => entry.update))
      try {
        this.lastSeq = this.store.appendUpdates(this.boardId, [merged])
      } catch (error) {
        this.fail(error)
        return
      }
      this.storedSinceCompaction++
      this.bytesSinceCompaction += merged.length
      this.broadcastUpdates(batch, merged)
      this.scheduleCompaction()
    }
    if (this.pendingAwareness.size > 0) {
      const message = awarenessMessage(this.awareness, [...this.pendingAwareness])
      this.pendingAwareness.clear()
      for (const connection of this.connections) this.send(connection, message)
    }
    const waiting = this.afterFlush
    this.afterFlush = []
    for (const callback of waiting) callback()
  }

  /** Replaces the update log with one snapshot of the document. */
  compact(): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
    if (this.failed || this.storedSinceCompaction === 0) return
    this.flush()
    try {
      const snapshot = this.encodeFullState()
      this.store.compact(this.boardId, snapshot, this.lastSeq)
      this.storedSinceCompaction = 0
      this.bytesSinceCompaction = 0
      this.snapshotBytes = snapshot.length
    } catch (error) {
      // The log is still complete; compaction is retried later.
      this.log.error('compaction failed', { board: this.boardId, error: String(error) })
    }
  }

  /** Flushes, compacts and releases the room. Connections must be closed by the caller. */
  destroy(): void {
    this.compact()
    clearTimeout(this.idleTimer)
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
  }

  private dispatch(connection: Connection, frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame)
    const type = decoding.readVarUint(decoder)
    switch (type) {
      case MessageType.Sync: {
        const step = decoding.readVarUint(decoder)
        const payload = decoding.readVarUint8Array(decoder)
        expectEnd(decoder)
        if (step === SyncStep.Step1) this.answerSyncStep1(connection, payload)
        else if (step === SyncStep.Step2 || step === SyncStep.Update) this.receiveUpdate(connection, payload)
        else throw new Error(`unknown sync step ${step}`)
        return
      }
      case MessageType.Awareness: {
        const update = decoding.readVarUint8Array(decoder)
        expectEnd(decoder)
        awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection)
        return
      }
      case MessageType.QueryAwareness: {
        expectEnd(decoder)
        const present = [...this.awareness.getStates().keys()]
        this.send(connection, awarenessMessage(this.awareness, present))
        return
      }
      default:
        throw new Error(`unknown message type ${type}`)
    }
  }

  private answerSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    const knowsNothing = Y.decodeStateVector(stateVector).size === 0 // throws on garbage before we answer
    this.afterPendingFlush(() => {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MessageType.Sync)
      encoding.writeVarUint(encoder, SyncStep.Step2)
      // A crowd joining at the start of a session all know nothing: encode once for all.
      const update = knowsNothing ? this.encodeFullState() : Y.encodeStateAsUpdate(this.doc, stateVector)
      encoding.writeVarUint8Array(encoder, update)
      this.send(connection, encoding.toUint8Array(encoder))
    })
  }

  private encodeFullState(): Uint8Array {
    this.fullState ??= Y.encodeStateAsUpdate(this.doc)
    return this.fullState
  }

  private receiveUpdate(connection: Connection, update: Uint8Array): void {
    // Read-only is enforced here, where messages are read: a display's updates are
    // dropped without a word (its client never means to send any).
    if (!canWriteDocument(connection.role)) return
    const inspection = inspectUpdate(this.doc, update)
    if (!inspection.ok) {
      this.log.warn('update refused', { board: this.boardId, role: connection.role, reason: inspection.message })
      this.close(connection, inspection.reason === 'malformed' ? CloseCode.MalformedMessage : CloseCode.InvalidRecord)
      return
    }
    // Rights are checked before anything is applied: a refused update is refused whole.
    const records = getRecordsMap(this.doc)
    const verdict = checkChange(
      { role: connection.role, layerId: connection.layerId },
      {
        before: (id) => getRecord(records, id),
        layers: this.layers,
        written: inspection.written,
        values: inspection.values,
        deleted: inspection.deleted,
        metaKeys: inspection.metaKeys,
      },
    )
    if (!verdict.ok) {
      this.log.warn('update forbidden', {
        board: this.boardId,
        role: connection.role,
        record: verdict.recordId,
        reason: verdict.reason,
      })
      this.close(connection, CloseCode.Forbidden)
      return
    }
    Y.applyUpdate(this.doc, update, connection)
  }

  /**
   * One message for everyone: a connection that sent part of the batch gets its own
   * updates back too, which Yjs ignores — far cheaper than merging a batch per sender.
   */
  private broadcastUpdates(batch: { update: Uint8Array; origin: unknown }[], merged: Uint8Array): void {
    const all = updateMessage(merged)
    for (const connection of this.connections) {
      if (batch.every((entry) => entry.origin === connection)) continue // nothing new for it
      this.send(connection, all)
    }
  }

  private onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const connection = origin as Connection | null
    if (connection && this.connections.has(connection)) {
      for (const id of added) connection.awarenessIds.add(id)
      for (const id of updated) connection.awarenessIds.add(id)
      for (const id of removed) connection.awarenessIds.delete(id)
    }
    for (const id of [...added, ...updated, ...removed]) this.pendingAwareness.add(id)
    this.scheduleFlush()
  }

  private afterPendingFlush(callback: () => void): void {
    if (this.pendingUpdates.length === 0 && !this.flushScheduled) callback()
    else {
      this.afterFlush.push(callback)
      this.scheduleFlush()
    }
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return
    this.flushScheduled = true
    setImmediate(() => this.flush())
  }

  private scheduleCompaction(): void {
    const byteLimit = Math.max(this.options.compactAfterBytes, 8 * this.snapshotBytes)
    if (this.storedSinceCompaction >= this.options.compactAfterUpdates || this.bytesSinceCompaction >= byteLimit) {
      setImmediate(() => this.compact())
      return
    }
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => this.compact(), this.options.compactWhenIdleMs)
    this.idleTimer.unref()
  }

  private fail(error: unknown): void {
    this.failed = true
    this.log.error('store write failed; closing room', { board: this.boardId, error: String(error) })
    this.closeWhere(() => true, CloseCode.StoreUnavailable)
    this.onFail(this)
  }

  private send(connection: Connection, message: Uint8Array): void {
    if (!connection.open) return
    try {
      connection.socket.send(message)
    } catch (error) {
      this.log.warn('send failed', { board: this.boardId, error: String(error) })
      this.disconnect(connection)
    }
  }
}

function isLayerId(id: string): boolean {
  return id.startsWith(`${LAYER_TYPE}:`)
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Sync)
  encoding.writeVarUint(encoder, SyncStep.Update)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MessageType.Awareness)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after message')
}
