/**
 * Persistence for boards: metadata, capability-token hashes and each board's Yjs document
 * as a snapshot plus a log of updates. Implementations are synchronous so that the room
 * can write an update and only then broadcast it (see `Room.flush`).
 *
 * Faults a store reports rather than hides: a write that fails (disk full, a failed fsync)
 * throws, and `health()` stays unhealthy with the reason until a later write succeeds, so
 * `/healthz` tells the administrator while the rooms tell their clients to come back later.
 *
 * History: compaction no longer deletes the update log. `compact` moves the snapshot the
 * board loads from; the rows stay, each with the wall-clock time it was stored (`at`), as
 * the board's history, with checkpoints (full states at intervals) so that the board at any
 * moment is the nearest checkpoint plus a short replay (`server/history/`). Retention
 * (`pruneHistory`) thins old history to daily checkpoints. Versions are full states too,
 * saved by name, automatically, or before a restore.
 *
 * Erasure (`eraseBoard`) removes every row of a board; the audit log records that it
 * happened (time, who, what kind of action), never what the board held.
 *
 * `registerStoreContractTests` (contract.ts) runs the same suite against every implementation.
 */
import type { LinkKind } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import type { AuditAction, AuditActor, AutoTrigger, VersionKind } from '../../shared/versions.ts'

export interface BoardRow {
  id: string
  name: string
  /** ISO 8601. */
  created: string
}

/** What a capability token grants: a role, and for a scoped link the layer it may write. */
export interface TokenGrant {
  role: Role
  layerId: string | null
}

/** A capability link as a facilitator may see it: never its token, never the token's hash. */
export interface LinkRow {
  /** Random, 32 hex characters; names the link in the API instead of its token. */
  id: string
  kind: LinkKind
  role: Role
  layerId: string | null
  /** ISO 8601. Links stored before links had times carry their board's creation time. */
  created: string
}

export interface StoredDocument {
  /** The compacted document (a Yjs update), or null when never compacted. */
  snapshot: Uint8Array | null
  /** Updates since the snapshot, in the order they were accepted. */
  updates: Uint8Array[]
  /** Sequence number of the last update, to compact up to it later. */
  lastSeq: number
}

/** A Yjs client id on a board and the hash of the browser secret that introduced it. */
export interface ClientOwner {
  client: number
  secretHash: string
}

/** A saved version of a board, without its state. */
export interface VersionRow {
  /** Random, 32 hex characters. */
  id: string
  name: string
  kind: VersionKind
  /** For `auto`: why it was saved; else null. */
  trigger: AutoTrigger | null
  /** ISO 8601. */
  created: string
  /** The role whose request saved it; null when Stip saved it by itself. */
  createdByRole: Role | null
  /** Bytes of its state. */
  bytes: number
}

/** What a version is saved with; `created` defaults to now. */
export interface NewVersion {
  name: string
  kind: VersionKind
  trigger?: AutoTrigger | null
  createdByRole: Role | null
  /** The whole document, `Y.encodeStateAsUpdate` of a garbage-collected doc. */
  state: Uint8Array
  created?: string
}

/** One stored update of the history, with the wall-clock time it was stored. */
export interface HistoryRow {
  seq: number
  /** Milliseconds since the epoch. */
  at: number
  update: Uint8Array
}

/** The whole document as it was after the row `seq` (0: before the first row kept). */
export interface Checkpoint {
  seq: number
  /** The time of that row (ms since the epoch). */
  at: number
  state: Uint8Array
}

/** Bytes a board takes, by part, for the administrator. */
export interface BoardStorage {
  /** Snapshot plus the rows after it: what a room loads. */
  document: number
  /** Every row of the update log still kept, the loaded ones included. */
  history: number
  checkpoints: number
  versions: number
  total: number
}

/** One line of the audit log. Never a token, a hash, or anything a board held. */
export interface AuditRow {
  /** ISO 8601. */
  at: string
  action: AuditAction
  actor: AuditActor
  boardId: string | null
}

/** One person's votes in a dot-voting round: item id → votes (`shared/voting.ts`). */
export interface BallotRow {
  /** The voter's browser identity: the hash of the browser secret (`server/room/identity.ts`). */
  voter: string
  votes: Record<string, number>
}

export interface StoreHealth {
  ok: boolean
  detail: string
}

