/**
 * Nothing leaves the building: while a person loads a board, draws, writes text and uses
 * the style panel, every request the page makes — documents, scripts, fonts, icons,
 * translations, fetches and the sync WebSocket — goes to the Stip server's own origin
 * (or stays in the page as `data:`, `blob:` or `about:`).
 *
 * The page's Content-Security-Policy would block a request to another origin before it is
 * made, and a blocked request never shows up here; so this test turns the policy off
 * (`bypassCSP`) to see what the client itself *tries* to load [1].
 *
 * [1] That the built page carries the policy at all is a separate concern.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawRectangle, launchBrowser, openAs, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'

describe('a board session', () => {
  let browser: Browser
  let env: BoardServer

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('sends no request outside the server’s origin', async () => {
    const urls: string[] = []
    const person = await openAs(browser, env.board.links.participant, 'Erik', {
      context: { bypassCSP: true },
      beforeOpen: ({ context, page }) => {
        context.on('request', (request) => urls.push(request.url()))
        page.on('websocket', (socket) => urls.push(socket.url()))
        page.on('worker', (worker) => urls.push(worker.url()))
      },
    })
    const { page } = person

    // Draw, and use the style panel on the new rectangle (it is selected after drawing).
    await drawRectangle(page, { x: 520, y: 250 }, { x: 720, y: 380 })
    for (const testId of ['style.color.red', 'style.fill.solid', 'style.dash.dashed', 'style.size.l']) {
      await clickVisible(page, testId)
    }
    await clickVisible(page, 'style.geo')
    await clickVisible(page, 'style.geo.ellipse')

    // Text needs fonts: write some, then try every font.
    await page.keyboard.press('Escape')
    await page.keyboard.press('t')
    await page.mouse.click(760, 520)
    await page.keyboard.type('Voorbeeld Digitaal 2030')
    await page.keyboard.press('Escape')
    await expect
      .poll(() =>
        page.evaluate(() =>
          (window as unknown as StipWindow).__stipEditor
            .getCurrentPageShapes()
            // biome-ignore lint/suspicious/noExplicitAny: tldraw shape records
            .some((shape: any) => shape.type === 'text'),
        ),
      )
      .toBe(true)
    for (const font of ['serif', 'mono', 'sans', 'draw']) await clickVisible(page, `style.font.${font}`)
    await page.evaluate(() => document.fonts.ready.then(() => undefined))
    await page.waitForLoadState('networkidle', { timeout: 10_000 })

    const origin = new URL(env.server.url)
    const allowed = new Set([`http://${origin.host}`, `ws://${origin.host}`])
    const foreign = urls.filter((url) => {
      const parsed = new URL(url)
      if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return false
      return !allowed.has(`${parsed.protocol}//${parsed.host}`)
    })
    expect(
      urls.some((url) => url.startsWith(`ws://${origin.host}/`)),
      'the sync socket was seen',
    ).toBe(true)
    expect(urls.length, 'requests were recorded').toBeGreaterThan(3)
    expect(foreign, `requests outside ${origin.origin}`).toEqual([])
  })
})

async function clickVisible(page: Page, testId: string): Promise<void> {
  const element = page.locator(`[data-testid="${testId}"]`).first()
  await element.waitFor({ state: 'visible', timeout: 5_000 })
  await element.click()
}
