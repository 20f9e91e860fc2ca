/**
 * A room's side of the store: loading the board's document, the batch of accepted updates
 * waiting for the end of the turn, writing that batch, and when to compact the update log
 * into one snapshot. The room decides when (it calls `storePending` at the end of a turn,
 * before it broadcasts anything); this file knows how, and keeps the counters that drive
 * compaction.
 *
 * Why the batch: every update of one event-loop turn is merged and written in one store
 * call (one SQLite transaction), and only after that call returns is any of it sent to
 * anyone. So nothing a client has seen is missing from the store, and a busy room pays
 * one write per turn instead of one per update.
 *
 * Compaction moves the snapshot a room loads from; the rows stay as the board's history
 * (`server/history/`). Every `checkpointEveryRows` rows, and when the room is released with
 * rows since the last one, the snapshot is kept as a checkpoint too, so that the board at
 * any moment is a checkpoint and at most that many rows of replay away.
 *
 * Why the full-state cache: a crowd that joins at the start of a session all know nothing,
 * and encoding the whole document once for all of them is what keeps a cold join cheap. The
 * cache is the document as of one moment (its base: an encoding, or the stored snapshot),
 * framed once, plus every update since. A joiner who knows nothing gets all of it as
 * Updates — the base, then the updates since, merged and framed in parts (each joiner
 * merges only what came after the last one) — and then an empty SyncStep2, which tells its
 * client it is synced; together they are the document [1]. So no joiner pays for encoding
 * the whole document after a change, and none is sent a copy of it made for them. Once the
 * updates since outgrow a quarter of the base, the document is encoded afresh, off any
 * joiner's path (an immediate), as compaction does anyway.
 *
 * Faults:
 * - A stored row that does not decode is skipped, named in `LoadResult.unreadable`, and
 *   the board is read-only from then on: this file never writes to it again (no batch, no
 *   compaction), so the bytes an administrator may rescue stay as they were.
 * - An update that threw while it was applied is taken out of the batch (`dropSince`), and
 *   the room reloads its document (`load` again): the store and the batch still hold
 *   exactly what the room accepted.
 * - Durability: `wal` (default) broadcasts once the batch is committed to the WAL, which a
 *   killed process keeps; `strict` broadcasts only once that commit is fsynced (`durable`),
 *   which a power cut keeps too.
 */
import * as Y from 'yjs'
import { SyncStep, syncFrame, syncStep2Frame } from '../../shared/protocol.ts'
import type { BoardStore, ClientOwner } from '../store/types.ts'
import { type Origin, PERSISTENCE } from './origins.ts'

export interface CompactionPolicy {
  /** Compact the update log after this many stored writes (one per busy turn)… */
  compactAfterUpdates: number
  /** …or once the log outgrows this many bytes (or eight snapshots, if that is more)… */
  compactAfterBytes: number
  /** …or after the room has been quiet for this long. */
  compactWhenIdleMs: number
  /** A compaction keeps its snapshot as a history checkpoint once this many rows came since the last. */
  checkpointEveryRows: number
}

export const DEFAULT_COMPACTION: CompactionPolicy = {
  compactAfterUpdates: 1000,
  compactAfterBytes: 1024 * 1024,
  compactWhenIdleMs: 10_000,
  // A seek replays at most this many rows after its checkpoint: ~15 ms for 2,000 (bench/history.ts).
  checkpointEveryRows: 2000,
}

/**
 * When peers see an update: `wal` once it is committed (survives a killed process; a power
 * cut can take the last milliseconds, which the authors' browsers send again), `strict`
 * once it is fsynced too (survives a power cut; costs the fsync's latency).
 */
export type Durability = 'wal' | 'strict'
export const DURABILITIES: readonly Durability[] = ['wal', 'strict']
export const DEFAULT_DURABILITY: Durability = 'wal'

/** What loading found: the document, and the stored rows that could not be read (empty when all could). */
export interface LoadResult {
  /** The document given to `load`, or a fresh one when a row was broken. */
  readonly doc: Y.Doc
  readonly unreadable: readonly { readonly row: string; readonly error: string }[]
}

export interface PendingUpdate {
  readonly update: Uint8Array
  readonly origin: Origin
}

/** A batch the store has accepted: what it held, merged as it was written. */
export interface StoredBatch {
  readonly batch: readonly PendingUpdate[]
  readonly merged: Uint8Array
  /** How long the store took to write it. */
  readonly ms: number
}

