/**
 * The live rooms of this process: loaded on first connection, released when the last
 * connection leaves (after a flush and compaction, never with a write pending). Every room
 * gets the same ordered hooks (metrics, and whatever plugs in next).
 *
 * Several processes (server/cluster/): a room is loaded only by the process that owns the
 * board (`RoomOwnership`, a lease); asking another for it throws `BoardOwnedElsewhere`, with
 * the owner's address for the hop. The lease is given up after the room's last write.
 */
import { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import type { Logger } from '../log.ts'
import type { BoardStore } from '../store/types.ts'
import type { RoomHooks } from './hooks.ts'
import { type Connection, Room, type RoomOptions, type RoomSocket } from './room.ts'

/** Who may load a board's room: this process, or another one at `address`. */
export interface RoomOwnership {
  /** Takes (or confirms) this process's ownership of the board, if nobody else has it. */
  claim(boardId: string): { mine: true } | { mine: false; address: string }
  /** Gives it up: the room is released, its last write made. */
  release(boardId: string): void
}

/** The board's room lives in another process, at `address`. */
export class BoardOwnedElsewhere extends Error {
  constructor(
    readonly boardId: string,
    readonly address: string,
  ) {
    super(`board ${boardId} is served by ${address}`)
  }
}

export class RoomManager {
  readonly rooms = new Map<string, Room>()
  /** Set by the cluster; none: this process owns every board (one process, SQLite). */
  ownership: RoomOwnership | null = null

  constructor(
    private store: BoardStore,
    private log: Logger,
    private roomOptions: Partial<RoomOptions> = {},
    private hooks: readonly RoomHooks[] = [],
  ) {}

  /**
   * The board's room, loaded from the store if it isn't live yet. Throws
   * `BoardOwnedElsewhere` when another process owns the board.
   */
  get(boardId: string): Room {
    let room = this.rooms.get(boardId)
    if (!room) {
      const claim = this.ownership?.claim(boardId)
      if (claim && !claim.mine) throw new BoardOwnedElsewhere(boardId, claim.address)
      room = new Room(boardId, this.store, this.log, this.roomOptions, {
        onFail: (failed) => this.release(failed),
        hooks: this.hooks,
      })
      this.rooms.set(boardId, room)
      this.log.info('room loaded', { board: boardId, ms: Math.round(room.loadMs) })
    }
    return room
  }

  connect(
    boardId: string,
    socket: RoomSocket,
    grant: { role: Role; layerId: string | null },
    tokenHash: string,
    /** Hash of the browser secret the socket presented (`CLIENT_PARAM`); none: one of its own. */
    secretHash?: string,
  ): { room: Room; connection: Connection } {
    const room = this.get(boardId)
    return { room, connection: room.connect(socket, grant.role, tokenHash, grant.layerId, secretHash) }
  }

  disconnect(room: Room, connection: Connection): void {
    room.disconnect(connection)
    this.releaseIfIdle(room)
  }

  /** Releases a room nobody is connected to. */
  releaseIfIdle(room: Room): void {
    if (room.isEmpty) this.release(room)
  }

  /** Closes a board's connections that match (e.g. a rotated role), with a code. */
  closeWhere(boardId: string, predicate: (connection: Connection) => boolean, code: CloseCode): number {
    return this.rooms.get(boardId)?.closeWhere(predicate, code) ?? 0
  }

  connectionCount(): number {
    let count = 0
    for (const room of this.rooms.values()) count += room.connections.size
    return count
  }

  /** Closes every connection with `code`, then releases every room. */
  closeAll(code: CloseCode): void {
    for (const room of [...this.rooms.values()]) {
      room.flush()
      room.closeWhere(() => true, code)
      this.release(room)
    }
  }

  /**
   * Closes the connections whose token the store no longer knows (revoked, rotated, the
   * board erased), on every board or one: another process changed the tokens.
   */
  recheckTokens(boardId: string | null = null): number {
    let closed = 0
    for (const room of this.rooms.values()) {
      if (boardId !== null && room.boardId !== boardId) continue
      const known = new Map<string, boolean>()
      const stale = (hash: string) => {
        if (!known.has(hash)) known.set(hash, this.store.findToken(room.boardId, hash) !== undefined)
        return known.get(hash) === false
      }
      closed += room.closeWhere((connection) => stale(connection.tokenHash), CloseCode.Unauthorized)
      this.releaseIfIdle(room)
    }
    return closed
  }

  /**
   * The lease of these boards went to another process (this one was paused or cut off):
   * their rooms are dropped without another write (the fence would refuse it), and their
   * clients told to reconnect now, to the new owner.
   */
  dropLost(boardIds: readonly string[]): void {
    for (const boardId of boardIds) {
      const room = this.rooms.get(boardId)
      if (!room) continue
      this.log.warn('lease lost; room dropped, clients sent to the new owner', { board: boardId })
      room.closeWhere(() => true, CloseCode.Handover)
      this.release(room)
    }
  }

  private release(room: Room): void {
    if (this.rooms.get(room.boardId) !== room) return
    this.rooms.delete(room.boardId)
    try {
      room.destroy()
    } finally {
      this.ownership?.release(room.boardId)
    }
    this.log.info('room released', { board: room.boardId })
  }
}
