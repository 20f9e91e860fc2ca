/**
 * A `BoardStore` in memory, for tests and for benchmarking what durability costs. It can be
 * given a space limit (`limitSpace`), so the contract suite runs the full-disk behaviour
 * against it as against SQLite: a write that does not fit throws, changes nothing, and
 * leaves the store unhealthy until a write succeeds. Its space counts everything it holds:
 * the document, the history, checkpoints and versions.
 */
import type { LinkKind } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import type { AuditAction, AuditActor } from '../../shared/versions.ts'
import { newLinkId } from './links.ts'
import type {
  AuditRow,
  BallotRow,
  BoardRow,
  BoardStorage,
  BoardStore,
  Checkpoint,
  ClientOwner,
  HistoryRow,
  LinkRow,
  NewVersion,
  StoredDocument,
  StoreHealth,
  TokenGrant,
  VersionRow,
} from './types.ts'

interface MemoryBoard {
  row: BoardRow
  /** Every link, main links included, oldest first, each with its token's hash. */
  links: (LinkRow & { hash: string })[]
  snapshot: Uint8Array | null
  /** The row the snapshot covers: the document is the snapshot and the rows after it. */
  snapshotSeq: number
  /** Every row kept: the document's and the history's. */
  updates: HistoryRow[]
  checkpoints: Checkpoint[]
  versions: { row: VersionRow; state: Uint8Array }[]
  /** Client id → hash of the browser secret that introduced it. */
  owners: Map<number, string>
  /** Round id → voter → votes. */
  ballots: Map<string, Map<string, Record<string, number>>>
}

export class MemoryStore implements BoardStore {
  private boards = new Map<string, MemoryBoard>()
  /** Bytes the store may hold; null: no limit. */
  private capacity: number | null = null
  private lastError: string | null = null
  /** One sequence for every board, as SQLite's. */
  private seq = 0
  private audit: AuditRow[] = []

  /** `now`: the clock rows are stamped with (ms); the tests give their own. */
  constructor(private readonly now: () => number = Date.now) {}

  createBoard(board: BoardRow, tokenHashes: Record<Role, string>, firstUpdate?: Uint8Array): void {
    if (this.boards.has(board.id)) throw new Error(`Board ${board.id} exists`)
    // Checked before anything is added: all of the board, or none of it.
    this.reserve(firstUpdate?.length ?? 0)
    this.boards.set(board.id, {
      row: { ...board },
      links: (Object.entries(tokenHashes) as [Role, string][]).map(([role, hash]) =>
        link('main', role, null, hash, board.created),
      ),
      snapshot: null,
      snapshotSeq: 0,
      updates: firstUpdate ? [{ seq: ++this.seq, at: this.now(), update: firstUpdate.slice() }] : [],
      checkpoints: [],
      versions: [],
      owners: new Map(),
      ballots: new Map(),
    })
  }

  getBoard(id: string): BoardRow | undefined {
    const board = this.boards.get(id)
    return board && { ...board.row }
  }

  findToken(boardId: string, tokenHash: string): TokenGrant | undefined {
    const found = this.boards.get(boardId)?.links.find((link) => link.hash === tokenHash)
    return found && { role: found.role, layerId: found.layerId }
  }

  findTokenAnywhere(tokenHash: string): (TokenGrant & { boardId: string }) | undefined {
    for (const boardId of this.boards.keys()) {
      const grant = this.findToken(boardId, tokenHash)
      if (grant) return { ...grant, boardId }
    }
    return undefined
  }

  replaceToken(boardId: string, role: Role, tokenHash: string): void {
    const board = this.require(boardId)
    const main = (entry: LinkRow) => entry.kind === 'main' && entry.role === role
    board.links = board.links.filter((entry) => !main(entry))
    board.links.push(link('main', role, null, tokenHash, new Date().toISOString()))
  }

  addScopedToken(
    boardId: string,
    role: Role,
    layerId: string,
    tokenHash: string,
    kind: Exclude<LinkKind, 'main'> = 'scoped',
  ): LinkRow {
    const entry = link(kind, role, layerId, tokenHash, new Date().toISOString())
    this.require(boardId).links.push(entry)
    return rowOf(entry)
  }

  listLinks(boardId: string): LinkRow[] {
    return (this.boards.get(boardId)?.links ?? []).map(rowOf)
  }

  revokeLink(boardId: string, linkId: string): string | undefined {
    const board = this.boards.get(boardId)
    const found = board?.links.find((entry) => entry.id === linkId && entry.kind !== 'main')
    if (!board || !found) return undefined
    board.links = board.links.filter((entry) => entry !== found)
    return found.hash
  }

  loadDocument(boardId: string): StoredDocument {
    const board = this.boards.get(boardId)
    if (!board) return { snapshot: null, updates: [], lastSeq: 0 }
    const updates = board.updates.filter((u) => u.seq > board.snapshotSeq)
    return {
      snapshot: board.snapshot,
      updates: updates.map((u) => u.update),
      lastSeq: updates.at(-1)?.seq ?? board.snapshotSeq,
    }
  }

