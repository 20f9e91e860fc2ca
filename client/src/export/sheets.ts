/**
 * A poster cut into A4 or A3 sheets for a home printer, "posterize" style: the first page is
 * an assembly plan (the poster small, with the grid and each sheet's label), then one page
 * per sheet. Each sheet prints its part of the poster inside a 10 mm margin, with a 10 mm
 * overlap strip on the right and at the bottom for the next sheet to be glued on; cut marks
 * in the margin show where to trim, a dashed line (named after it) where the next sheet's
 * edge goes, and the margin names the sheet ("B2"), its row and column.
 *
 * The poster page is embedded once as a form XObject and drawn, clipped, on every sheet, so
 * its tiles are stored once however many sheets there are — and its text stays text.
 */
import fontkit from '@pdf-lib/fontkit'
import {
  clip,
  endPath,
  PDFDocument,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  rectangle,
  rgb,
  StandardFonts,
} from 'pdf-lib'
import type { ExportFonts } from './fonts.ts'
import { MM, type Rect, type Sheet, type SheetPaper, sheetGrid } from './layout.ts'
import { drawLine, embedFonts, type PdfFonts } from './pdf.ts'

/** The words on the sheets, in the person's language (from the dialog). */
export interface SheetWords {
  /** "Vel {label} · rij {row}, kolom {column} · {index} van {total}" */
  label: (sheet: Sheet, index: number, total: number) => string
  /** The plan page's title and how-to. */
  planTitle: string
  planHelp: string
  /** "Plak {label} hier" on the overlap strip. */
  glue: (label: string) => string
}

export const DEFAULT_SHEET_WORDS: SheetWords = {
  label: (sheet, index, total) =>
    `Sheet ${sheet.label} · row ${sheet.row + 1}, column ${sheet.column + 1} · ${index} of ${total}`,
  planTitle: 'Assembly plan',
  planHelp:
    'Trim each sheet at the cut marks. Keep the strip right and below the dashed line: the next sheet is glued onto it.',
  glue: (label) => `${label} goes here`,
}

const MARK = rgb(0, 0, 0)
const GUIDE = rgb(0.55, 0.55, 0.55)
const MARK_LENGTH = 6 * MM
const MARK_GAP = 1.5 * MM

export async function cutIntoSheets(
  poster: PDFDocument,
  paper: SheetPaper,
  words: SheetWords = DEFAULT_SHEET_WORDS,
  exportFonts?: ExportFonts,
): Promise<PDFDocument> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const posterPage = poster.getPage(0)
  const posterSize = { width: posterPage.getWidth(), height: posterPage.getHeight() }
  const [embedded] = await doc.embedPdf(poster, [0])
  if (!embedded) throw new Error('poster has no page')
  const fonts = exportFonts ? await embedFonts(doc, exportFonts) : await standardFonts(doc)
  const plan = sheetGrid(posterSize, paper)
  const { sheet: size, content, overlap } = plan
  const labelSize = 8

  // The assembly plan: the poster small, the grid over it, each sheet's label in its cell.
  const planPage = doc.addPage([size.width, size.height])
  const fit = Math.min(
    (size.width - 2 * content.x) / posterSize.width,
    (size.height - 2 * content.y - 40) / posterSize.height,
  )
  const origin = { x: (size.width - posterSize.width * fit) / 2, y: content.y + 40 }
  drawLine(planPage, fonts, { text: words.planTitle, x: content.x, y: content.y + 12, size: 14 })
  drawLine(planPage, fonts, { text: words.planHelp, x: content.x, y: content.y + 28, size: 8 })
  planPage.drawPage(embedded, {
    x: origin.x,
    y: size.height - origin.y - posterSize.height * fit,
    width: posterSize.width * fit,
    height: posterSize.height * fit,
  })
  for (const sheet of plan.sheets) {
    const own = ownArea(sheet, plan.rows, plan.columns, content, overlap, posterSize)
    const cell = {
      x: origin.x + sheet.region.x * fit,
      y: origin.y + sheet.region.y * fit,
      width: own.width * fit,
      height: own.height * fit,
    }
    planPage.drawRectangle({
      x: cell.x,
      y: size.height - cell.y - cell.height,
      width: cell.width,
      height: cell.height,
      borderColor: rgb(0.8, 0.1, 0.1),
      borderWidth: 0.75,
    })
    drawLine(planPage, fonts, { text: sheet.label, x: cell.x + 3, y: cell.y + 12, size: 10 }, rgb(0.8, 0.1, 0.1))
  }

  plan.sheets.forEach((sheet, i) => {
    const page = doc.addPage([size.width, size.height])
    // The poster, shifted so this sheet's region lands in the content area, clipped to it.
    page.pushOperators(
      pushGraphicsState(),
      rectangle(content.x, content.y, content.width, content.height),
      clip(),
      endPath(),
    )
    page.drawPage(embedded, {
      x: content.x - sheet.region.x,
      y: size.height - content.y - posterSize.height + sheet.region.y,
      width: posterSize.width,
      height: posterSize.height,
    })
    page.pushOperators(popGraphicsState())
    const own = ownArea(sheet, plan.rows, plan.columns, content, overlap, posterSize)
    drawCutMarks(page, trimArea(sheet, plan.rows, plan.columns, content, posterSize), content)
    drawGlueGuides(page, fonts, sheet, plan, own, words)
    drawLine(page, fonts, {
      text: words.label(sheet, i + 1, plan.sheets.length),
      x: content.x,
      y: size.height - content.y / 2 + labelSize / 3,
      size: labelSize,
    })
  })
  return doc
}

