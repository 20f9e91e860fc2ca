/**
 * Calendar days as text: which strings count as a day, the arithmetic milestones and
 * iterations run on (across month, year and leap-day ends), and that "today" is the day on
 * the local wall clock, not the UTC one.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { addDays, dayNumber, daysInclusive, isIsoDate, isoFromDayNumber, mondayOf, today } from './dates.ts'

describe('isIsoDate', () => {
  it('accepts real calendar days written YYYY-MM-DD', () => {
    for (const day of ['2026-01-12', '1970-01-01', '2026-12-31', '9999-12-31']) expect(isIsoDate(day)).toBe(true)
  })

  it('knows the leap years: 29 February only in them', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2000-02-29')).toBe(true) // divisible by 400
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2100-02-29')).toBe(false) // divisible by 100, not by 400
  })

  it('refuses days that do not exist', () => {
    for (const day of ['2026-02-30', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '2026-01-32']) {
      expect(isIsoDate(day), day).toBe(false)
    }
  })

  it('refuses other formats, other types and years outside 1970–9999', () => {
    const refused: unknown[] = [
      '2026-1-05',
      '26-01-05',
      '2026/01/05',
      '05-01-2026',
      '2026-01-05T00:00',
      '2026-01-05T00:00:00Z',
      ' 2026-01-05',
      '2026-01-05\n',
      '',
      '1969-12-31',
      '10000-01-01',
      20260105,
      new Date('2026-01-05'),
      null,
      undefined,
      { toString: () => '2026-01-05' },
    ]
    for (const value of refused) expect(isIsoDate(value), String(value)).toBe(false)
  })
})

describe('dayNumber and isoFromDayNumber', () => {
  it('count days from 1970-01-01', () => {
    expect(dayNumber('1970-01-01')).toBe(0)
    expect(dayNumber('1970-01-02')).toBe(1)
    expect(dayNumber('1971-01-01')).toBe(365)
    expect(isoFromDayNumber(0)).toBe('1970-01-01')
    expect(isoFromDayNumber(-1)).toBe('1969-12-31')
  })

  it('turn back into the same day, for every day of a leap year and its neighbours', () => {
    const first = dayNumber('2023-12-01')
    const last = dayNumber('2025-03-01')
    for (let n = first; n <= last; n++) {
      const iso = isoFromDayNumber(n)
      expect(isIsoDate(iso), iso).toBe(true)
      expect(dayNumber(iso)).toBe(n)
    }
    expect(last - first).toBe(31 + 366 + 31 + 28)
  })
})

describe('addDays', () => {
  it('crosses month and year ends, both ways', () => {
    expect(addDays('2026-01-31', 1)).toBe('2026-02-01')
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29')
    expect(addDays('2026-12-29', 14)).toBe('2027-01-12')
    expect(addDays('2027-01-12', -14)).toBe('2026-12-29')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(addDays('2026-01-12', 0)).toBe('2026-01-12')
  })

  it('is not thrown off by the switch to summer or winter time', () => {
    // Europe switches on the last Sunday of March and of October; a day is still a day.
    expect(addDays('2026-03-28', 2)).toBe('2026-03-30')
    expect(addDays('2026-10-24', 2)).toBe('2026-10-26')
  })
})

describe('daysInclusive', () => {
  it('counts both the first and the last day', () => {
    expect(daysInclusive('2026-01-12', '2026-01-25')).toBe(14)
    expect(daysInclusive('2026-01-12', '2026-01-12')).toBe(1)
    expect(daysInclusive('2026-12-29', '2027-01-11')).toBe(14)
    expect(daysInclusive('2024-02-01', '2024-02-29')).toBe(29)
  })

  it('is zero or less when the end lies before the start', () => {
    expect(daysInclusive('2026-01-12', '2026-01-11')).toBe(0)
    expect(daysInclusive('2026-01-12', '2026-01-01')).toBe(-10)
  })
})

describe('mondayOf', () => {
  it('gives the Monday of the week, counting Sunday as its last day', () => {
    // 12 January 2026 is a Monday.
    expect(mondayOf('2026-01-12')).toBe('2026-01-12')
    expect(mondayOf('2026-01-13')).toBe('2026-01-12')
    expect(mondayOf('2026-01-17')).toBe('2026-01-12') // Saturday
    expect(mondayOf('2026-01-18')).toBe('2026-01-12') // Sunday → the Monday before
    expect(mondayOf('2026-01-19')).toBe('2026-01-19')
  })

  it('goes back across month and year ends', () => {
    expect(mondayOf('2027-01-01')).toBe('2026-12-28') // a Friday
    expect(mondayOf('2026-03-01')).toBe('2026-02-23') // a Sunday
  })
})

describe('today', () => {
  const zone = process.env.TZ
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })

  it('is the local calendar day of the moment given', () => {
    expect(today(new Date(2026, 0, 12, 0, 5))).toBe('2026-01-12')
    expect(today(new Date(2026, 0, 12, 23, 55))).toBe('2026-01-12')
    expect(today(new Date(2026, 8, 3, 12))).toBe('2026-09-03')
  })

  it('follows the local clock where it differs from UTC', () => {
    const newYear = new Date('2026-12-31T23:30:00Z')
    process.env.TZ = 'Europe/Amsterdam' // already 00:30 on 1 January there
    expect(today(newYear)).toBe('2027-01-01')
    process.env.TZ = 'America/New_York' // still the evening of 31 December
    expect(today(new Date('2027-01-01T02:00:00Z'))).toBe('2026-12-31')
  })

  it('defaults to now', () => {
    const before = today()
    const now = today(new Date())
    expect(isIsoDate(now)).toBe(true)
    // Around midnight the two calls may fall on neighbouring days, never further apart.
    expect(daysInclusive(before, now)).toBeGreaterThanOrEqual(1)
    expect(daysInclusive(before, now)).toBeLessThanOrEqual(2)
  })
})
