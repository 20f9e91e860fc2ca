/**
 * A board's iteration rhythm: steps of two, three or four weeks from a first start date,
 * set by a facilitator in `meta.iterations`. Stip numbers the iterations from it
 * ("Iteratie 5 · 12–25 jan"), knows which one is current, and plans a new milestone into
 * the next one. Pure functions over ISO days (`shared/dates.ts`): client, server and tests
 * agree on every number.
 *
 * A board without a rhythm behaves as two-week iterations starting on the Monday of the
 * week a milestone is first planned in (`effectiveRhythm`), so a path can start before a
 * facilitator has chosen.
 */
import { addDays, dayNumber, daysInclusive, isIsoDate, mondayOf } from './dates.ts'

/** Key in the `meta` map of the rhythm (facilitators only, `shared/meta.ts`). */
export const META_ITERATIONS_KEY = 'iterations'

export const ITERATION_WEEKS = [2, 3, 4] as const
export type IterationWeeks = (typeof ITERATION_WEEKS)[number]

/** The method's step: two to four weeks. A milestone outside it gets a warning, not a refusal. */
export const MIN_STEP_DAYS = 14
export const MAX_STEP_DAYS = 28

export interface IterationRhythm {
  weeks: IterationWeeks
  /** First day of iteration 1, `YYYY-MM-DD`. */
  firstStart: string
}

export interface Iteration {
  /** 1 for the one starting at `firstStart`; 0 and below before it. */
  number: number
  start: string
  /** Last day, inclusive. */
  end: string
}

/** The rhythm a stored value holds, or null for none or nonsense. */
export function readRhythm(value: unknown): IterationRhythm | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { weeks, firstStart } = value as Record<string, unknown>
  if (!ITERATION_WEEKS.includes(weeks as IterationWeeks) || !isIsoDate(firstStart)) return null
  return { weeks: weeks as IterationWeeks, firstStart }
}

/** Why `value` may not be stored as `meta.iterations` (undefined: deleted, which is fine). */
export function refuseRhythm(value: unknown): string | null {
  if (value === undefined) return null
  const rhythm = readRhythm(value)
  if (!rhythm) return 'an iteration rhythm is { weeks: 2 | 3 | 4, firstStart: "YYYY-MM-DD" }'
  if (Object.keys(value as object).length !== 2) return 'an iteration rhythm has only weeks and firstStart'
  return null
}

/** The board's rhythm, or two-week iterations from the Monday of `todayIso`'s week. */
export function effectiveRhythm(rhythm: IterationRhythm | null, todayIso: string): IterationRhythm {
  return rhythm ?? { weeks: 2, firstStart: mondayOf(todayIso) }
}

function lengthDays(rhythm: IterationRhythm): number {
  return rhythm.weeks * 7
}

/** Iteration number `n` of the rhythm. */
export function iterationNumbered(rhythm: IterationRhythm, n: number): Iteration {
  const start = addDays(rhythm.firstStart, (n - 1) * lengthDays(rhythm))
  return { number: n, start, end: addDays(start, lengthDays(rhythm) - 1) }
}

/** The iteration `isoDate` falls in. */
export function iterationOf(rhythm: IterationRhythm, isoDate: string): Iteration {
  const offset = dayNumber(isoDate) - dayNumber(rhythm.firstStart)
  return iterationNumbered(rhythm, Math.floor(offset / lengthDays(rhythm)) + 1)
}

/** The iteration after the one `isoDate` falls in. */
export function iterationAfter(rhythm: IterationRhythm, isoDate: string): Iteration {
  return iterationNumbered(rhythm, iterationOf(rhythm, isoDate).number + 1)
}

/**
 * Why a milestone's span is not one step of the method: `short` under two weeks, `long`
 * over four, `backwards` if it ends before it starts; null when it is fine.
 */
export function spanWarning(start: string, end: string): 'short' | 'long' | 'backwards' | null {
  if (!isIsoDate(start) || !isIsoDate(end)) return null
  const days = daysInclusive(start, end)
  if (days < 1) return 'backwards'
  if (days < MIN_STEP_DAYS) return 'short'
  if (days > MAX_STEP_DAYS) return 'long'
  return null
}

const MONTHS = {
  nl: ['jan', 'feb', 'mrt', 'apr', 'mei', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
} as const

/** "12–25 jan", "29 jan – 11 feb", "29 dec 2026 – 11 jan 2027". */
export function formatDateRange(start: string, end: string, language: 'nl' | 'en'): string {
  const [y1, m1, d1] = start.split('-').map(Number)
  const [y2, m2, d2] = end.split('-').map(Number)
  const month = (m: number) => MONTHS[language][m - 1]
  if (y1 !== y2) return `${d1} ${month(m1)} ${y1} – ${d2} ${month(m2)} ${y2}`
  if (m1 !== m2) return `${d1} ${month(m1)} – ${d2} ${month(m2)}`
  return `${d1}–${d2} ${month(m1)}`
}

/**
 * "Iteratie 5 · 12–25 jan" / "Iteration 5 · 12–25 Jan". A step planned before the rhythm's
 * first iteration (numbers 0 and below) is "Vóór iteratie 1" / "Before iteration 1": nobody
 * counts iterations backwards.
 */
export function formatIteration(iteration: Iteration, language: 'nl' | 'en'): string {
  const dates = formatDateRange(iteration.start, iteration.end, language)
  if (iteration.number < 1) return `${language === 'nl' ? 'Vóór iteratie 1' : 'Before iteration 1'} · ${dates}`
  const word = language === 'nl' ? 'Iteratie' : 'Iteration'
  return `${word} ${iteration.number} · ${dates}`
}
