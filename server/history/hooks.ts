/**
 * The room hooks that keep a board's history: automatic versions and retention.
 *
 * - Session: from a room's first stored change, a session runs until the last person
 *   leaves; if that took at least `sessionMs` (an hour), the board as they left it is saved
 *   as an automatic version ("Einde sessie").
 * - Iteration: on a board with an iteration rhythm (`meta.iterations`), once the current
 *   iteration is a new one (seen when its room loads or stores a change), the board as it
 *   was at the boundary (read from the history) is saved as the version of the iteration
 *   that ended ("Iteratie 5 · 12–25 jan"), once. A board without a rhythm has no
 *   boundaries: `effectiveRhythm`'s stand-in moves with today, so it marks none.
 * - Retention: when a room is released, history older than `historyDays` is thinned to
 *   daily checkpoints (`retention.ts`).
 *
 * Hooks run inside the room's work, so each does one bounded thing and never throws into
 * the room (`HookRunner` logs what fails).
 */

import { today } from '../../shared/dates.ts'
import { getMetaMap } from '../../shared/doc.ts'
import {
  formatIteration,
  iterationNumbered,
  iterationOf,
  META_ITERATIONS_KEY,
  readRhythm,
} from '../../shared/iterations.ts'
import type { Logger } from '../log.ts'
import type { RoomHooks } from '../room/hooks.ts'
import type { Room } from '../room/room.ts'
import type { BoardStore } from '../store/types.ts'
import { documentAt, seqAtTime } from './replay.ts'
import { pruneHistory } from './retention.ts'
import { saveVersionOf } from './versions.ts'

export interface HistoryPolicy {
  /** A session at least this long (ms, first change to last leaver) ends with a version. */
  sessionMs: number
  /** Days of full history kept (`STIP_HISTORY_DAYS`). */
  historyDays: number
  now: () => number
}

export const DEFAULT_SESSION_MS = 60 * 60 * 1000

/** The local midnight that starts `isoDay`, in ms. */
function startOfDay(isoDay: string): number {
  const [year, month, day] = isoDay.split('-').map(Number)
  return new Date(year, month - 1, day).getTime()
}

export class HistoryHooks implements RoomHooks {
  /** Per room: when its session's first change was stored, and the iteration last checked. */
  private state = new WeakMap<Room, { sessionStart: number | null; iteration: number | null }>()

  constructor(
    private readonly store: BoardStore,
    private readonly log: Logger,
    private readonly policy: HistoryPolicy,
  ) {}

  onLoaded({ room }: { room: Room }): void {
    this.state.set(room, { sessionStart: null, iteration: null })
    this.checkIteration(room)
  }

  onStored({ room }: { room: Room }): void {
    const state = this.stateOf(room)
    state.sessionStart ??= this.policy.now()
    this.checkIteration(room)
  }

  onDisconnected({ room }: { room: Room }): void {
    const state = this.stateOf(room)
    if (!room.isEmpty || state.sessionStart === null || room.isReadOnly || room.isFailed) return
    const lasted = this.policy.now() - state.sessionStart
    state.sessionStart = null
    if (lasted < this.policy.sessionMs) return
    room.flush()
    saveVersionOf(this.store, room.boardId, room.doc, {
      name: 'Einde sessie',
      kind: 'auto',
      trigger: 'session',
      role: null,
    })
    this.log.info('version saved', { board: room.boardId, kind: 'auto', trigger: 'session' })
  }

  onReleased({ room }: { room: Room }): void {
    if (room.isReadOnly || room.isFailed || !this.store.getBoard(room.boardId)) return
    const removed = pruneHistory(this.store, room.boardId, this.policy.historyDays, this.policy.now())
    if (removed > 0) this.log.info('history thinned to daily checkpoints', { board: room.boardId, rows: removed })
  }

  private stateOf(room: Room) {
    let state = this.state.get(room)
    if (!state) {
      state = { sessionStart: null, iteration: null }
      this.state.set(room, state)
    }
    return state
  }

  /** Saves the version of the iteration that ended, once, when a new one has begun. */
  private checkIteration(room: Room): void {
    if (room.isReadOnly) return
    const rhythm = readRhythm(getMetaMap(room.doc).get(META_ITERATIONS_KEY))
    if (!rhythm) return
    const current = iterationOf(rhythm, today(new Date(this.policy.now())))
    const state = this.stateOf(room)
    if (state.iteration === current.number) return
    state.iteration = current.number
    if (current.number < 2) return
    const boundary = startOfDay(current.start)
    const board = this.store.getBoard(room.boardId)
    if (!board || Date.parse(board.created) >= boundary) return
    const name = formatIteration(iterationNumbered(rhythm, current.number - 1), 'nl')
    if (this.store.listVersions(room.boardId).some((v) => v.trigger === 'iteration' && v.name === name)) return
    const seq = seqAtTime(this.store, room.boardId, boundary - 1)
    if (seq === 0) return
    const doc = documentAt(this.store, room.boardId, seq)
    try {
      saveVersionOf(this.store, room.boardId, doc, {
        name,
        kind: 'auto',
        trigger: 'iteration',
        role: null,
        created: new Date(boundary).toISOString(),
      })
    } finally {
      doc.destroy()
    }
    this.log.info('version saved', { board: room.boardId, kind: 'auto', trigger: 'iteration' })
  }
}
