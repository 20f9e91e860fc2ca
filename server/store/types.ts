/**
 * Persistence for boards: metadata, capability-token hashes and each board's Yjs document
 * as a snapshot plus a log of updates. Implementations are synchronous so that the room
 * can write an update and only then broadcast it (see `Room.flush`).
 *
 * Faults a store reports rather than hides: a write that fails (disk full, a failed fsync)
 * throws, and `health()` stays unhealthy with the reason until a later write succeeds, so
 * `/healthz` tells the administrator while the rooms tell their clients to come back later.
 *
 * `registerStoreContractTests` (contract.ts) runs the same suite against every implementation.
 */
import type { LinkKind } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'

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
  /** Replaces the snapshot and drops the updates up to and including `upToSeq`. */
  compact(boardId: string, snapshot: Uint8Array, upToSeq: number): void
  /**
   * The ballots of a dot-voting round (`server/facilitator/voting.ts`): kept outside the
   * document, so that no client can read them; one row per voter.
   */
  loadBallots(boardId: string, roundId: string): BallotRow[]
  /** Replaces one voter's ballot in a round; a ballot with no votes removes the row. */
  saveBallot(boardId: string, roundId: string, ballot: BallotRow): void
  /** Removes every ballot of a round (its result is in the board once it closed). */
  deleteBallots(boardId: string, roundId: string): void
  /** Bytes stored for a board's document (snapshot + log). */
  documentBytes(boardId: string): number
  health(): StoreHealth
  close(): void
}
