/**
 * The iteration rhythm: numbering from the first start (and before it), the current and
 * the next iteration for a given day, two-, three- and four-week steps, what may be stored
 * as `meta.iterations`, the span warning of a milestone, and the labels in Dutch and English.
 */
import { describe, expect, it } from 'vitest'
import { daysInclusive } from './dates.ts'
import {
  effectiveRhythm,
  formatDateRange,
  formatIteration,
  type IterationRhythm,
  iterationAfter,
  iterationNumbered,
  iterationOf,
  readRhythm,
  refuseRhythm,
  spanWarning,
} from './iterations.ts'

/** Two-week iterations from Monday 12 January 2026. */
const twoWeeks: IterationRhythm = { weeks: 2, firstStart: '2026-01-12' }

describe('iterationOf', () => {
  it('puts the first start in iteration 1, up to and including its last day', () => {
    expect(iterationOf(twoWeeks, '2026-01-12')).toEqual({ number: 1, start: '2026-01-12', end: '2026-01-25' })
    expect(iterationOf(twoWeeks, '2026-01-18')).toEqual({ number: 1, start: '2026-01-12', end: '2026-01-25' })
    expect(iterationOf(twoWeeks, '2026-01-25')).toEqual({ number: 1, start: '2026-01-12', end: '2026-01-25' })
  })

  it('starts iteration 2 the day after', () => {
    expect(iterationOf(twoWeeks, '2026-01-26')).toEqual({ number: 2, start: '2026-01-26', end: '2026-02-08' })
  })

  it('numbers the days before the first start 0, -1 and so on', () => {
    expect(iterationOf(twoWeeks, '2026-01-11')).toEqual({ number: 0, start: '2025-12-29', end: '2026-01-11' })
    expect(iterationOf(twoWeeks, '2025-12-29')).toMatchObject({ number: 0 })
    expect(iterationOf(twoWeeks, '2025-12-28')).toEqual({ number: -1, start: '2025-12-15', end: '2025-12-28' })
  })

  it('is the current iteration for a given today, far into the year', () => {
    // Iteration 5 runs 9–22 March 2026; iteration 26 runs into the next year.
    expect(iterationOf(twoWeeks, '2026-03-16')).toEqual({ number: 5, start: '2026-03-09', end: '2026-03-22' })
    expect(iterationOf(twoWeeks, '2027-01-01')).toEqual({ number: 26, start: '2026-12-28', end: '2027-01-10' })
  })

  it('steps by two, three or four weeks', () => {
    for (const weeks of [2, 3, 4] as const) {
      const rhythm: IterationRhythm = { weeks, firstStart: '2026-01-12' }
      const first = iterationOf(rhythm, '2026-01-12')
      expect(daysInclusive(first.start, first.end)).toBe(weeks * 7)
      const second = iterationNumbered(rhythm, 2)
      expect(iterationOf(rhythm, second.start)).toEqual(second)
      expect(daysInclusive(first.start, second.start)).toBe(weeks * 7 + 1)
    }
    expect(iterationOf({ weeks: 3, firstStart: '2026-01-12' }, '2026-02-02')).toEqual({
      number: 2,
      start: '2026-02-02',
      end: '2026-02-22',
    })
    expect(iterationOf({ weeks: 4, firstStart: '2026-01-12' }, '2026-02-08')).toEqual({
      number: 1,
      start: '2026-01-12',
      end: '2026-02-08',
    })
  })

  it('leaves no day out and counts none twice', () => {
    let previous = iterationOf(twoWeeks, '2025-11-01')
    for (let day = 1; day < 200; day++) {
      const iso = new Date(Date.UTC(2025, 10, 1 + day)).toISOString().slice(0, 10)
      const iteration = iterationOf(twoWeeks, iso)
      expect(iteration.start <= iso && iso <= iteration.end, iso).toBe(true)
      if (iteration.number !== previous.number) {
        expect(iteration.number).toBe(previous.number + 1)
        expect(daysInclusive(previous.end, iteration.start)).toBe(2)
      }
      previous = iteration
    }
  })
})

describe('iterationAfter', () => {
  it('is the next iteration, whichever day of the current one you ask on', () => {
    const second = { number: 2, start: '2026-01-26', end: '2026-02-08' }
    expect(iterationAfter(twoWeeks, '2026-01-12')).toEqual(second)
    expect(iterationAfter(twoWeeks, '2026-01-25')).toEqual(second)
    expect(iterationAfter(twoWeeks, '2026-01-26')).toMatchObject({ number: 3, start: '2026-02-09' })
  })

  it('works before the first start too', () => {
    expect(iterationAfter(twoWeeks, '2026-01-11')).toMatchObject({ number: 1, start: '2026-01-12' })
  })
})

describe('readRhythm and refuseRhythm', () => {
  it('accept two, three or four weeks from a real day', () => {
    for (const weeks of [2, 3, 4]) {
      const value = { weeks, firstStart: '2026-01-12' }
      expect(readRhythm(value)).toEqual(value)
      expect(refuseRhythm(value)).toBeNull()
    }
  })

  it('refuse other step lengths', () => {
    for (const weeks of [1, 5, 0, -2, 2.5, '2', null, undefined, Number.NaN]) {
      const value = { weeks, firstStart: '2026-01-12' }
      expect(readRhythm(value), String(weeks)).toBeNull()
      expect(refuseRhythm(value), String(weeks)).toMatch(/weeks/)
    }
  })

  it('refuse a first start that is not a real day', () => {
    for (const firstStart of ['2026-02-30', '12-01-2026', '2026-01-12T00:00', '', 20260112, null]) {
      const value = { weeks: 2, firstStart }
      expect(readRhythm(value), String(firstStart)).toBeNull()
      expect(refuseRhythm(value), String(firstStart)).toMatch(/firstStart/)
    }
  })

  it('refuse values that are not a rhythm object at all', () => {
    for (const value of [null, 2, 'two weeks', [2, '2026-01-12'], true]) {
      expect(readRhythm(value)).toBeNull()
      expect(refuseRhythm(value)).not.toBeNull()
    }
  })

  it('read past extra keys, but refuse to store them', () => {
    const value = { weeks: 2, firstStart: '2026-01-12', note: 'x' }
    expect(readRhythm(value)).toEqual({ weeks: 2, firstStart: '2026-01-12' })
    expect(refuseRhythm(value)).toBe('an iteration rhythm has only weeks and firstStart')
  })

  it('allow undefined: deleting the rhythm', () => {
    expect(refuseRhythm(undefined)).toBeNull()
    expect(readRhythm(undefined)).toBeNull()
  })
})

