/**
 * The live rooms of this process: loaded on first connection, released when the last
 * connection leaves (after a flush and compaction, never with a write pending). Every room
 * gets the same ordered hooks (metrics, and whatever plugs in next).
 */
import type { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import type { Logger } from '../log.ts'
import type { BoardStore } from '../store/types.ts'
import type { RoomHooks } from './hooks.ts'
import { type Connection, Room, type RoomOptions, type RoomSocket } from './room.ts'

export class RoomManager {
  readonly rooms = new Map<string, Room>()

  constructor(
    private store: BoardStore,
    private log: Logger,
    private roomOptions: Partial<RoomOptions> = {},
    private hooks: readonly RoomHooks[] = [],
  ) {}

  /** The board's room, loaded from the store if it isn't live yet. */
  get(boardId: string): Room {
    let room = this.rooms.get(boardId)
    if (!room) {
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

  private release(room: Room): void {
    if (this.rooms.get(room.boardId) !== room) return
    this.rooms.delete(room.boardId)
    room.destroy()
    this.log.info('room released', { board: room.boardId })
  }
}
