/**
 * Exports in a browser test: choose in the export dialog like a person does, catch the
 * download with playwright's download event and return the file's bytes; and read a PDF
 * back in Node with pdf.js (Mozilla's PDF reader) — each page's size and its text.
 */
import fs from 'node:fs/promises'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import type { Page } from 'playwright-core'

export interface ExportRequest {
  format: 'png' | 'svg' | 'pdf'
  scope?: 'board' | 'layer' | 'selection'
  /** With scope 'layer': the layer's name as the dialog lists it. */
  layer?: string
  paper?: 'A4' | 'A3' | 'A2' | 'A1' | 'A0'
  orientation?: 'auto' | 'portrait' | 'landscape'
  sheets?: 'A4' | 'A3'
}

export interface ExportedFile {
  name: string
  bytes: Buffer
}

/** How long one export may take (a poster renders many tiles). */
export const EXPORT_TIMEOUT_MS = 120_000

export async function exportWithDialog(page: Page, request: ExportRequest): Promise<ExportedFile> {
  const dialog = page.locator('[data-testid="export-dialog"]')
  if (!(await dialog.isVisible())) await page.locator('[data-testid="export-open"]').click()
  await dialog.waitFor({ state: 'visible', timeout: 5_000 })
  await dialog.locator(`[data-testid="export-scope-${request.scope ?? 'board'}"]`).check()
  if (request.layer) {
    const select = dialog.locator('[data-testid="export-layer"]')
    const options = await select
      .locator('option')
      .evaluateAll((nodes) =>
        nodes.map((node) => ({ value: (node as HTMLOptionElement).value, label: node.textContent?.trim() ?? '' })),
      )
    const option = options.find((candidate) => candidate.label === request.layer)
    if (!option)
      throw new Error(`no layer "${request.layer}" in the export dialog: ${options.map((o) => o.label).join(', ')}`)
    await select.selectOption(option.value)
  }
  await dialog.locator('[data-testid="export-format"]').selectOption(request.format)
  if (request.format === 'pdf') {
    await dialog.locator('[data-testid="export-paper"]').selectOption(request.paper ?? 'A4')
    await dialog.locator('[data-testid="export-orientation"]').selectOption(request.orientation ?? 'auto')
    const sheets = dialog.locator('[data-testid="export-sheets"]')
    if (await sheets.count()) await sheets.selectOption(request.sheets ?? '')
  }
  // The download, or the dialog saying why there is none, whichever comes first. Both are
  // awaited from before the click: a quick export's download can fire while the click is
  // still settling, and a listener added after it would miss the event.
  const error = dialog.locator('[data-testid="export-status"][data-state="error"]')
  const downloading = page.waitForEvent('download', { timeout: EXPORT_TIMEOUT_MS })
  const failing = error.waitFor({ timeout: EXPORT_TIMEOUT_MS }).then(async () => {
    throw new Error(`the export failed: ${await error.textContent()}`)
  })
  // The one that loses the race must not become an unhandled rejection.
  downloading.catch(() => {})
  failing.catch(() => {})
  await dialog.locator('[data-testid="export-submit"]').click()
  const download = await Promise.race([downloading, failing])
  const failure = await download.failure()
  if (failure) throw new Error(`download failed: ${failure}`)
  const path = await download.path()
  const file = { name: download.suggestedFilename(), bytes: await fs.readFile(path) }
  await dialog.locator('[data-testid="export-status"][data-state="done"]').waitFor({ timeout: 5_000 })
  return file
}

export interface PdfPageInfo {
  width: number
  height: number
  text: string
}

/** Each page's size in points and its text, as a PDF reader sees them. */
export async function readPdf(bytes: Uint8Array): Promise<PdfPageInfo[]> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise
  try {
    const pages: PdfPageInfo[] = []
    for (let n = 1; n <= pdf.numPages; n++) {
      const page = await pdf.getPage(n)
      const [x0, y0, x1, y1] = page.view as [number, number, number, number]
      const content = await page.getTextContent()
      const text = content.items.map((item) => ('str' in item ? item.str : '')).join('')
      pages.push({ width: x1 - x0, height: y1 - y0, text })
    }
    return pages
  } finally {
    await pdf.destroy()
  }
}

/**
 * Renders part of a PDF page as a PNG, as a reader shows it at `dpi` (150 dpi: one pixel per
 * printed dot of the poster, i.e. the print at 100 %). `region` is in points from the page's
 * top-left corner. pdf.js draws on its own Node canvas (@napi-rs/canvas, its optional dependency).
 */
export async function renderPdfRegion(
  bytes: Uint8Array,
  {
    pageNumber = 1,
    dpi,
    region,
  }: { pageNumber?: number; dpi: number; region: { x: number; y: number; width: number; height: number } },
): Promise<Buffer> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise
  try {
    const page = await pdf.getPage(pageNumber)
    const scale = dpi / 72
    const viewport = page.getViewport({ scale, offsetX: -region.x * scale, offsetY: -region.y * scale })
    const width = Math.round(region.width * scale)
    const height = Math.round(region.height * scale)
    const factory = (pdf as unknown as { canvasFactory: CanvasFactory }).canvasFactory
    const { canvas, context } = factory.create(width, height)
    await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise
    return (canvas as unknown as { toBuffer(type: string): Buffer }).toBuffer('image/png')
  } finally {
    await pdf.destroy()
  }
}

interface CanvasFactory {
  create(width: number, height: number): { canvas: unknown; context: unknown }
}
