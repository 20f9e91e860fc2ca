/**
 * The retention sweep: retention (`retention.ts`) for boards nobody opens. Retention runs
 * when a room is released, so a board that lies untouched for months would keep its full
 * history for ever; the sweep thins it too. It runs once when the server starts and then
 * every `intervalMs` (an hour).
 *
 * Each sweep looks at every board in turn (a cheap indexed question: any row older than
 * `STIP_HISTORY_DAYS`?), skips boards whose room is open (their release prunes them) and
 * thins at most `maxBoards` boards; the rest wait for the next sweep, which resumes after
 * the last board this one looked at. It yields to the event loop between boards, so the
 * rooms' work never waits longer than one board's pruning. One sweep at a time; `stop`
 * waits for a running one, so the store is never closed under it.
 */
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import type { Logger } from '../log.ts'
import type { BoardStore } from '../store/types.ts'
import { pruneHistory } from './retention.ts'

export const DEFAULT_SWEEP_MS = 60 * 60 * 1000
/** Boards thinned per sweep at most (each replays its old rows once). */
export const DEFAULT_SWEEP_BOARDS = 50

const DAY_MS = 24 * 60 * 60 * 1000

export interface SweepOptions {
  historyDays: number
  intervalMs: number
  maxBoards: number
  now: () => number
  /** Whether the board's room is open now (then its release prunes it). */
  isOpen: (boardId: string) => boolean
}

export interface SweepResult {
  /** Boards looked at. */
  looked: number
  /** Boards whose history was thinned. */
  thinned: number
  /** Rows removed. */
  rows: number
}

export class RetentionSweep {
  private timer: ReturnType<typeof setInterval> | undefined
  private running: Promise<SweepResult> | null = null
  private stopped = false
  /** The id of the last board the previous sweep looked at: the next one starts after it. */
  private cursor: string | null = null

  constructor(
    private readonly store: BoardStore,
    private readonly log: Logger,
    private readonly options: SweepOptions,
  ) {}

  /** Sweeps now, then every `intervalMs`; returns the first sweep. */
  start(): Promise<SweepResult> {
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs)
    this.timer.unref()
    return this.sweep()
  }

  /** One sweep (or the one already running). Never throws: a failure is logged. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.run()
      .catch((error: unknown) => {
        this.log.error('history sweep failed', { error: String(error) })
        return { looked: 0, thinned: 0, rows: 0 }
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }

  /** Stops the timer and waits for a sweep that is running. */
  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    await this.running
  }

  private async run(): Promise<SweepResult> {
    const { historyDays, maxBoards, now, isOpen } = this.options
    const boards = this.store.listBoards()
    // Resume after the board the last sweep stopped at, then wrap around.
    const from = this.cursor === null ? 0 : boards.findIndex((board) => board.id === this.cursor) + 1
    const order = [...boards.slice(from), ...boards.slice(0, from)]
    const result: SweepResult = { looked: 0, thinned: 0, rows: 0 }
    for (const board of order) {
      if (this.stopped || result.thinned >= maxBoards) break
      await yieldToLoop()
      result.looked++
      this.cursor = board.id
      // Checked after the yield: a room may have opened, or the board been erased, meanwhile.
      if (isOpen(board.id) || !this.store.getBoard(board.id)) continue
      const at = now()
      if (this.store.seqAt(board.id, at - historyDays * DAY_MS) === 0) continue
      const rows = pruneHistory(this.store, board.id, historyDays, at)
      if (rows === 0) continue
      result.thinned++
      result.rows += rows
      this.log.info('history thinned to daily checkpoints', { board: board.id, rows, by: 'sweep' })
    }
    return result
  }
}