export interface BoardStore {
  /**
   * Creates a board with one token hash per role and, if given, its first document update,
   * all in one transaction: if any of it fails, there is no board. Throws if the id exists.
   */
  createBoard(board: BoardRow, tokenHashes: Record<Role, string>, firstUpdate?: Uint8Array): void
  getBoard(id: string): BoardRow | undefined
  /** What a token hash grants on a board, if anything. */
  findToken(boardId: string, tokenHash: string): TokenGrant | undefined
  /** Replaces the token hash of a role's main link (rotation): the old one stops working. */
  replaceToken(boardId: string, role: Role, tokenHash: string): void
  /** What a token hash grants on whichever board has it (short join links name no board). */
  findTokenAnywhere(tokenHash: string): (TokenGrant & { boardId: string }) | undefined
  /** Adds a link scoped to a layer (the main links stay as they are); `kind` says which. */
  addScopedToken(
    boardId: string,
    role: Role,
    layerId: string,
    tokenHash: string,
    kind?: Exclude<LinkKind, 'main'>,
  ): LinkRow
  /** Every link of a board, main links included, oldest first. */
  listLinks(boardId: string): LinkRow[]
  /**
   * Revokes a scoped or join link: its token stops at once. Returns the token's hash, so the
   * caller can close the sockets opened with it; undefined when the board has no such link.
   * Main links are never revoked (a board keeps one per role): they are rotated.
   */
  revokeLink(boardId: string, linkId: string): string | undefined
  loadDocument(boardId: string): StoredDocument
  /**
   * Appends updates in one transaction; returns the last sequence number. The commit
   * survives a killed process at once; `durable()` says when it survives a power cut too.
   * `owners`: client ids these updates introduce, recorded in the same transaction, so an
   * id is owned exactly when the update that introduced it is stored.
   */
  appendUpdates(boardId: string, updates: Uint8Array[], owners?: readonly ClientOwner[]): number
  /** Which browser secret (hash) introduced each Yjs client id on a board (see `server/room/identity.ts`). */
  loadClientOwners(boardId: string): ClientOwner[]
  /**
   * Resolves once everything committed before the call is on disk (fsynced); rejects if
   * that fsync failed. The strict durability mode broadcasts only after it.
   */
  durable(): Promise<void>
  /**
   * Replaces the snapshot the board loads from with one covering the updates up to and
   * including `upToSeq`. The updates stay as history (see the header). With `checkpoint`,
   * the snapshot is also kept as a checkpoint of the history at `upToSeq`.
   */
  compact(boardId: string, snapshot: Uint8Array, upToSeq: number, options?: { checkpoint?: boolean }): void
  /**
   * The ballots of a dot-voting round (`server/facilitator/voting.ts`): kept outside the
   * document, so that no client can read them; one row per voter.
   */
  loadBallots(boardId: string, roundId: string): BallotRow[]
  /** Replaces one voter's ballot in a round; a ballot with no votes removes the row. */
  saveBallot(boardId: string, roundId: string, ballot: BallotRow): void
  /** Removes every ballot of a round (its result is in the board once it closed). */
  deleteBallots(boardId: string, roundId: string): void
  /** Bytes stored for a board's document: the snapshot and the updates after it. */
  documentBytes(boardId: string): number

  /** Every board, oldest first. */
  listBoards(): BoardRow[]
  /** Time (ms) of the board's last stored update, or null if it has none. */
  lastActivity(boardId: string): number | null
  /** What the board takes on disk, by part. */
  storageOf(boardId: string): BoardStorage

  saveVersion(boardId: string, version: NewVersion): VersionRow
  /** A board's versions, oldest first. */
  listVersions(boardId: string): VersionRow[]
  loadVersion(boardId: string, versionId: string): { row: VersionRow; state: Uint8Array } | undefined
  /** Deletes one version; false when the board has none with this id. */
  deleteVersion(boardId: string, versionId: string): boolean

  /** The history's extent: rows kept, the first and last row's time, checkpoints kept. */
  historyInfo(boardId: string): {
    rows: number
    firstAt: number | null
    lastAt: number | null
    lastSeq: number
    checkpoints: number
  }
  /** The last row stored at or before `at` (ms): its seq, or 0 when there is none. */
  seqAt(boardId: string, at: number): number
  /** The latest checkpoint at or before row `seq`. */
  checkpointAtOrBefore(boardId: string, seq: number): Checkpoint | undefined
  /** Checkpoints' seq and time, oldest first, without their states. */
  listCheckpoints(boardId: string): { seq: number; at: number; bytes: number }[]
  /** Adds a checkpoint (the state after row `seq`, at that row's time). */
  addCheckpoint(boardId: string, seq: number, state: Uint8Array): void
  /** Rows after `afterSeq` up to and including `upToSeq`, in order. */
  historyRows(boardId: string, afterSeq: number, upToSeq: number): HistoryRow[]
  /** Every row's seq and time, in order, without the updates (the replay's timeline). */
  historyTimes(boardId: string): { seq: number; at: number }[]
  /** Rows kept since `afterSeq`: how many and their bytes. */
  historySince(boardId: string, afterSeq: number): { rows: number; bytes: number }
  /**
   * Forgets history before row `beforeSeq`: the rows with a smaller seq that the snapshot
   * already covers, and the checkpoints with a smaller seq except those in `keep`.
   */
  pruneHistory(boardId: string, beforeSeq: number, keep: readonly number[]): void

  /** Removes the board and every row of it (links, owners, document, history, versions, ballots). */
  eraseBoard(boardId: string): boolean
  appendAudit(entry: { action: AuditAction; actor: AuditActor; boardId: string | null }): void
  /** The audit log, newest first, at most `limit` lines. */
  listAudit(limit: number): AuditRow[]
  health(): StoreHealth
  close(): void
}
