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
 * What to store and whom to send it to is decided by the transaction origin
 * (`origins.ts`); what else happens around these steps is added with hooks (`hooks.ts`).
 */
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import { getRecord, getRecordsMap, recordKind } from '../../shared/doc.ts'
import { LAYER_TYPE, type LayerRecord } from '../../shared/layers.ts'
import {
  awarenessFrame,
  CloseCode,
  closeCodeName,
  expectEnd,
  MessageType,
  readAwareness,
  readMessageType,
  readRest,
  readSync,
  SyncStep,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import type { Logger } from '../log.ts'
import type { BoardStore } from '../store/types.ts'
import { judgeUpdate } from './gate.ts'
import { HookRunner, type RoomHooks } from './hooks.ts'
import { fromConnection, isFrom, isStored, originOf } from './origins.ts'
import {
  type CompactionPolicy,
  DEFAULT_COMPACTION,
  type PendingUpdate,
  RoomPersistence,
  type StoredBatch,
} from './persistence.ts'

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

/** How a room is tuned: today, when it compacts its update log. */
export type RoomOptions = CompactionPolicy

/** What a room is given besides its board: who to tell when it fails, and its hooks. */
export interface RoomContext {
  /** Called once the room has failed (its store refused a write) and closed everyone. */
  onFail?: (room: Room) => void
  hooks?: readonly RoomHooks[]
}

/** Reads the rest of a frame of one message type, after the type, and acts on it. */
type MessageHandler = (connection: Connection, decoder: decoding.Decoder) => void

export class Room {
  readonly doc = new Y.Doc()
  readonly awareness = new awarenessProtocol.Awareness(this.doc)
  readonly connections = new Set<Connection>()
  /** Every layer record, kept current, for the rights check. */
  readonly layers = new Map<string, LayerRecord>()
  /** How long loading the board took, in milliseconds. */
  readonly loadMs: number
  private readonly persistence: RoomPersistence
  private readonly hooks: HookRunner
  private readonly onFail: (room: Room) => void
  private pendingAwareness = new Set<number>()
  private afterFlush: (() => void)[] = []
  private flushScheduled = false
  private failed = false

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
    this.persistence = new RoomPersistence(boardId, store, this.doc, { ...DEFAULT_COMPACTION, ...options })
    this.awareness.setLocalState(null) // the server itself has no cursor
    this.persistence.load()
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
    // Registered after loading: what was loaded is neither stored again nor broadcast.
    this.doc.on('update', (update: Uint8Array, rawOrigin: unknown) => {
      this.persistence.changed()
      const origin = originOf(rawOrigin)
      if (!isStored(origin)) return
      this.persistence.queue(update, origin)
      this.scheduleFlush()
    })
    this.awareness.on('update', this.onAwarenessUpdate)
    this.loadMs = performance.now() - started
    this.hooks.emit('onLoaded', { room: this, ms: this.loadMs })
  }

  /** Adds a connection; the server opens the sync by sending its state vector and who is here. */
  connect(socket: RoomSocket, role: Role, tokenHash: string, layerId: string | null = null): Connection {
    const connection: Connection = { socket, role, layerId, tokenHash, awarenessIds: new Set(), open: true }
    this.connections.add(connection)
    this.hooks.emit('onConnected', { room: this, connection })
    const step1 = syncStep1Frame(Y.encodeStateVector(this.doc))
    this.afterPendingFlush(() => {
      this.send(connection, step1)
      const present = [...this.awareness.getStates().keys()]
      if (present.length > 0) this.send(connection, this.awarenessFrameOf(present))
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
    this.hooks.emit('onDisconnected', { room: this, connection })
  }

  /** Closes a connection with a named code and removes it from the room. */
  close(connection: Connection, code: CloseCode): void {
    const wasConnected = this.connections.has(connection)
    this.disconnect(connection)
    try {
      connection.socket.close(code, closeCodeName(code))
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
    if (stored) {
      this.hooks.emit('onStored', { room: this, bytes: stored.merged.length, ms: stored.ms })
      this.broadcastUpdates(stored.batch, stored.merged)
      this.persistence.scheduleCompaction(() => this.compact())
    }
    if (this.pendingAwareness.size > 0) {
      const message = this.awarenessFrameOf([...this.pendingAwareness])
      this.pendingAwareness.clear()
      for (const connection of this.connections) this.send(connection, message)
    }
    const waiting = this.afterFlush
    this.afterFlush = []
    for (const callback of waiting) callback()
  }

  /** Replaces the update log with one snapshot of the document. */
  compact(): void {
    this.persistence.cancelCompaction()
    if (this.failed || !this.persistence.hasLog) return
    this.flush()
    this.hooks.emit('beforeCompact', { room: this })
    try {
      this.persistence.compact()
    } catch (error) {
      // The log is still complete; compaction is retried later.
      this.log.error('compaction failed', { board: this.boardId, error: String(error) })
    }
  }

  /** Flushes, compacts and releases the room. Connections must be closed by the caller. */
  destroy(): void {
    this.compact()
    this.persistence.cancelCompaction()
    this.awareness.off('update', this.onAwarenessUpdate)
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
      else this.receiveUpdate(connection, message.update)
    },
    [MessageType.Awareness]: (connection, decoder) => {
      const update = readAwareness(decoder)
      expectEnd(decoder)
      awarenessProtocol.applyAwarenessUpdate(this.awareness, update, fromConnection(connection))
    },
    [MessageType.QueryAwareness]: (connection, decoder) => {
      expectEnd(decoder)
      this.send(connection, this.awarenessFrameOf([...this.awareness.getStates().keys()]))
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
      // A crowd joining at the start of a session all know nothing: encode once for all.
      const update = knowsNothing ? this.persistence.encodeFullState() : Y.encodeStateAsUpdate(this.doc, stateVector)
      this.send(connection, syncStep2Frame(update))
    })
  }

  private receiveUpdate(connection: Connection, update: Uint8Array): void {
    const verdict = judgeUpdate(connection, update, this)
    if (verdict.action === 'ignore') return
    if (verdict.action === 'refuse') {
      this.log.warn(verdict.log, { board: this.boardId, role: connection.role, ...verdict.fields })
      this.close(connection, verdict.code)
      return
    }
    Y.applyUpdate(this.doc, update, fromConnection(connection))
    this.hooks.emit('onUpdateApplied', { room: this, connection, bytes: update.length })
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

  private afterPendingFlush(callback: () => void): void {
    if (!this.persistence.hasPending && !this.flushScheduled) callback()
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
      this.hooks.emit('onSent', { room: this, connection, bytes: message.length })
    } catch (error) {
      this.log.warn('send failed', { board: this.boardId, error: String(error) })
      this.disconnect(connection)
    }
  }
}

function isLayerId(id: string): boolean {
  return id.startsWith(`${LAYER_TYPE}:`)
}