/** An update and its Update frame: `update` is a view into `frame`. */
interface FramedUpdate {
  readonly frame: Uint8Array
  readonly update: Uint8Array
}

function framed(update: Uint8Array): FramedUpdate {
  const frame = syncFrame(SyncStep.Update, update)
  return { frame, update: frame.subarray(frame.length - update.length) }
}

/** The document as of one moment, framed once, and what changed since (see the header). */
interface FullState {
  /** The whole document as one update: an encoding, or the stored snapshot. */
  update: Uint8Array
  /** `update` as an Update frame, made by the first joiner who needs it; `update` is then a view into it. */
  frame: Uint8Array | null
  /** The updates since `update` that a joiner has asked for, merged into Update frames. */
  sinceParts: FramedUpdate[]
  /** The updates since then, not framed yet. */
  since: Uint8Array[]
  /** Bytes of both. */
  sinceBytes: number
}

/** The updates since the base are encoded into a fresh base once they outgrow this share of it… */
const REBASE_SHARE = 1 / 4
/** …or this many bytes, if that is more. */
const REBASE_MIN_BYTES = 64 * 1024
/** The framed parts of the updates since the base are merged into one past this many. */
const MAX_SINCE_FRAMES = 8
/** An update that changes nothing. */
const NO_CHANGES = Y.encodeStateAsUpdate(new Y.Doc())
/** The last frame of the answer: everything was sent before it (see the header). */
const SYNCED = syncStep2Frame(NO_CHANGES)

/**
 * Applies stored rows to `doc`, row by row in one transaction: Yjs integrates each as it comes
 * and keeps what waits on a later row pending. `Y.mergeUpdates` of the rows first cost 5× as
 * much (a log of 3,000 rows: 345 ms against 64, `npx tsx bench/load-log.ts`): it writes every
 * string again.
 */
function applyRows(doc: Y.Doc, rows: readonly Uint8Array[]): void {
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row, PERSISTENCE)
  }, PERSISTENCE)
}

export class RoomPersistence {
  private pending: PendingUpdate[] = []
  private lastSeq = 0
  private storedSinceCompaction = 0
  private bytesSinceCompaction = 0
  private snapshotBytes = 0
  /** Rows stored since the history's last checkpoint. */
  private rowsSinceCheckpoint = 0
  /** The whole document, for people who join with nothing (see the header); null until one is needed. */
  private fullState: FullState | null = null
  private rebaseTimer: NodeJS.Immediate | undefined
  private idleTimer: NodeJS.Timeout | undefined
  /** Client ids the batch introduces, with the secret that did: stored with the batch. */
  private pendingOwners: ClientOwner[] = []
  private doc = new Y.Doc()
  /** Set once a stored row could not be read: nothing is written for this board any more. */
  private readOnly = false

  constructor(
    private readonly boardId: string,
    private readonly store: BoardStore,
    private readonly policy: CompactionPolicy,
  ) {}

  /**
   * Applies the stored snapshot and log to `doc`, then the batch still waiting for the end
   * of the turn, all as `persistence` (never stored again: the batch is stored as it is).
   * A row that does not decode is left out and reported; the board is read-only then, and
   * the document is a fresh one (`LoadResult.doc`): `doc` may hold part of the broken row.
   */
  load(doc: Y.Doc): LoadResult {
    this.dropFullState()
    const stored = this.store.loadDocument(this.boardId)
    this.lastSeq = stored.lastSeq
    this.storedSinceCompaction = stored.updates.length
    this.bytesSinceCompaction = stored.updates.reduce((sum, update) => sum + update.length, 0)
    this.snapshotBytes = stored.snapshot?.length ?? 0
    const lastCheckpoint = this.store.listCheckpoints(this.boardId).at(-1)?.seq ?? 0
    this.rowsSinceCheckpoint = this.store.historySince(this.boardId, lastCheckpoint).rows
    const rows = stored.updates.map((bytes, i) => ({ row: `update ${i + 1} of ${stored.updates.length}`, bytes }))
    if (stored.snapshot) rows.unshift({ row: 'snapshot', bytes: stored.snapshot })
    let unreadable: LoadResult['unreadable'] = []
    this.doc = doc
    try {
      // [2] Applying reads every struct and the delete set of a row, as decoding does, and
      // throws where decoding would: a board whose rows are sound is read only once.
      applyRows(
        doc,
        rows.map(({ bytes }) => bytes),
      )
    } catch {
      this.doc = new Y.Doc()
      unreadable = this.applyReadable(rows)
    }
    for (const entry of this.pending) Y.applyUpdate(this.doc, entry.update, PERSISTENCE)
    if (unreadable.length > 0) {
      this.readOnly = true
      this.cancelCompaction()
    }
    // The stored snapshot is the base, as is; the log and the batch are what came since
    // (a short log is sent as it is, a long one is encoded with the snapshot, `changed`).
    else {
      this.fullState = this.baseOf(stored.snapshot ?? NO_CHANGES)
      for (const update of stored.updates) this.changed(update)
      for (const entry of this.pending) this.changed(entry.update)
    }
    return { doc: this.doc, unreadable }
  }

