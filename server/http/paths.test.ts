/** Which answer the paths route gives for an `Accept` header: CSV only when asked for first. */
import { describe, expect, it } from 'vitest'
import { prefersCsv } from './paths.ts'

describe(prefersCsv, () => {
  it('answers CSV when text/csv ranks above JSON', () => {
    expect(prefersCsv('text/csv')).toBe(true)
    expect(prefersCsv('text/csv; charset=utf-8')).toBe(true)
    expect(prefersCsv('application/json;q=0.5, text/csv')).toBe(true)
    expect(prefersCsv('TEXT/CSV')).toBe(true)
  })

  it('answers JSON otherwise', () => {
    expect(prefersCsv(undefined)).toBe(false)
    expect(prefersCsv('*/*')).toBe(false)
    expect(prefersCsv('application/json, text/csv')).toBe(false)
    expect(prefersCsv('text/csv;q=0, application/json')).toBe(false)
    expect(prefersCsv('text/csv;q=0.2, application/json;q=0.8')).toBe(false)
    expect(prefersCsv('text/html')).toBe(false)
  })
})