describe('effectiveRhythm', () => {
  it('is the board rhythm when there is one', () => {
    const rhythm: IterationRhythm = { weeks: 3, firstStart: '2026-01-05' }
    expect(effectiveRhythm(rhythm, '2026-06-17')).toBe(rhythm)
  })

  it('is two weeks from the Monday of this week without one', () => {
    expect(effectiveRhythm(null, '2026-01-15')).toEqual({ weeks: 2, firstStart: '2026-01-12' })
    expect(effectiveRhythm(null, '2026-01-18')).toEqual({ weeks: 2, firstStart: '2026-01-12' }) // a Sunday
    expect(iterationAfter(effectiveRhythm(null, '2026-01-15'), '2026-01-15')).toEqual({
      number: 2,
      start: '2026-01-26',
      end: '2026-02-08',
    })
  })
})

describe('spanWarning', () => {
  it('is quiet for two to four weeks', () => {
    expect(spanWarning('2026-01-12', '2026-01-25')).toBeNull() // 14 days
    expect(spanWarning('2026-01-12', '2026-02-01')).toBeNull() // 21 days
    expect(spanWarning('2026-01-12', '2026-02-08')).toBeNull() // 28 days
  })

  it('warns under two weeks', () => {
    expect(spanWarning('2026-01-12', '2026-01-24')).toBe('short') // 13 days
    expect(spanWarning('2026-01-12', '2026-01-12')).toBe('short') // 1 day
  })

  it('warns over four weeks', () => {
    expect(spanWarning('2026-01-12', '2026-02-09')).toBe('long') // 29 days
    expect(spanWarning('2026-01-12', '2026-12-31')).toBe('long')
  })

  it('warns when it ends before it starts', () => {
    expect(spanWarning('2026-01-12', '2026-01-11')).toBe('backwards')
    expect(spanWarning('2026-02-01', '2026-01-12')).toBe('backwards')
  })

  it('says nothing about dates that are not days (the schema refuses those)', () => {
    expect(spanWarning('2026-02-30', '2026-03-14')).toBeNull()
    expect(spanWarning('2026-01-12', '')).toBeNull()
  })
})

describe('formatDateRange and formatIteration', () => {
  it('never counts iterations backwards: a step before the first is "before iteration 1"', () => {
    const rhythm: IterationRhythm = { weeks: 2, firstStart: '2026-01-12' }
    const early = { ...iterationOf(rhythm, '2025-03-03'), start: '2025-03-03', end: '2025-03-16' }
    expect(early.number).toBeLessThan(1)
    expect(formatIteration(early, 'nl')).toBe('Vóór iteratie 1 · 3–16 mrt')
    expect(formatIteration(early, 'en')).toBe('Before iteration 1 · 3–16 Mar')
    expect(formatIteration(iterationNumbered(rhythm, 1), 'nl')).toBe('Iteratie 1 · 12–25 jan')
  })

  it('write one month once', () => {
    expect(formatDateRange('2026-01-12', '2026-01-25', 'nl')).toBe('12–25 jan')
    expect(formatDateRange('2026-01-12', '2026-01-25', 'en')).toBe('12–25 Jan')
    expect(formatDateRange('2026-03-02', '2026-03-15', 'nl')).toBe('2–15 mrt')
  })

  it('write both months across a month end', () => {
    expect(formatDateRange('2026-01-26', '2026-02-08', 'nl')).toBe('26 jan – 8 feb')
    expect(formatDateRange('2026-05-25', '2026-06-07', 'en')).toBe('25 May – 7 Jun')
    expect(formatDateRange('2026-10-26', '2026-11-08', 'nl')).toBe('26 okt – 8 nov')
  })

  it('write both years across a year end', () => {
    expect(formatDateRange('2026-12-28', '2027-01-10', 'nl')).toBe('28 dec 2026 – 10 jan 2027')
    expect(formatDateRange('2026-12-28', '2027-01-10', 'en')).toBe('28 Dec 2026 – 10 Jan 2027')
  })

  it('label an iteration with its number and days', () => {
    const fifth = iterationNumbered({ weeks: 2, firstStart: '2025-09-22' }, 5)
    expect(fifth).toEqual({ number: 5, start: '2025-11-17', end: '2025-11-30' })
    expect(formatIteration({ number: 5, start: '2026-01-12', end: '2026-01-25' }, 'nl')).toBe('Iteratie 5 · 12–25 jan')
    expect(formatIteration({ number: 5, start: '2026-01-12', end: '2026-01-25' }, 'en')).toBe('Iteration 5 · 12–25 Jan')
    expect(formatIteration(iterationOf(twoWeeks, '2026-01-30'), 'nl')).toBe('Iteratie 2 · 26 jan – 8 feb')
    expect(formatIteration(iterationOf(twoWeeks, '2027-01-01'), 'en')).toBe('Iteration 26 · 28 Dec 2026 – 10 Jan 2027')
  })
})