  appendUpdates(boardId: string, updates: Uint8Array[], owners: readonly ClientOwner[] = []): number {
    const board = this.require(boardId)
    this.reserve(updates.reduce((sum, update) => sum + update.length, 0))
    const at = this.now()
    for (const update of updates) board.updates.push({ seq: ++this.seq, at, update: update.slice() })
    for (const { client, secretHash } of owners) if (!board.owners.has(client)) board.owners.set(client, secretHash)
    return board.updates.at(-1)?.seq ?? 0
  }

  loadClientOwners(boardId: string): ClientOwner[] {
    const owners = this.boards.get(boardId)?.owners ?? new Map<number, string>()
    return [...owners].map(([client, secretHash]) => ({ client, secretHash }))
  }

  loadBallots(boardId: string, roundId: string): BallotRow[] {
    const round = this.boards.get(boardId)?.ballots.get(roundId) ?? new Map()
    return [...round]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([voter, votes]) => ({ voter, votes: { ...votes } }))
  }

  saveBallot(boardId: string, roundId: string, { voter, votes }: BallotRow): void {
    const board = this.boards.get(boardId)
    if (!board) throw new Error(`Board ${boardId} does not exist`)
    let round = board.ballots.get(roundId)
    if (!round) {
      round = new Map()
      board.ballots.set(roundId, round)
    }
    if (Object.keys(votes).length === 0) round.delete(voter)
    else round.set(voter, { ...votes })
  }

  deleteBallots(boardId: string, roundId: string): void {
    this.boards.get(boardId)?.ballots.delete(roundId)
  }

  /** Memory needs no fsync: what is committed is as durable as it gets. */
  durable(): Promise<void> {
    return Promise.resolve()
  }

  /** Caps the documents at their current size plus `extraBytes`; null lifts the cap. */
  limitSpace(extraBytes: number | null): void {
    this.capacity = extraBytes === null ? null : this.totalBytes() + extraBytes
  }

  compact(boardId: string, snapshot: Uint8Array, upToSeq: number, options: { checkpoint?: boolean } = {}): void {
    const board = this.require(boardId)
    this.reserve(snapshot.length - (board.snapshot?.length ?? 0) + (options.checkpoint ? snapshot.length : 0))
    board.snapshot = snapshot.slice()
    board.snapshotSeq = upToSeq
    if (options.checkpoint) this.putCheckpoint(board, upToSeq, snapshot)
  }

  documentBytes(boardId: string): number {
    const board = this.boards.get(boardId)
    if (!board) return 0
    return (board.snapshot?.length ?? 0) + sumOf(board.updates.filter((u) => u.seq > board.snapshotSeq))
  }

  listBoards(): BoardRow[] {
    return [...this.boards.values()].map((board) => ({ ...board.row }))
  }

  lastActivity(boardId: string): number | null {
    const updates = this.boards.get(boardId)?.updates ?? []
    return updates.length === 0 ? null : Math.max(...updates.map((u) => u.at))
  }

  storageOf(boardId: string): BoardStorage {
    const board = this.boards.get(boardId)
    if (!board) return { document: 0, history: 0, checkpoints: 0, versions: 0, total: 0 }
    const history = sumOf(board.updates)
    const checkpoints = board.checkpoints.reduce((sum, c) => sum + c.state.length, 0)
    const versions = board.versions.reduce((sum, v) => sum + v.state.length, 0)
    const snapshot = board.snapshot?.length ?? 0
    return {
      document: this.documentBytes(boardId),
      history,
      checkpoints,
      versions,
      total: snapshot + history + checkpoints + versions,
    }
  }

  saveVersion(boardId: string, version: NewVersion): VersionRow {
    const board = this.require(boardId)
    this.reserve(version.state.length)
    const row: VersionRow = {
      id: newLinkId(),
      name: version.name,
      kind: version.kind,
      trigger: version.trigger ?? null,
      created: version.created ?? new Date(this.now()).toISOString(),
      createdByRole: version.createdByRole,
      bytes: version.state.length,
    }
    board.versions.push({ row, state: version.state.slice() })
    board.versions.sort((a, b) => (a.row.created < b.row.created ? -1 : a.row.created > b.row.created ? 1 : 0))
    return { ...row }
  }

  listVersions(boardId: string): VersionRow[] {
    return (this.boards.get(boardId)?.versions ?? []).map((v) => ({ ...v.row }))
  }

  loadVersion(boardId: string, versionId: string): { row: VersionRow; state: Uint8Array } | undefined {
    const found = this.boards.get(boardId)?.versions.find((v) => v.row.id === versionId)
    return found && { row: { ...found.row }, state: found.state.slice() }
  }

  deleteVersion(boardId: string, versionId: string): boolean {
    const board = this.boards.get(boardId)
    if (!board) return false
    const before = board.versions.length
    board.versions = board.versions.filter((v) => v.row.id !== versionId)
    return board.versions.length < before
  }

  historyInfo(boardId: string) {
    const board = this.boards.get(boardId)
    const updates = board?.updates ?? []
    return {
      rows: updates.length,
      firstAt: updates.length === 0 ? null : Math.min(...updates.map((u) => u.at)),
      lastAt: this.lastActivity(boardId),
      lastSeq: updates.at(-1)?.seq ?? 0,
      checkpoints: board?.checkpoints.length ?? 0,
    }
  }

  seqAt(boardId: string, at: number): number {
    let seq = 0
    for (const u of this.boards.get(boardId)?.updates ?? []) if (u.at <= at) seq = Math.max(seq, u.seq)
    return seq
  }

  checkpointAtOrBefore(boardId: string, seq: number): Checkpoint | undefined {
    const found = (this.boards.get(boardId)?.checkpoints ?? []).filter((c) => c.seq <= seq).at(-1)
    return found && { ...found, state: found.state.slice() }
  }

  listCheckpoints(boardId: string): { seq: number; at: number; bytes: number }[] {
    return (this.boards.get(boardId)?.checkpoints ?? []).map((c) => ({ seq: c.seq, at: c.at, bytes: c.state.length }))
  }

  addCheckpoint(boardId: string, seq: number, state: Uint8Array): void {
    const board = this.require(boardId)
    this.reserve(state.length)
    this.putCheckpoint(board, seq, state)
  }

  historyRows(boardId: string, afterSeq: number, upToSeq: number): HistoryRow[] {
    return (this.boards.get(boardId)?.updates ?? [])
      .filter((u) => u.seq > afterSeq && u.seq <= upToSeq)
      .map((u) => ({ ...u, update: u.update.slice() }))
  }

  historyTimes(boardId: string): { seq: number; at: number }[] {
    return (this.boards.get(boardId)?.updates ?? []).map((u) => ({ seq: u.seq, at: u.at }))
  }

  historySince(boardId: string, afterSeq: number): { rows: number; bytes: number } {
    const rows = (this.boards.get(boardId)?.updates ?? []).filter((u) => u.seq > afterSeq)
    return { rows: rows.length, bytes: sumOf(rows) }
  }

  pruneHistory(boardId: string, beforeSeq: number, keep: readonly number[]): void {
    const board = this.require(boardId)
    board.updates = board.updates.filter((u) => u.seq >= beforeSeq || u.seq > board.snapshotSeq)
    board.checkpoints = board.checkpoints.filter((c) => c.seq >= beforeSeq || keep.includes(c.seq))
  }

  eraseBoard(boardId: string): boolean {
    return this.boards.delete(boardId)
  }

  appendAudit(entry: { action: AuditAction; actor: AuditActor; boardId: string | null }): void {
    this.audit.push({ at: new Date(this.now()).toISOString(), ...entry })
  }

  listAudit(limit: number): AuditRow[] {
    return this.audit.slice(-limit).reverse()
  }

  private putCheckpoint(board: MemoryBoard, seq: number, state: Uint8Array): void {
    const at = board.updates.find((u) => u.seq === seq)?.at ?? this.now()
    board.checkpoints = board.checkpoints.filter((c) => c.seq !== seq)
    board.checkpoints.push({ seq, at, state: state.slice() })
    board.checkpoints.sort((a, b) => a.seq - b.seq)
  }

  health(): StoreHealth {
    if (this.lastError) return { ok: false, detail: `last write failed: ${this.lastError}` }
    return { ok: true, detail: `memory, ${this.boards.size} boards` }
  }

  close(): void {}

  private require(boardId: string): MemoryBoard {
    const board = this.boards.get(boardId)
    if (!board) throw new Error(`No board ${boardId}`)
    return board
  }

  /** Throws, like a full disk, if `bytes` more do not fit; a write that fits clears the fault. */
  private reserve(bytes: number): void {
    if (this.capacity !== null && bytes > 0 && this.totalBytes() + bytes > this.capacity) {
      this.lastError = 'memory store full'
      throw new Error(this.lastError)
    }
    this.lastError = null
  }

  private totalBytes(): number {
    let total = 0
    for (const id of this.boards.keys()) total += this.storageOf(id).total
    return total
  }
}

function link(kind: LinkKind, role: Role, layerId: string | null, hash: string, created: string) {
  return { id: newLinkId(), kind, role, layerId, created, hash }
}

/** A link without its hash: what leaves the store. */
function rowOf({ id, kind, role, layerId, created }: LinkRow): LinkRow {
  return { id, kind, role, layerId, created }
}

function sumOf(updates: readonly { update: Uint8Array }[]): number {
  return updates.reduce((sum, u) => sum + u.update.length, 0)
}
