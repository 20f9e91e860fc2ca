/**
 * A `BoardStore` in memory, for tests and for benchmarking what durability costs. It can be
 * given a space limit (`limitSpace`), so the contract suite runs the full-disk behaviour
 * against it as against SQLite: a write that does not fit throws, changes nothing, and
 * leaves the store unhealthy until a write succeeds.
 */
import type { LinkKind } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import { newLinkId } from './links.ts'
import type {
  BallotRow,
  BoardRow,
  BoardStore,
  ClientOwner,
  LinkRow,
  StoredDocument,
  StoreHealth,
  TokenGrant,
} from './types.ts'

interface MemoryBoard {
  row: BoardRow
  /** Every link, main links included, oldest first, each with its token's hash. */
  links: (LinkRow & { hash: string })[]
  snapshot: Uint8Array | null
  updates: { seq: number; update: Uint8Array }[]
  seq: number
  /** Client id → hash of the browser secret that introduced it. */
  owners: Map<number, string>
  /** Round id → voter → votes. */
  ballots: Map<string, Map<string, Record<string, number>>>
}

export class MemoryStore implements BoardStore {
  private boards = new Map<string, MemoryBoard>()
  /** Document bytes the store may hold; null: no limit. */
  private capacity: number | null = null
  private lastError: string | null = null

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
      updates: firstUpdate ? [{ seq: 1, update: firstUpdate.slice() }] : [],
      seq: firstUpdate ? 1 : 0,
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
    return { snapshot: board.snapshot, updates: board.updates.map((u) => u.update), lastSeq: board.seq }
  }

  appendUpdates(boardId: string, updates: Uint8Array[], owners: readonly ClientOwner[] = []): number {
    const board = this.require(boardId)
    this.reserve(updates.reduce((sum, update) => sum + update.length, 0))
    for (const update of updates) board.updates.push({ seq: ++board.seq, update: update.slice() })
    for (const { client, secretHash } of owners) if (!board.owners.has(client)) board.owners.set(client, secretHash)
    return board.seq
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

  compact(boardId: string, snapshot: Uint8Array, upToSeq: number): void {
    const board = this.require(boardId)
    const freed = (board.snapshot?.length ?? 0) + sumOf(board.updates.filter((u) => u.seq <= upToSeq))
    this.reserve(snapshot.length - freed)
    board.snapshot = snapshot.slice()
    board.updates = board.updates.filter((u) => u.seq > upToSeq)
  }

  documentBytes(boardId: string): number {
    const board = this.boards.get(boardId)
    if (!board) return 0
    return (board.snapshot?.length ?? 0) + sumOf(board.updates)
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
    for (const id of this.boards.keys()) total += this.documentBytes(id)
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
