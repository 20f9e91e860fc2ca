/**
 * Where everything goes on an exported page, as pure arithmetic: no DOM, no pdf-lib, no
 * tldraw — so the PNG/SVG and the PDF share one layout, and unit tests can check it.
 *
 * An export is a page with, from top to bottom: the mission (the north star's text, large,
 * wrapped), a line with the board's name and the date, the drawing (fitted, centred), and
 * a legend of the layers' colours. Coordinates here run from the top-left corner down, in
 * the page's own unit (pt for a PDF, px for an image); the PDF builder flips them.
 *
 * The poster's bitmap is cut into tiles (`tileGrid`) because a browser canvas has a size
 * limit, and a poster is cut into sheets (`sheetGrid`) for a home printer.
 */

/** ISO 216 sizes in PostScript points (1/72 in), portrait: the same figures as pdf-lib's `PageSizes`. */
export const PAPER_SIZES = {
  A0: [2383.94, 3370.39],
  A1: [1683.78, 2383.94],
  A2: [1190.55, 1683.78],
  A3: [841.89, 1190.55],
  A4: [595.28, 841.89],
} as const satisfies Record<string, readonly [number, number]>

export type Paper = keyof typeof PAPER_SIZES
export type PosterPaper = 'A0' | 'A1' | 'A2'
export type SheetPaper = 'A3' | 'A4'
export type Orientation = 'portrait' | 'landscape'
export const POSTER_PAPERS: readonly PosterPaper[] = ['A0', 'A1', 'A2']
export const SHEET_PAPERS: readonly SheetPaper[] = ['A4', 'A3']

export const MM = 72 / 25.4

export interface Size {
  width: number
  height: number
}

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export function paperSize(paper: Paper, orientation: Orientation): Size {
  const [short, long] = PAPER_SIZES[paper]
  return orientation === 'portrait' ? { width: short, height: long } : { width: long, height: short }
}

/** A text's width at a font size, in the page's unit. */
export type Measure = (text: string, size: number) => number

/**
 * Splits `text` into lines no wider than `maxWidth`, at spaces; a word longer than a line
 * stays whole on its own line. At most `maxLines`: the last one ends with an ellipsis.
 */
export function wrapText(text: string, maxWidth: number, size: number, measure: Measure, maxLines = 4): string[] {
  const words = text.split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let line = ''
  for (const word of words) {
    const candidate = line ? `${line} ${word}` : word
    if (line && measure(candidate, size) > maxWidth) {
      lines.push(line)
      line = word
    } else line = candidate
  }
  if (line) lines.push(line)
  if (lines.length <= maxLines) return lines
  const kept = lines.slice(0, maxLines)
  let last = kept[maxLines - 1] as string
  while (last.includes(' ') && measure(`${last} …`, size) > maxWidth) last = last.slice(0, last.lastIndexOf(' '))
  kept[maxLines - 1] = `${last} …`
  return kept
}

export interface LegendEntry {
  name: string
  /** CSS colour (`#rrggbb`). */
  color: string
  /** Depth in the layer tree: 0 for the root. */
  depth: number
}

export interface PageContent {
  /** The mission; may be empty. */
  mission: string
  /** The line under the mission: board name, date, what was exported. */
  subline: string
  legend: readonly LegendEntry[]
  /** The drawing's size in its own unit (page units of the tldraw canvas). */
  drawing: Size
}

export interface TextLine {
  text: string
  x: number
  /** The baseline. */
  y: number
  size: number
}

export interface LegendItem extends LegendEntry {
  swatch: Rect
  label: TextLine
}

export interface PageLayout {
  page: Size
  mission: TextLine[]
  subline: TextLine
  /** Where the drawing goes, already fitted to its aspect ratio. */
  drawing: Rect
  /** Page units per drawing unit. */
  scale: number
  legend: LegendItem[]
  /** A thin rule between header and drawing. */
  rule: Rect
}

/**
 * Lays out a page of a given `page` size (PDF), or — `page.height` null — a page as tall as
 * the drawing needs at scale 1 (PNG, SVG: the image grows with the drawing, never shrinks it).
 */
