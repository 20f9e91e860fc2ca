/**
 * The export's page arithmetic: paper sizes, text wrapping, the page layout (header above,
 * legend below, the drawing fitted between), the poster's tiles and the home-printer sheets.
 */
import { describe, expect, it } from 'vitest'
import { layoutPage, MM, paperSize, sheetGrid, tileGrid, wrapText } from './layout.ts'

/** Every character as wide as half its font size: easy to reason about. */
const measure = (text: string, size: number) => text.length * size * 0.5

describe('paperSize', () => {
  it('gives A1 as 594 × 841 mm in points, turned for landscape', () => {
    expect(paperSize('A1', 'portrait')).toEqual({ width: 1683.78, height: 2383.94 })
    expect(paperSize('A1', 'landscape')).toEqual({ width: 2383.94, height: 1683.78 })
    expect(paperSize('A0', 'portrait').width / MM).toBeCloseTo(841, 0)
  })
})

describe('wrapText', () => {
  it('breaks at spaces within the width and ends a cut-off text with an ellipsis', () => {
    expect(wrapText('een twee drie vier', 50, 10, measure)).toEqual(['een twee', 'drie vier'])
    const lines = wrapText('a b c d e f g h', 10, 10, measure, 2)
    expect(lines).toHaveLength(2)
    expect(lines[1]?.endsWith('…')).toBe(true)
  })

  it('keeps a word longer than a line whole', () => {
    expect(wrapText('Digitaliseringsprogramma kort', 40, 10, measure)).toEqual(['Digitaliseringsprogramma', 'kort'])
  })
})

describe('layoutPage', () => {
  const content = {
    mission: 'Iedere inwoner regelt zijn zaken digitaal, en wie dat niet kan wordt geholpen',
    subline: 'Voorbeeld Digitaal 2030 · 1 december 2026',
    legend: [
      { name: 'Missie & strategie', color: '#4465e9', depth: 0 },
      { name: 'Sociaal domein', color: '#099268', depth: 1 },
    ],
    drawing: { width: 4000, height: 2000 },
  }

  it('puts the mission above the drawing, the legend below it, all inside the page', () => {
    const page = paperSize('A1', 'landscape')
    const layout = layoutPage(content, page, measure)
    const lastMission = layout.mission[layout.mission.length - 1]
    expect(layout.mission.length).toBeGreaterThan(0)
    expect(lastMission?.y).toBeLessThan(layout.drawing.y)
    expect(layout.drawing.y + layout.drawing.height).toBeLessThan(layout.legend[0]?.swatch.y ?? 0)
    for (const item of layout.legend) expect(item.label.y).toBeLessThan(page.height)
    expect(layout.drawing.x + layout.drawing.width).toBeLessThanOrEqual(page.width)
    // Fitted: the drawing keeps its aspect ratio.
    expect(layout.drawing.width / layout.drawing.height).toBeCloseTo(2, 5)
    expect(layout.scale).toBeCloseTo(layout.drawing.width / 4000, 8)
  })

  it('grows an image page to the drawing at scale 1', () => {
    const layout = layoutPage(content, { width: 4400, height: null }, measure)
    expect(layout.scale).toBe(1)
    expect(layout.drawing.width).toBe(4000)
    expect(layout.page.height).toBeGreaterThan(layout.drawing.y + 2000)
  })
})

describe('tileGrid', () => {
  it('covers the area with tiles of at most 4096 px that overlap by 2 px at one pixel ratio', () => {
    const bounds = { x: -500, y: 100, width: 3000, height: 2000 }
    const pixelRatio = 3 // 9000 × 6000 px
    const tiles = tileGrid(bounds, pixelRatio)
    expect(tiles).toHaveLength(3 * 2)
    for (const { source } of tiles) {
      expect(source.width * pixelRatio).toBeLessThanOrEqual(4096 + 1e-6)
      expect(source.height * pixelRatio).toBeLessThanOrEqual(4096 + 1e-6)
      expect(source.x).toBeGreaterThanOrEqual(bounds.x)
      expect(source.x + source.width).toBeLessThanOrEqual(bounds.x + bounds.width + 1e-9)
    }
    const [first, second] = tiles
    // Neighbours overlap by 4 px (2 each side of the cut), in drawing units.
    expect(((first?.source.x ?? 0) + (first?.source.width ?? 0) - (second?.source.x ?? 0)) * pixelRatio).toBeCloseTo(
      4,
      6,
    )
    const right = Math.max(...tiles.map((t) => t.source.x + t.source.width))
    const bottom = Math.max(...tiles.map((t) => t.source.y + t.source.height))
    expect(right).toBeCloseTo(bounds.x + bounds.width, 9)
    expect(bottom).toBeCloseTo(bounds.y + bounds.height, 9)
  })

  it('is one tile for a small area', () => {
    expect(tileGrid({ x: 0, y: 0, width: 100, height: 100 }, 2)).toHaveLength(1)
  })
})

describe('sheetGrid', () => {
  it('cuts an A1 poster into A4 sheets that together cover it, neighbours sharing a 10 mm strip', () => {
    const poster = paperSize('A1', 'portrait')
    const plan = sheetGrid(poster, 'A4')
    const { content, overlap } = plan
    expect(overlap).toBeCloseTo(10 * MM, 9)
    // The last sheets reach the poster's edges.
    const last = plan.sheets[plan.sheets.length - 1]
    expect((last?.region.x ?? 0) + content.width).toBeGreaterThanOrEqual(poster.width)
    expect((last?.region.y ?? 0) + content.height).toBeGreaterThanOrEqual(poster.height)
    // Each region starts where its left neighbour's strip starts.
    const [a1, a2] = plan.sheets
    expect((a1?.region.x ?? 0) + content.width - (a2?.region.x ?? 0)).toBeCloseTo(overlap, 9)
    expect(a1?.label).toBe('A1')
    expect(plan.sheets.find((s) => s.row === 1 && s.column === 0)?.label).toBe('B1')
    expect(plan.sheets).toHaveLength(plan.rows * plan.columns)
    // A1 is eight A4s; with margins and overlap it takes more, but not absurdly many.
    expect(plan.sheets.length).toBeGreaterThanOrEqual(8)
    expect(plan.sheets.length).toBeLessThanOrEqual(15)
  })
})