  /** A row is broken: each is decoded alone, to name those that are, and the rest applied. */
  private applyReadable(rows: readonly { row: string; bytes: Uint8Array }[]): LoadResult['unreadable'] {
    const readable: Uint8Array[] = []
    const unreadable: { row: string; error: string }[] = []
    for (const { row, bytes } of rows) {
      try {
        Y.decodeUpdate(bytes) // reads every struct and the delete set; throws on broken bytes
        readable.push(bytes)
      } catch (error) {
        unreadable.push({ row, error: String(error) })
      }
    }
    try {
      applyRows(this.doc, readable)
    } catch (error) {
      unreadable.push({ row: 'the rows together', error: String(error) })
    }
    return unreadable
  }

  get isReadOnly(): boolean {
    return this.readOnly
  }

  /** The document took `update` (from anywhere): it goes with the cached full state. */
  changed(update: Uint8Array): void {
    const state = this.fullState
    if (!state) return
    state.since.push(update)
    state.sinceBytes += update.length
    if (state.sinceBytes <= Math.max(REBASE_MIN_BYTES, REBASE_SHARE * state.update.length)) return
    // Encoded afresh only for a board people join (its base was sent): one nobody joins,
    // however busy, pays no full encode, and its next joiner encodes once, as before.
    if (!state.frame) {
      this.dropFullState()
      return
    }
    this.rebaseTimer ??= setImmediate(() => {
      this.rebaseTimer = undefined
      this.encodeFullState()
    })
  }

  /** Queues an applied update for the end of the turn. */
  queue(update: Uint8Array, origin: Origin): void {
    this.pending.push({ update, origin })
  }

  /** Queues client ids an applied update introduced, for the same write as the update. */
  claim(owners: readonly ClientOwner[]): void {
    this.pendingOwners.push(...owners)
  }

  get hasPending(): boolean {
    return this.pending.length > 0
  }

  /** Where the batch ends now, to take back what is queued after it (`dropSince`). */
  mark(): number {
    return this.pending.length
  }

  /** Takes out of the batch what was queued since `mark` (an update that threw part-way). */
  dropSince(mark: number): void {
    this.pending.length = Math.min(this.pending.length, mark)
  }

  /** Resolves once every batch stored so far is fsynced (see `Durability`). */
  durable(): Promise<void> {
    return this.store.durable()
  }

  /**
   * Takes the queued batch and writes it, merged, in one store call. Returns null if
   * nothing was queued; throws if the store refuses (the batch is dropped: the room fails).
   */
  storePending(): StoredBatch | null {
    const batch = this.pending
    this.pending = []
    const owners = this.pendingOwners
    this.pendingOwners = []
    if (batch.length === 0) {
      // Ids reserved for the browsers that announced them (`identity.ts`), with no update.
      if (owners.length > 0) this.store.appendUpdates(this.boardId, [], owners)
      return null
    }
    const merged = batch.length === 1 ? batch[0].update : Y.mergeUpdates(batch.map((entry) => entry.update))
    const started = performance.now()
    this.lastSeq = this.store.appendUpdates(this.boardId, [merged], owners)
    const ms = performance.now() - started
    this.storedSinceCompaction++
    this.rowsSinceCheckpoint++
    this.bytesSinceCompaction += merged.length
    return { batch, merged, ms }
  }

