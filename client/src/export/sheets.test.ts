/**
 * Cutting a poster into home-printer sheets, on a real PDF read back with pdf.js: an
 * assembly plan first, then one A4 page per sheet, each named in its margin; a mark on the
 * poster lands on the sheet whose region holds it, at the right place — twice where it lies
 * in the strip two neighbours share — and the poster's text is still text on the sheets.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { describe, expect, it } from 'vitest'
import { paperSize, sheetGrid } from './layout.ts'
import { cutIntoSheets, DEFAULT_SHEET_WORDS } from './sheets.ts'

const require = createRequire(import.meta.url)
const font = (subset: string) =>
  new Uint8Array(
    fs.readFileSync(require.resolve(`@fontsource/ibm-plex-sans/files/ibm-plex-sans-${subset}-500-normal.woff`)),
  )

/** An A1 poster with a title and one black square (top-down coordinates in points). */
async function poster(square: { x: number; y: number; size: number }) {
  const doc = await PDFDocument.create()
  const size = paperSize('A1', 'portrait')
  const page = doc.addPage([size.width, size.height])
  const helvetica = await doc.embedFont(StandardFonts.Helvetica)
  page.drawText('Samen digitaal in 2030', { x: 80, y: size.height - 120, size: 48, font: helvetica })
  page.drawRectangle({
    x: square.x,
    y: size.height - square.y - square.size,
    width: square.size,
    height: square.size,
    color: rgb(0, 0, 0),
  })
  return { doc, size }
}

/** The grey value (0 black … 255 white) at a point of a page, top-down in points. */
async function pixelAt(pdfBytes: Uint8Array, pageNumber: number, point: { x: number; y: number }) {
  const pdf = await getDocument({ data: pdfBytes.slice(), verbosity: 0 }).promise
  const page = await pdf.getPage(pageNumber)
  const viewport = page.getViewport({ scale: 1, offsetX: -point.x + 2, offsetY: -point.y + 2 })
  const factory = (
    pdf as unknown as { canvasFactory: { create(w: number, h: number): { canvas: unknown; context: unknown } } }
  ).canvasFactory
  const { canvas, context } = factory.create(5, 5)
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise
  const data = (context as CanvasRenderingContext2D).getImageData(2, 2, 1, 1).data
  await pdf.destroy()
  return data[0] ?? 255
}

async function pageTexts(pdfBytes: Uint8Array) {
  const pdf = await getDocument({ data: pdfBytes.slice(), verbosity: 0 }).promise
  const texts: string[] = []
  for (let n = 1; n <= pdf.numPages; n++) {
    const content = await (await pdf.getPage(n)).getTextContent()
    texts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(''))
  }
  await pdf.destroy()
  return texts
}

describe('cutIntoSheets', () => {
  it('makes a plan and one named A4 page per sheet, the poster’s text still text', async () => {
    const { doc, size } = await poster({ x: 0, y: 0, size: 10 })
    const plan = sheetGrid(size, 'A4')
    const sheets = await cutIntoSheets(doc, 'A4', DEFAULT_SHEET_WORDS, {
      latin: font('latin'),
      latinExt: font('latin-ext'),
    })
    const bytes = await sheets.save()
    const texts = await pageTexts(bytes)
    expect(texts).toHaveLength(plan.sheets.length + 1)
    expect(texts[0]).toContain('Assembly plan')
    expect(texts[1]).toContain(`Sheet A1 · row 1, column 1 · 1 of ${plan.sheets.length}`)
    expect(texts[1]).toContain('Samen digitaal in 2030')
    expect(texts[1]).toContain('A2 goes here')
    const last = plan.sheets[plan.sheets.length - 1]
    expect(texts[texts.length - 1]).toContain(`Sheet ${last?.label}`)
    for (const page of sheets.getPages().slice(1)) {
      expect([Math.round(page.getWidth()), Math.round(page.getHeight())].sort((a, b) => a - b)).toEqual([595, 842])
    }
  })

  it('prints a mark where its sheet shows it, on both sheets when it lies in their shared strip', async () => {
    const size = paperSize('A1', 'portrait')
    const plan = sheetGrid(size, 'A4')
    const { content, overlap } = plan
    const a2 = plan.sheets.find((sheet) => sheet.row === 0 && sheet.column === 1)
    const a3 = plan.sheets.find((sheet) => sheet.row === 0 && sheet.column === 2)
    if (!a2 || !a3) throw new Error('an A1 on A4 has at least three columns')
    // A square inside the strip A2 shares with A3: a little right of where A3's region starts.
    const square = { x: a3.region.x + overlap / 4, y: 200, size: overlap / 4 }
    const { doc } = await poster(square)
    const bytes = await (await cutIntoSheets(doc, 'A4')).save()
    const centre = { x: square.x + square.size / 2, y: square.y + square.size / 2 }
    const pageOf = (label: string) => 2 + plan.sheets.findIndex((sheet) => sheet.label === label)
    const onSheet = (region: { x: number; y: number }) => ({
      x: content.x + centre.x - region.x,
      y: content.y + centre.y - region.y,
    })
    expect(await pixelAt(bytes, pageOf('A3'), onSheet(a3.region))).toBeLessThan(50)
    expect(await pixelAt(bytes, pageOf('A2'), onSheet(a2.region))).toBeLessThan(50)
    // Not on A1, whose region ends before it, and not beside the square on A3.
    const a1 = plan.sheets[0]
    expect(a1 && centre.x > a1.region.x + content.width).toBe(true)
    expect(
      await pixelAt(bytes, pageOf('A3'), { x: onSheet(a3.region).x + overlap / 2, y: onSheet(a3.region).y }),
    ).toBeGreaterThan(200)
  })
})
