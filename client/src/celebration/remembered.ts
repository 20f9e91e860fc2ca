/**
 * Which milestones this screen has celebrated, per board: so a screen never celebrates the
 * same step twice, even across reloads, and one that was offline still celebrates on
 * reconnect. A step is known by its milestone id and its `doneAt` (set to done again later
 * is a new step reached).
 *
 * Kept in localStorage (`storage.ts`, never throws) under `stip:celebrated:<board>`, as
 * `[id, doneAt]` pairs. The list stays small for a screen that runs for months: an entry
 * older than the celebration window can never be celebrated again anyway, so it is pruned
 * on every write, and at most `MAX_REMEMBERED` of the newest are kept.
 */
import { safeGet, safeSet } from '../storage.ts'

/** A milestone is celebrated for an hour after it was done; later screens stay quiet. */
export const CELEBRATION_WINDOW_MS = 60 * 60 * 1000
/** A `doneAt` this far in the future still counts: another screen's clock may run ahead. */
export const CLOCK_SKEW_MS = 2 * 60 * 1000
/** More steps than this reached in one hour on one board is not a realistic session. */
export const MAX_REMEMBERED = 300

export const rememberedKey = (boardId: string) => `stip:celebrated:${boardId}`

/** A step reached: which milestone, and when it was done. */
export interface Reached {
  id: string
  doneAt: number
}

export const reachedKey = ({ id, doneAt }: Reached) => `${id}@${doneAt}`

/** Whether a milestone with this status and `doneAt` is one to celebrate at `now`. */
export function isCelebratable(status: string, doneAt: number | null, now: number): doneAt is number {
  return (
    status === 'done' &&
    typeof doneAt === 'number' &&
    doneAt > now - CELEBRATION_WINDOW_MS &&
    doneAt <= now + CLOCK_SKEW_MS
  )
}

/** The steps still worth remembering at `now`, newest first, at most `MAX_REMEMBERED`. */
export function prune(entries: readonly Reached[], now: number): Reached[] {
  return entries
    .filter((entry) => entry.doneAt > now - CELEBRATION_WINDOW_MS)
    .sort((a, b) => b.doneAt - a.doneAt)
    .slice(0, MAX_REMEMBERED)
}

function parse(value: string | null): Reached[] {
  try {
    const list: unknown = JSON.parse(value ?? '[]')
    if (!Array.isArray(list)) return []
    return list.flatMap((item) =>
      Array.isArray(item) && typeof item[0] === 'string' && Number.isFinite(item[1])
        ? [{ id: item[0], doneAt: item[1] as number }]
        : [],
    )
  } catch {
    return []
  }
}

/** The celebrated steps of one board, read from and written to localStorage. */
export interface Remembered {
  has(step: Reached): boolean
  add(step: Reached): void
}

export function rememberCelebrated(boardId: string, now: () => number = Date.now): Remembered {
  const key = rememberedKey(boardId)
  // Read again on every question: another tab of this browser may have celebrated meanwhile.
  const load = () => parse(safeGet(key))
  return {
    has: (step) => load().some((entry) => entry.id === step.id && entry.doneAt === step.doneAt),
    add(step) {
      const entries = prune([step, ...load().filter((entry) => reachedKey(entry) !== reachedKey(step))], now())
      safeSet(key, JSON.stringify(entries.map((entry) => [entry.id, entry.doneAt])))
    },
  }
}
