/** A `BoardStore` in memory, for tests and for benchmarking what durability costs. */
import type { Role } from '../../shared/roles.ts'
import type { BoardRow, BoardStore, StoredDocument, StoreHealth, TokenGrant } from './types.ts'

interface MemoryBoard {
  row: BoardRow
  /** Main links by role. */
  tokens: Map<Role, string>
  scoped: { role: Role; layerId: string; hash: string }[]
  snapshot: Uint8Array | null
  updates: { seq: number; update: Uint8Array }[]
  seq: number
}

export class MemoryStore implements BoardStore {
  private boards = new Map<string, MemoryBoard>()

  createBoard(board: BoardRow, tokenHashes: Record<Role, string>): void {
    if (this.boards.has(board.id)) throw new Error(`Board ${board.id} exists`)
    this.boards.set(board.id, {
      row: { ...board },
      tokens: new Map(Object.entries(tokenHashes) as [Role, string][]),
      scoped: [],
      snapshot: null,
      updates: [],
      seq: 0,
    })
  }

  getBoard(id: string): BoardRow | undefined {
    const board = this.boards.get(id)
    return board && { ...board.row }
  }

  findToken(boardId: string, tokenHash: string): TokenGrant | undefined {
    const board = this.boards.get(boardId)
    for (const [role, hash] of board?.tokens ?? []) if (hash === tokenHash) return { role, layerId: null }
    const scoped = board?.scoped.find((token) => token.hash === tokenHash)
    return scoped && { role: scoped.role, layerId: scoped.layerId }
  }

  findTokenAnywhere(tokenHash: string): (TokenGrant & { boardId: string }) | undefined {
    for (const boardId of this.boards.keys()) {
      const grant = this.findToken(boardId, tokenHash)
      if (grant) return { ...grant, boardId }
    }
    return undefined
  }

  replaceToken(boardId: string, role: Role, tokenHash: string): void {
    this.require(boardId).tokens.set(role, tokenHash)
  }

  addScopedToken(boardId: string, role: Role, layerId: string, tokenHash: string): void {
    this.require(boardId).scoped.push({ role, layerId, hash: tokenHash })
  }

  loadDocument(boardId: string): StoredDocument {
    const board = this.boards.get(boardId)
    if (!board) return { snapshot: null, updates: [], lastSeq: 0 }
    return { snapshot: board.snapshot, updates: board.updates.map((u) => u.update), lastSeq: board.seq }
  }

  appendUpdates(boardId: string, updates: Uint8Array[]): number {
    const board = this.require(boardId)
    for (const update of updates) board.updates.push({ seq: ++board.seq, update: update.slice() })
    return board.seq
  }

  compact(boardId: string, snapshot: Uint8Array, upToSeq: number): void {
    const board = this.require(boardId)
    board.snapshot = snapshot.slice()
    board.updates = board.updates.filter((u) => u.seq > upToSeq)
  }

  documentBytes(boardId: string): number {
    const board = this.boards.get(boardId)
    if (!board) return 0
    return (board.snapshot?.length ?? 0) + board.updates.reduce((sum, u) => sum + u.update.length, 0)
  }

  health(): StoreHealth {
    return { ok: true, detail: `memory, ${this.boards.size} boards` }
  }

  close(): void {}

  private require(boardId: string): MemoryBoard {
    const board = this.boards.get(boardId)
    if (!board) throw new Error(`No board ${boardId}`)
    return board
  }
}
