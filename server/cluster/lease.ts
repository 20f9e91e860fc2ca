/**
 * One owner per board: this process's leases in PostgreSQL (the statements and the fence
 * are in store/postgres.ts). A board's room is loaded only after its lease is taken; the
 * lease is renewed three times per `leaseMs` while the room lives, and given up when the
 * room is released (after its last write), so the next process to be asked takes it at once.
 *
 * A process that dies keeps its leases until they expire: that is the bound of a failover
 * (README "Several processes"). One that was paused (SIGSTOP, a long GC, a VM frozen) may
 * wake up after another took its boards: its next heartbeat learns it, and its rooms are
 * dropped without a write — and a write it makes before that is refused by the fence.
 */
import type { Logger } from '../log.ts'
import type { RoomOwnership } from '../room/rooms.ts'
import type { PostgresStore } from '../store/postgres.ts'

export interface LeaseKeeperOptions {
  /** This process, for as long as it runs: random, so a restarted process is a new owner. */
  owner: string
  /** How the other processes reach this one (registered with every lease). */
  address: string
  leaseMs: number
  log: Logger
  /** Leases found lost at a heartbeat: the rooms must go. */
  onLost(boardIds: string[]): void
}

export class LeaseKeeper implements RoomOwnership {
  /** Leases taken from an owner that let them expire (it died or was paused). */
  takenOver = 0
  /** Set on SIGTERM: the process takes no board any more, it hands them over. */
  draining = false
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly store: PostgresStore,
    readonly options: LeaseKeeperOptions,
  ) {}

  claim(boardId: string): { mine: true } | { mine: false; address: string } {
    const { owner, address, leaseMs, log } = this.options
    // Held already (the heartbeat says when it is not, the fence when a write comes first).
    if (this.store.holds(boardId)) return { mine: true }
    if (this.draining) {
      const lease = this.store.leaseOf(boardId)
      if (lease && lease.owner !== owner && lease.live) return { mine: false, address: lease.address }
      throw new Error(`this process is handing its boards over; board ${boardId} waits for another one`)
    }
    const { lease, mine, takenOver } = this.store.claimLease(boardId, owner, address, leaseMs)
    if (!mine) return { mine: false, address: lease.address }
    if (takenOver) {
      this.takenOver++
      log.warn('lease taken over from an owner that let it expire', { board: boardId, epoch: lease.epoch })
    }
    return { mine: true }
  }

  release(boardId: string): void {
    try {
      this.store.releaseLease(boardId, this.options.owner)
    } catch (error) {
      // It expires by itself; the next owner waits for that instead.
      this.options.log.warn('lease release failed', { board: boardId, error: String(error) })
    }
  }

  /** Where the board's room lives now, if another process holds its lease. */
  ownerElsewhere(boardId: string): string | null {
    if (this.store.holds(boardId)) return null
    const lease = this.store.leaseOf(boardId)
    return lease?.live && lease.owner !== this.options.owner ? lease.address : null
  }

  /** Boards this process owns now. */
  get owned(): number {
    return this.store.heldBoards().length
  }

  /** Starts the heartbeat. */
  start(): void {
    const { leaseMs, owner, log, onLost } = this.options
    this.timer = setInterval(
      () => {
        try {
          const lost = this.store.renewLeases(owner, leaseMs)
          if (lost.length > 0) onLost(lost)
        } catch (error) {
          // PostgreSQL unreachable: the fence keeps every write safe; the next beat tries again.
          log.warn('lease renewal failed', { error: String(error) })
        }
      },
      Math.floor(leaseMs / 3),
    )
    this.timer.unref()
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
