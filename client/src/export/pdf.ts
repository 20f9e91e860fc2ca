/**
 * The board as a PDF: one page of A4 to A0 (a poster), or that poster cut into A4/A3 sheets
 * for a home printer (`sheets.ts`). A reusable builder — an editor and options in, the PDF's
 * bytes out — for the export dialog and for anything else that needs the board as a PDF
 * (the records office's archive: `buildBoardPdf`).
 *
 * The mission, the board's name and date and the legend are real PDF text in an embedded,
 * subsetted IBM Plex Sans, so a reader can search and copy them. The drawing is a raster at
 * print resolution [1], cut into tiles of at most 4096×4096 px (the size every browser's
 * canvas allows) with the same pixel ratio for every tile and a 2 px overlap, so no seam
 * shows. Each tile renders only the shapes that reach into it, which keeps a 5,000-shape
 * poster fast.
 *
 * [1] Why not vector: tldraw draws its text labels as HTML in `<foreignObject>`, and no
 *     SVG-to-PDF converter that runs in the browser (svg2pdf.js, SVG-to-PDFKit) draws
 *     foreignObject: the text would be lost. Chromium's own print-to-PDF keeps vectors but
 *     needs a headless browser on the server. A raster at ≥150 dpi prints sharp at the
 *     size it is printed; the words that matter most (mission, legend) stay vector text.
 */
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'
import { Box, type Editor } from 'tldraw'
import { type ExportFonts, fontRuns, loadExportFonts } from './fonts.ts'
import {
  layoutPage,
  type Orientation,
  type PageLayout,
  type Paper,
  paperSize,
  type Rect,
  type SheetPaper,
  type TextLine,
  tileGrid,
} from './layout.ts'
import { collectExport, type ExportContent, type ExportContext, ExportError, type ExportScope } from './scope.ts'
import { cutIntoSheets, type SheetWords } from './sheets.ts'

export interface PdfOptions {
  paper: Paper
  /** 'auto': the orientation that suits the drawing's shape. */
  orientation: Orientation | 'auto'
  /** Dots per inch of the drawing's raster (default: 150 for A0–A2, 200 for A3/A4). */
  dpi?: number
  /** Cut the page into sheets of this size, with overlap and cut marks. */
  sheets?: SheetPaper | null
  sheetWords?: SheetWords
  fonts: ExportFonts
  /** The PDF's title in its properties (default: the mission). */
  title?: string
  language?: string
  /** Called after each tile: for a progress bar. */
  onProgress?: (done: number, total: number) => void
}

export interface PdfFonts {
  latin: PDFFont
  latinExt: PDFFont
}

/** The tldraw light theme's export background: the drawing's area is filled with it first. */
const DRAWING_BACKGROUND = rgb(0xf9 / 255, 0xfa / 255, 0xfb / 255)
/** Page units around each tile in which a shape still counts as reaching into it (strokes, labels). */
const TILE_REACH = 24

export async function buildPdf(editor: Editor, content: ExportContent, options: PdfOptions): Promise<Uint8Array> {
  const bounds = content.bounds
  if (!bounds || content.shapeIds.length === 0) throw new ExportError('empty')
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  const fonts = await embedFonts(doc, options.fonts)
  const orientation =
    options.orientation === 'auto' ? (bounds.width >= bounds.height ? 'landscape' : 'portrait') : options.orientation
  const size = paperSize(options.paper, orientation)
  const layout = layoutPage(
    { mission: content.mission, subline: content.subline, legend: content.legend, drawing: bounds },
    size,
    measureWith(fonts),
  )
  const page = doc.addPage([size.width, size.height])
  drawFrame(page, layout, fonts)

  const dpi = options.dpi ?? (['A0', 'A1', 'A2'].includes(options.paper) ? 150 : 200)
  await drawDrawing(editor, page, layout, content, dpi, options.onProgress)

  doc.setTitle(options.title ?? (content.mission || content.subline))
  doc.setSubject(content.subline)
  doc.setCreator('Stip')
  doc.setProducer('Stip (pdf-lib)')
  if (options.language) doc.setLanguage(options.language)
  if (!options.sheets) return doc.save()

  const sheets = await cutIntoSheets(doc, options.sheets, options.sheetWords, options.fonts)
  sheets.setTitle(options.title ?? (content.mission || content.subline))
  sheets.setCreator('Stip')
  if (options.language) sheets.setLanguage(options.language)
  return sheets.save()
}

/**
 * The one-call form, for other features (the records office's archive): the board (or a
 * layer) of `editor` as a PDF's bytes — what this person's view shows, read by
 * `collectExport`, with the export fonts loaded from this server unless given.
 *
 *     const bytes = await buildBoardPdf(editor, { layers, shown: null, boardName, language: 'nl',
 *       words: { layer: (name) => `Laag: ${name}`, selection: 'Selectie' } }, { paper: 'A4', orientation: 'auto' })
 */