export function layoutPage(
  content: PageContent,
  page: { width: number; height: number | null },
  measure: Measure,
): PageLayout {
  const base = page.height === null ? page.width : Math.min(page.width, page.height)
  const margin = Math.round(base * 0.04)
  const missionSize = Math.max(14, base * 0.03)
  const subSize = missionSize * 0.45
  const legendSize = missionSize * 0.42
  const inner = page.width - 2 * margin
  const lineGap = missionSize * 1.2

  const missionLines = wrapText(content.mission, inner, missionSize, measure)
  let y = margin
  const mission: TextLine[] = missionLines.map((text) => {
    y += lineGap
    return { text, x: margin, y: y - missionSize * 0.25, size: missionSize }
  })
  y += subSize * 1.6
  const subline: TextLine = { text: content.subline, x: margin, y, size: subSize }
  y += subSize * 1.2
  const rule: Rect = { x: margin, y, width: inner, height: Math.max(0.5, base * 0.0015) }
  const drawingTop = y + subSize * 1.2

  // The legend flows in rows: swatch, name, gap — sub-layers indented by a little.
  const swatchSize = legendSize * 0.9
  const gap = legendSize * 1.4
  const rowHeight = legendSize * 1.7
  const items: Omit<LegendItem, 'swatch' | 'label'>[] = content.legend.map((entry) => ({ ...entry }))
  const rows: { entry: (typeof items)[number]; x: number; width: number }[][] = []
  let row: (typeof rows)[number] = []
  let x = 0
  for (const entry of items) {
    const width = swatchSize + legendSize * 0.5 + measure(entry.name, legendSize)
    if (row.length && x + width > inner) {
      rows.push(row)
      row = []
      x = 0
    }
    row.push({ entry, x, width })
    x += width + gap
  }
  if (row.length) rows.push(row)
  const legendHeight = rows.length ? rows.length * rowHeight + legendSize : 0

  const available: Size = {
    width: inner,
    height:
      page.height === null
        ? content.drawing.height
        : Math.max(1, page.height - margin - legendHeight - drawingTop - subSize),
  }
  const scale =
    page.height === null
      ? 1
      : Math.min(available.width / content.drawing.width, available.height / content.drawing.height)
  const drawingSize = { width: content.drawing.width * scale, height: content.drawing.height * scale }
  const drawing: Rect = {
    x: margin + (inner - drawingSize.width) / 2,
    y: drawingTop + (page.height === null ? 0 : (available.height - drawingSize.height) / 2),
    ...drawingSize,
  }
  if (page.height === null) drawing.x = margin + Math.max(0, (inner - drawingSize.width) / 2)

  const legendTop =
    page.height === null
      ? drawing.y + drawing.height + legendSize * 1.5
      : page.height - margin - legendHeight + legendSize
  const legend: LegendItem[] = rows.flatMap((cells, r) =>
    cells.map(({ entry, x }) => {
      const baseline = legendTop + r * rowHeight + legendSize
      return {
        ...entry,
        swatch: { x: margin + x, y: baseline - swatchSize * 0.85, width: swatchSize, height: swatchSize },
        label: { text: entry.name, x: margin + x + swatchSize + legendSize * 0.5, y: baseline, size: legendSize },
      }
    }),
  )
  const height = page.height ?? Math.ceil(legendTop + legendHeight + margin)
  return { page: { width: page.width, height }, mission, subline, drawing, scale, legend, rule }
}

export interface Tile {
  /** Column and row, from the top-left. */
  column: number
  row: number
  /** The tile's area in drawing units, overlap included. */
  source: Rect
}

/**
 * Cuts a drawing area (`bounds`, drawing units) rendered at `pixelRatio` pixels per unit into
 * tiles of at most `maxPixels` per side. Every tile uses the same pixel ratio; neighbours
 * overlap by `overlapPixels` so no hairline seam shows between them.
 */
export function tileGrid(bounds: Rect, pixelRatio: number, maxPixels = 4096, overlapPixels = 2): Tile[] {
  const step = (maxPixels - 2 * overlapPixels) / pixelRatio
  const overlap = overlapPixels / pixelRatio
  const columns = Math.max(1, Math.ceil(bounds.width / step))
  const rows = Math.max(1, Math.ceil(bounds.height / step))
  const tiles: Tile[] = []
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
      const x0 = Math.max(bounds.x, bounds.x + column * step - overlap)
      const y0 = Math.max(bounds.y, bounds.y + row * step - overlap)
      const x1 = Math.min(bounds.x + bounds.width, bounds.x + (column + 1) * step + overlap)
      const y1 = Math.min(bounds.y + bounds.height, bounds.y + (row + 1) * step + overlap)
      tiles.push({ column, row, source: { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } })
    }
  }
  return tiles
}

export interface Sheet {
  row: number
  column: number
  /** "A1", "A2", … "B1": row letter, column number, as on the assembly plan. */
  label: string
  /** The part of the poster this sheet prints (poster units, from the top-left), overlap included. */
  region: Rect
}

export interface SheetPlan {
  sheet: Size
  /** The printable area on each sheet, from its top-left. */
  content: Rect
  overlap: number
  rows: number
  columns: number
  sheets: Sheet[]
}

/**
 * Cuts a poster into home-printer sheets. Each sheet prints a `content` area inside a
 * `margin` (printers cannot print to the edge); neighbours share an `overlap` strip on the
 * right and at the bottom, to glue the next sheet onto. The sheet's orientation is the one
 * that needs the fewest sheets.
 */
export function sheetGrid(poster: Size, paper: SheetPaper, margin = 10 * MM, overlap = 10 * MM): SheetPlan {
  const plan = (orientation: Orientation): SheetPlan => {
    const sheet = paperSize(paper, orientation)
    const content: Rect = { x: margin, y: margin, width: sheet.width - 2 * margin, height: sheet.height - 2 * margin }
    const stepX = content.width - overlap
    const stepY = content.height - overlap
    const columns = Math.max(1, Math.ceil((poster.width - overlap) / stepX - 1e-9))
    const rows = Math.max(1, Math.ceil((poster.height - overlap) / stepY - 1e-9))
    const sheets: Sheet[] = []
    for (let row = 0; row < rows; row++) {
      for (let column = 0; column < columns; column++) {
        sheets.push({
          row,
          column,
          label: `${String.fromCharCode(65 + row)}${column + 1}`,
          region: { x: column * stepX, y: row * stepY, width: content.width, height: content.height },
        })
      }
    }
    return { sheet, content, overlap, rows, columns, sheets }
  }
  const portrait = plan('portrait')
  const landscape = plan('landscape')
  return landscape.sheets.length < portrait.sheets.length ? landscape : portrait
}