/**
 * The part of a sheet that shows on the assembled poster (top-down, sheet units): the
 * content area without the overlap strips its neighbours cover, never past the poster's edge.
 */
function ownArea(
  sheet: Sheet,
  rows: number,
  columns: number,
  content: Rect,
  overlap: number,
  poster: { width: number; height: number },
): Rect {
  const right = sheet.column < columns - 1 ? content.width - overlap : poster.width - sheet.region.x
  const bottom = sheet.row < rows - 1 ? content.height - overlap : poster.height - sheet.region.y
  return { x: content.x, y: content.y, width: Math.min(content.width, right), height: Math.min(content.height, bottom) }
}

/** Where to cut: the content area's edges (the overlap strips stay), the poster's own edge on the last row and column. */
function trimArea(
  sheet: Sheet,
  rows: number,
  columns: number,
  content: Rect,
  poster: { width: number; height: number },
): Rect {
  const width = sheet.column < columns - 1 ? content.width : Math.min(content.width, poster.width - sheet.region.x)
  const height = sheet.row < rows - 1 ? content.height : Math.min(content.height, poster.height - sheet.region.y)
  return { x: content.x, y: content.y, width, height }
}

/**
 * Crop marks: short lines in the margin, in line with the trimmed area's edges — vertical
 * ones above and below the content, horizontal ones left and right of it — never over the image.
 */
function drawCutMarks(page: PDFPage, own: Rect, content: Rect) {
  const h = page.getHeight()
  const line = (x1: number, y1: number, x2: number, y2: number) =>
    page.drawLine({ start: { x: x1, y: h - y1 }, end: { x: x2, y: h - y2 }, thickness: 0.5, color: MARK })
  const top = content.y
  const bottom = content.y + content.height
  for (const x of [own.x, own.x + own.width]) {
    line(x, top - MARK_GAP, x, top - MARK_GAP - MARK_LENGTH)
    line(x, bottom + MARK_GAP, x, bottom + MARK_GAP + MARK_LENGTH)
  }
  const left = content.x
  const right = content.x + content.width
  for (const y of [own.y, own.y + own.height]) {
    line(left - MARK_GAP, y, left - MARK_GAP - MARK_LENGTH, y)
    line(right + MARK_GAP, y, right + MARK_GAP + MARK_LENGTH, y)
  }
}

/** Dashed lines where the right and lower neighbours' edges go, with their names. */
function drawGlueGuides(
  page: PDFPage,
  fonts: PdfFonts,
  sheet: Sheet,
  plan: ReturnType<typeof sheetGrid>,
  own: Rect,
  words: SheetWords,
) {
  const h = page.getHeight()
  const { content } = plan
  const dashed = { thickness: 0.5, color: GUIDE, dashArray: [3, 3] }
  const labelOf = (row: number, column: number) => plan.sheets[row * plan.columns + column]?.label ?? ''
  if (sheet.column < plan.columns - 1) {
    const x = own.x + own.width
    page.drawLine({ start: { x, y: h - content.y }, end: { x, y: h - content.y - content.height }, ...dashed })
    const text = words.glue(labelOf(sheet.row, sheet.column + 1))
    drawLine(page, fonts, { text, x: x + 2, y: content.y - 3, size: 6 }, GUIDE)
  }
  if (sheet.row < plan.rows - 1) {
    const y = h - own.y - own.height
    page.drawLine({ start: { x: content.x, y }, end: { x: content.x + content.width, y }, ...dashed })
    const text = words.glue(labelOf(sheet.row + 1, sheet.column))
    drawLine(page, fonts, { text, x: content.x + content.width + 2 - 60, y: h - y + 8, size: 6 }, GUIDE)
  }
}

/** When no export fonts are passed (tests, tools): Helvetica, which every PDF reader has. */
async function standardFonts(doc: PDFDocument): Promise<PdfFonts> {
  const font = await doc.embedFont(StandardFonts.Helvetica)
  return { latin: font, latinExt: font }
}
