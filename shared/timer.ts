/**
 * The session timer (`meta.timer`, facilitators only): one per board, seen by everyone.
 *
 * It is stored as a point in time, never as a ticking counter: while it runs, the server
 * time it ends at (`endsAt`); while paused, the time it has left (`pausedRemainingMs`). So
 * it survives reloads, reconnects and a server restart, costs no writes while it runs, and
 * every client computes the same remaining second from the server's clock: each measures
 * its offset to the server when it connects (`clockOffset`, from the `hello` signal of
 * `shared/protocol.ts`) and reads the timer at `serverNow(offset)`.
 *
 * Deleting the key stops the timer.
 */

export const META_TIMER_KEY = 'timer'

/** The longest timer: 99:59. */
export const MAX_TIMER_MS = (99 * 60 + 59) * 1000
/** What "+1 min" adds. */
export const ADD_MS = 60_000
/** The last seconds are emphasised. */
export const FINAL_SECONDS = 10
/** Presets offered in the panel, in minutes. */
export const TIMER_PRESETS_MINUTES = [1, 3, 5, 10, 15] as const

export interface TimerState {
  /** The whole time set (grows with "+1 min"), for a progress bar. */
  durationMs: number
  /** Running: the server time (ms since the epoch) it reaches zero; null while paused. */
  endsAt: number | null
  /** Paused: what was left; null while running. */
  pausedRemainingMs: number | null
  /** Whether participants' devices play the soft end sound (displays only if asked). */
  sound: boolean
}

/** A fresh running timer of `durationMs` (clamped to 1 s – 99:59) from server time `now`. */
export function startTimer(durationMs: number, now: number, sound = false): TimerState {
  const duration = clampDuration(durationMs)
  return { durationMs: duration, endsAt: now + duration, pausedRemainingMs: null, sound }
}

/**
 * Milliseconds left at server time `now`: never below 0, and never more than was set (a
 * device's estimate of the server's clock can be a little behind it).
 */
export function remainingMs(timer: TimerState, now: number): number {
  const left = timer.endsAt === null ? (timer.pausedRemainingMs ?? 0) : timer.endsAt - now
  return Math.min(timer.durationMs, Math.max(0, left))
}

/** The remaining whole seconds shown (rounded up: "0:01" until it is really over). */
export function remainingSeconds(timer: TimerState, now: number): number {
  return Math.ceil(remainingMs(timer, now) / 1000)
}

export function isPaused(timer: TimerState): boolean {
  return timer.endsAt === null
}

export function isOver(timer: TimerState, now: number): boolean {
  return remainingMs(timer, now) === 0
}

export function pauseTimer(timer: TimerState, now: number): TimerState {
  if (timer.endsAt === null) return timer
  return { ...timer, endsAt: null, pausedRemainingMs: remainingMs(timer, now) }
}

export function resumeTimer(timer: TimerState, now: number): TimerState {
  if (timer.endsAt !== null) return timer
  return { ...timer, endsAt: now + (timer.pausedRemainingMs ?? 0), pausedRemainingMs: null }
}

/** Adds a minute (never past 99:59 left); a timer that ran out starts again from one minute. */
export function addMinute(timer: TimerState, now: number): TimerState {
  const left = Math.min(MAX_TIMER_MS, remainingMs(timer, now) + ADD_MS)
  const durationMs = Math.min(MAX_TIMER_MS, Math.max(timer.durationMs, left))
  if (timer.endsAt === null) return { ...timer, durationMs, pausedRemainingMs: left }
  return { ...timer, durationMs, endsAt: now + left }
}

/** "mm:ss" of whole seconds. */
export function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}

/**
 * Parses what a facilitator typed: "mm:ss", "m" (minutes) or "m:s"; null if it is not a
 * time from 0:01 to 99:59.
 */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d{1,2})(?::(\d{1,2}))?\s*$/.exec(text)
  if (!match) return null
  const minutes = Number(match[1])
  const seconds = match[2] === undefined ? 0 : Number(match[2])
  if (seconds > 59) return null
  const ms = (minutes * 60 + seconds) * 1000
  return ms >= 1000 && ms <= MAX_TIMER_MS ? ms : null
}

function clampDuration(ms: number): number {
  if (!Number.isFinite(ms)) return 1000
  return Math.min(MAX_TIMER_MS, Math.max(1000, Math.round(ms)))
}

/**
 * The offset to add to this device's clock to get the server's, from one exchange: the
 * client sent at `sentAt`, the server answered with its time `serverTime`, the answer came
 * at `receivedAt` (all ms). The server read its clock about halfway through the round trip.
 */
export function clockOffset(sample: { sentAt: number; serverTime: number; receivedAt: number }): number {
  const midway = sample.sentAt + (sample.receivedAt - sample.sentAt) / 2
  return sample.serverTime - midway
}

/** The server's time now, from this device's clock and its measured offset. */
export function serverNow(offsetMs: number, localNow: number = Date.now()): number {
  return Math.round(localNow + offsetMs)
}

/** Why `value` may not be stored as `meta.timer`; null if it may (undefined: stopped). */
export function refuseTimer(value: unknown): string | null {
  if (value === undefined) return null
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'the timer is an object'
  const { durationMs, endsAt, pausedRemainingMs, sound, ...rest } = value as Record<string, unknown>
  if (Object.keys(rest).length > 0) return `unknown timer field "${Object.keys(rest)[0]}"`
  if (!isWholeMs(durationMs) || durationMs < 1000 || durationMs > MAX_TIMER_MS) {
    return 'the timer duration is 0:01 to 99:59'
  }
  if (typeof sound !== 'boolean') return 'the timer sound is on or off'
  if (endsAt === null) {
    if (!isWholeMs(pausedRemainingMs) || pausedRemainingMs < 0 || pausedRemainingMs > MAX_TIMER_MS) {
      return 'a paused timer has 0 to 99:59 left'
    }
    return null
  }
  if (pausedRemainingMs !== null) return 'a timer is either running (endsAt) or paused (pausedRemainingMs)'
  if (!isWholeMs(endsAt) || endsAt <= 0) return 'the timer end is a time in milliseconds'
  return null
}

/** The timer in a stored value, or null (none, or nonsense). */
export function readTimer(value: unknown): TimerState | null {
  return value !== undefined && refuseTimer(value) === null ? (value as TimerState) : null
}

function isWholeMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Number.isInteger(value)
}