  /**
   * The whole document as one update, for a snapshot: the base if nothing came since, else
   * encoded afresh (which is the base from then on).
   */
  encodeFullState(): Uint8Array {
    if (this.fullState?.sinceBytes !== 0) this.fullState = this.baseOf(Y.encodeStateAsUpdate(this.doc))
    return this.fullState.update
  }

  /**
   * What a joiner who knows nothing is sent, in this order: the base and what came since
   * as Updates, then an empty SyncStep2 (see the header). Frames made once, for every joiner.
   */
  fullStateAnswer(): readonly Uint8Array[] {
    this.fullState ??= this.baseOf(Y.encodeStateAsUpdate(this.doc))
    const state = this.fullState
    if (!state.frame) ({ frame: state.frame, update: state.update } = framed(state.update))
    if (state.since.length > 0) {
      state.sinceParts.push(framed(Y.mergeUpdates(state.since)))
      state.since = []
    }
    if (state.sinceParts.length > MAX_SINCE_FRAMES)
      state.sinceParts = [framed(Y.mergeUpdates(state.sinceParts.map((part) => part.update)))]
    return [state.frame, ...state.sinceParts.map((part) => part.frame), SYNCED]
  }

  /** A new base (what was scheduled to make one is moot). */
  private baseOf(update: Uint8Array): FullState {
    this.dropFullState()
    return { update, frame: null, sinceParts: [], since: [], sinceBytes: 0 }
  }

  private dropFullState(): void {
    clearImmediate(this.rebaseTimer)
    this.rebaseTimer = undefined
    this.fullState = null
  }

  /** Whether anything was stored since the last snapshot, i.e. whether compacting would change anything. */
  get hasLog(): boolean {
    return this.storedSinceCompaction > 0 && !this.readOnly
  }

  /**
   * After a write: calls `compact` soon if the log is long enough, else once the room has
   * been quiet for the policy's idle time.
   */
  scheduleCompaction(compact: () => void): void {
    if (this.readOnly) return
    const byteLimit = Math.max(this.policy.compactAfterBytes, 8 * this.snapshotBytes)
    if (this.storedSinceCompaction >= this.policy.compactAfterUpdates || this.bytesSinceCompaction >= byteLimit) {
      setImmediate(compact)
      return
    }
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(compact, this.policy.compactWhenIdleMs)
    this.idleTimer.unref()
  }

  cancelCompaction(): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = undefined
  }

  /** The room is released: nothing more is scheduled, and the cached state is let go. */
  release(): void {
    this.cancelCompaction()
    this.dropFullState()
  }

  /**
   * Moves the snapshot to the document as it is now (when anything was stored since the
   * last), keeping it as a checkpoint when enough rows came since the last one, or, with
   * `final` (the room is released), when any did. Throws if the store does.
   */
  compact(final = false): void {
    if (this.readOnly) return
    const checkpoint =
      this.rowsSinceCheckpoint >= this.policy.checkpointEveryRows || (final && this.rowsSinceCheckpoint > 0)
    if (this.storedSinceCompaction === 0 && !checkpoint) return
    const snapshot = this.encodeFullState()
    if (this.storedSinceCompaction === 0) this.store.addCheckpoint(this.boardId, this.lastSeq, snapshot)
    else this.store.compact(this.boardId, snapshot, this.lastSeq, { checkpoint })
    this.storedSinceCompaction = 0
    this.bytesSinceCompaction = 0
    this.snapshotBytes = snapshot.length
    if (checkpoint) this.rowsSinceCheckpoint = 0
  }

  /** Whether a final compaction would write anything: a log, or rows since the last checkpoint. */
  get hasUncheckpointed(): boolean {
    return !this.readOnly && (this.storedSinceCompaction > 0 || this.rowsSinceCheckpoint > 0)
  }
}

// [2] Yjs reads all of an update's structs before it integrates any, and its delete set
//     after: a row broken there leaves `doc` with the row's structs, so the rows are read
//     again, one by one, into a fresh document, exactly as if each had been decoded first.
// [1] A SyncStep2 tells a y-websocket client it is synced (its provider's `synced`, which
//     Stip's client waits for before it reads the board), so it comes last and empty: by
//     then the client has applied every Update before it, in order on the one socket. The
//     frames are prepared at the end of a turn, when the document is exactly what is stored
//     (room.ts); a frame, once made, is never written to, so a delivery that waits for its
//     fsync (`strict`) sends what was prepared.
