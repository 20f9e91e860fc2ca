import { describe, expect, it } from 'vitest'
import { qrPath } from './qr.ts'
import { richTextToPlain } from './richText.ts'

describe(qrPath, () => {
  it('draws a square code with a quiet zone, bigger for longer links', () => {
    const short = qrPath('https://stip.example/b/x#token=abc')
    const long = qrPath(`https://stip.example/b/x#token=${'a'.repeat(43)}`)
    expect(short.size).toBeGreaterThanOrEqual(21 + 8)
    expect(long.size).toBeGreaterThan(short.size)
    expect(short.d).toMatch(/^M4 4h1v1h-1z/) // the finder pattern's corner, inside the quiet zone
  })
})

describe(richTextToPlain, () => {
  it('joins paragraphs of tldraw rich text into one line', () => {
    const doc = {
      type: 'doc',
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'Digitaal' },
            { type: 'text', text: ' dichtbij' },
          ],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'voor iedereen' }] },
      ],
    }
    expect(richTextToPlain(doc)).toBe('Digitaal dichtbij voor iedereen')
    expect(richTextToPlain(undefined)).toBe('')
  })
})
