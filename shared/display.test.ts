import { describe, expect, it } from 'vitest'
import { parseDisplayParams, sanitizeDisplaySettings } from './display.ts'

describe(parseDisplayParams, () => {
  it('reads every setting from a kiosk URL', () => {
    expect(parseDisplayParams('?mode=tour&seconds=30&join=1&contrast=high&cursors=1')).toEqual({
      mode: 'tour',
      tourSeconds: 30,
      showJoinCode: true,
      highContrast: true,
      showCursors: true,
    })
  })

  it('ignores unknown modes and clamps the tour time', () => {
    expect(parseDisplayParams('?mode=party&seconds=1')).toEqual({ tourSeconds: 5 })
    expect(parseDisplayParams('')).toEqual({})
  })
})

describe(sanitizeDisplaySettings, () => {
  it('keeps only valid fields from the document', () => {
    expect(sanitizeDisplaySettings({ mode: 'follow', tourSeconds: 'x', joinLink: 42, showCursors: false })).toEqual({
      mode: 'follow',
      showCursors: false,
    })
    expect(sanitizeDisplaySettings(null)).toEqual({})
  })
})
