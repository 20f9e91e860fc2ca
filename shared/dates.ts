/**
 * Calendar days as `YYYY-MM-DD` text: how milestones and iterations store dates. A day is
 * a day wherever the screen is, so all arithmetic runs on UTC midnights and never on local
 * times; only "today" is read from the local clock (a municipality's screens and server
 * share a time zone, and the date a person sees on their wall is the one that counts).
 */

const DAY_MS = 24 * 60 * 60 * 1000
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `value` is a real calendar day written `YYYY-MM-DD` (no 30 February). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const match = ISO_DATE.exec(value)
  if (!match) return false
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (year < 1970 || year > 9999) return false
  const date = new Date(Date.UTC(year, month - 1, day))
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
}

/** Days since 1970-01-01 of an ISO day (the caller checked it with `isIsoDate`). */
export function dayNumber(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number)
  return Math.round(Date.UTC(year, month - 1, day) / DAY_MS)
}

/** The ISO day `days` after 1970-01-01. */
export function isoFromDayNumber(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10)
}

/** `isoDate` moved by `days` (negative: back). */
export function addDays(isoDate: string, days: number): string {
  return isoFromDayNumber(dayNumber(isoDate) + days)
}

/** The local calendar day of `now`. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`
}

/** Days from `from` to `to`, both inclusive: 12–25 January is 14 days. */
export function daysInclusive(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1
}

/** The Monday of the week `isoDate` falls in (an iteration rhythm usually starts on one). */
export function mondayOf(isoDate: string): string {
  const days = dayNumber(isoDate)
  const weekday = (new Date(days * DAY_MS).getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
  return isoFromDayNumber(days - weekday)
}