export async function buildBoardPdf(
  editor: Editor,
  context: ExportContext,
  options: Omit<PdfOptions, 'fonts'> & { fonts?: ExportFonts; scope?: ExportScope },
): Promise<Uint8Array> {
  const content = collectExport(editor, options.scope ?? { kind: 'board' }, context)
  const fonts = options.fonts ?? (await loadExportFonts())
  return buildPdf(editor, content, { language: context.language, ...options, fonts })
}

export async function embedFonts(doc: PDFDocument, fonts: ExportFonts): Promise<PdfFonts> {
  const [latin, latinExt] = await Promise.all([
    doc.embedFont(fonts.latin, { subset: true }),
    doc.embedFont(fonts.latinExt, { subset: true }),
  ])
  return { latin, latinExt }
}

const runsOf = (fonts: PdfFonts, text: string) => {
  const latin = new Set(fonts.latin.getCharacterSet())
  const ext = new Set(fonts.latinExt.getCharacterSet())
  return fontRuns(
    text,
    (code) => ext.has(code),
    (code) => latin.has(code),
  ).map((run) => ({ text: run.text, font: run.font === 0 ? fonts.latin : fonts.latinExt }))
}

export function measureWith(fonts: PdfFonts) {
  return (text: string, size: number) =>
    runsOf(fonts, text).reduce((width, run) => width + run.font.widthOfTextAtSize(run.text, size), 0)
}

/** Text given in top-down coordinates, drawn as PDF text run by run. */
export function drawLine(page: PDFPage, fonts: PdfFonts, line: TextLine, color = rgb(0.11, 0.11, 0.11)) {
  let x = line.x
  const y = page.getHeight() - line.y
  for (const run of runsOf(fonts, line.text)) {
    page.drawText(run.text, { x, y, size: line.size, font: run.font, color })
    x += run.font.widthOfTextAtSize(run.text, line.size)
  }
}

function drawRect(page: PDFPage, rect: Rect, color: ReturnType<typeof rgb>) {
  page.drawRectangle({
    x: rect.x,
    y: page.getHeight() - rect.y - rect.height,
    width: rect.width,
    height: rect.height,
    color,
  })
}

function hexColor(hex: string) {
  const value = Number.parseInt(hex.slice(1), 16)
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255)
}

function drawFrame(page: PDFPage, layout: PageLayout, fonts: PdfFonts) {
  for (const line of layout.mission) drawLine(page, fonts, line)
  drawLine(page, fonts, layout.subline, rgb(0.33, 0.33, 0.33))
  drawRect(page, layout.rule, rgb(0.82, 0.83, 0.85))
  for (const item of layout.legend) {
    drawRect(page, item.swatch, hexColor(item.color))
    drawLine(page, fonts, item.label)
  }
}

async function drawDrawing(
  editor: Editor,
  page: PDFPage,
  layout: PageLayout,
  content: ExportContent,
  dpi: number,
  onProgress?: (done: number, total: number) => void,
) {
  const bounds = content.bounds as Box
  drawRect(page, layout.drawing, DRAWING_BACKGROUND)
  // Pixels per drawing unit: drawing units → points (layout.scale) → dots (dpi / 72).
  const pixelRatio = (layout.scale * dpi) / 72
  const tiles = tileGrid(bounds, pixelRatio)
  const shapeBounds = content.shapeIds.flatMap((id) => {
    const box = editor.getShapeMaskedPageBounds(id)
    return box ? [{ id, box }] : []
  })
  let done = 0
  for (const tile of tiles) {
    const area = new Box(tile.source.x, tile.source.y, tile.source.width, tile.source.height)
    const reach = area.clone().expandBy(TILE_REACH)
    const ids = shapeBounds.filter(({ box }) => box.collides(reach)).map(({ id }) => id)
    if (ids.length) {
      const { blob } = await editor.toImage(ids, {
        format: 'png',
        bounds: area,
        padding: 0,
        pixelRatio,
        background: true,
        darkMode: false, // paper is white, whatever the screen's theme
      })
      const image = await page.doc.embedPng(await blob.arrayBuffer())
      page.drawImage(image, {
        x: layout.drawing.x + (area.x - bounds.x) * layout.scale,
        y: page.getHeight() - layout.drawing.y - (area.maxY - bounds.y) * layout.scale,
        width: area.width * layout.scale,
        height: area.height * layout.scale,
      })
    }
    onProgress?.(++done, tiles.length)
  }
}
