/**
 * Export, as a participant does it from the dialog: the board as a PNG (a real PNG, twice
 * the size of the SVG page it is drawn from), as an SVG (its fonts embedded, no outside
 * address in it), as an A1 poster PDF — page size 1684 × 2384 pt portrait, 2384 × 1684 pt
 * landscape — whose text, read back with pdf.js, holds the mission, the date line and the
 * layers' legend, and the same poster cut into A4 sheets. Meanwhile every request the page
 * makes goes to Stip's own origin (with the page's Content-Security-Policy turned off, so a
 * blocked request would still show: see no-request-leaves-the-origin.test.ts). The dialog
 * passes axe and closes with Escape; the wall display does not offer export at all.
 */
import type { Browser } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectNoSeriousViolations } from '../helpers/axe.ts'
import { drawRectangle, launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { exportWithDialog, readPdf } from '../helpers/export.ts'
import { setMission } from '../helpers/outline.ts'

const MISSION = 'Iedere inwoner regelt zijn zaken digitaal, en wie dat niet kan krijgt hulp'
const A1 = { short: 1684, long: 2384 }

describe('exporting the board', () => {
  let browser: Browser
  let env: BoardServer
  let erik: Person
  const urls: string[] = []

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    const anna = await openAs(browser, env.board.links.facilitator, 'Anna', { context: { locale: 'nl-NL' } })
    await setMission(anna.page, MISSION, 'Voorbeeld Digitaal 2030')
    erik = await openAs(browser, env.board.links.participant, 'Erik', {
      context: { bypassCSP: true, locale: 'nl-NL', acceptDownloads: true },
      beforeOpen: ({ context, page }) => {
        context.on('request', (request) => urls.push(request.url()))
        page.on('websocket', (socket) => urls.push(socket.url()))
        page.on('worker', (worker) => urls.push(worker.url()))
      },
    })
    await anna.close()
    await erik.page.waitForFunction(
      (text) => document.querySelector('.stip-north-star__mission')?.textContent?.includes(text),
      'Iedere inwoner',
      { timeout: 10_000 },
    )
    await drawRectangle(erik.page, { x: 500, y: 450 }, { x: 700, y: 560 })
    // A text in tldraw's hand-drawn font, so tldraw has a font of its own to embed.
    await erik.page.evaluate(() => {
      const editor = (window as unknown as StipWindow).__stipEditor
      const richText = {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Eerst de loketten' }] }],
      }
      editor.createShapes([{ type: 'text', x: 200, y: 300, props: { richText, font: 'draw' } }])
    })
  })

  afterAll(async () => {
    await erik?.close()
    await browser?.close()
    await env?.server.stop()
  })

  it('gives a PNG twice the size of the SVG page, and an SVG with its fonts inside', async () => {
    const svgFile = await exportWithDialog(erik.page, { format: 'svg' })
    expect(svgFile.name).toMatch(/^Voorbeeld-Digitaal-2030-\d{4}-\d{2}-\d{2}\.svg$/)
    const svg = svgFile.bytes.toString('utf8')
    const width = Number(/^<svg[^>]* width="([\d.]+)"/.exec(svg)?.[1])
    const height = Number(/^<svg[^>]* height="([\d.]+)"/.exec(svg)?.[1])
    expect(width).toBeGreaterThanOrEqual(1000)
    expect(svg).toContain(MISSION.split(',')[0])
    expect(svg).toContain('Missie &amp; strategie') // the legend
    // Fonts are embedded as data: URLs — Stip's header font and tldraw's own.
    expect(svg).toMatch(/@font-face\s*{[^}]*url\("?data:font\/woff/)
    expect(svg).toContain('Eerst de loketten')
    expect(svg).toMatch(/font-family:\s*"?tldraw_draw"?;[^}]*src:\s*url\("?data:/)
    expect(svg.match(/url\(\s*["']?(https?:)?\/\//g) ?? []).toEqual([])

    const pngFile = await exportWithDialog(erik.page, { format: 'png' })
    expect(pngFile.name).toMatch(/\.png$/)
    expect(pngFile.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    const png = PNG.sync.read(pngFile.bytes)
    expect(png.width).toBe(Math.floor(width * 2))
    expect(png.height).toBe(Math.floor(height * 2))
  })

  it('gives an A1 poster PDF of 1684 × 2384 pt whose text holds the mission, the date line and the legend', async () => {
    const portrait = await exportWithDialog(erik.page, { format: 'pdf', paper: 'A1', orientation: 'portrait' })
    expect(portrait.name).toMatch(/-A1\.pdf$/)
    const pages = await readPdf(portrait.bytes)
    expect(pages).toHaveLength(1)
    const [page] = pages
    expect(Math.round(page?.width ?? 0)).toBe(A1.short)
    expect(Math.round(page?.height ?? 0)).toBe(A1.long)
    const text = page?.text.replace(/\s+/g, ' ') ?? ''
    expect(text).toContain(MISSION.slice(0, 30))
    expect(text).toContain('regelt zijn zaken')
    expect(text).toContain('Voorbeeld Digitaal 2030 · ')
    expect(text).toContain(String(new Date().getFullYear()))
    expect(text).toContain('Missie & strategie')

    const landscape = await exportWithDialog(erik.page, { format: 'pdf', paper: 'A1', orientation: 'landscape' })
    const [wide] = await readPdf(landscape.bytes)
    expect([Math.round(wide?.width ?? 0), Math.round(wide?.height ?? 0)]).toEqual([A1.long, A1.short])
  })

  it('cuts the A1 poster into A4 sheets after an assembly plan, each sheet named', async () => {
    const file = await exportWithDialog(erik.page, {
      format: 'pdf',
      paper: 'A1',
      orientation: 'portrait',
      sheets: 'A4',
    })
    expect(file.name).toMatch(/-A1-A4\.pdf$/)
    const pages = await readPdf(file.bytes)
    expect(pages.length).toBeGreaterThan(8 + 1)
    for (const page of pages) {
      const size = [Math.round(page.width), Math.round(page.height)].sort((a, b) => a - b)
      expect(size).toEqual([595, 842])
    }
    expect(pages[0]?.text).toContain('Zo plak je de poster in elkaar')
    expect(pages[1]?.text).toContain('Vel A1 · rij 1, kolom 1')
    expect(pages[pages.length - 1]?.text).toContain(`${pages.length - 1} van ${pages.length - 1}`)
  })

  it('has a dialog that axe finds no serious or critical fault in, and that Escape closes', async () => {
    const { page } = erik
    const dialog = page.locator('[data-testid="export-dialog"]')
    // Still open after the last export: close it, and open it afresh.
    if (await dialog.isVisible()) await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 })
    await page.locator('[data-testid="export-open"]').click()
    await dialog.waitFor({ state: 'visible', timeout: 5_000 })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-scope-board')
    await dialog.locator('[data-testid="export-format"]').selectOption('pdf')
    await dialog.locator('[data-testid="export-paper"]').selectOption('A1')
    await expectNoSeriousViolations(page, 'the export dialog', { include: [['[data-testid="export-dialog"]']] })
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: 5_000 })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('export-open')
  })

  it('is not offered on the wall display', async () => {
    const display = await openAs(browser, env.board.links.display, 'Wandscherm')
    try {
      // The display has drawn the participant's rectangle: its page is complete.
      await display.page.waitForFunction(
        () => ((window as unknown as StipWindow).__stipEditor?.getCurrentPageShapeIds().size ?? 0) >= 3,
        undefined,
        { timeout: 10_000 },
      )
      expect(await display.page.locator('[data-testid="export-open"]').count()).toBe(0)
      expect(await erik.page.locator('[data-testid="export-open"]').count()).toBe(1)
    } finally {
      await display.close()
    }
  })

  it('sent no request outside the server’s origin while exporting', async () => {
    // The exports above have finished (their files arrived): every request they made is in `urls`.
    const origin = new URL(env.server.url)
    const allowed = new Set([`http://${origin.host}`, `ws://${origin.host}`])
    const foreign = urls.filter((url) => {
      const parsed = new URL(url)
      if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return false
      return !allowed.has(`${parsed.protocol}//${parsed.host}`)
    })
    expect(
      urls.some((url) => /\.woff$/.test(new URL(url).pathname)),
      'the export fonts were fetched',
    ).toBe(true)
    expect(foreign, `requests outside ${origin.origin}`).toEqual([])
  })
})
