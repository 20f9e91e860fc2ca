/**
 * The join code: the facilitator, in the "Wall display" control, makes a participant link
 * and turns the join code on; every display shows it as a QR code at once. Decoding the
 * QR from a screenshot of the display gives a link that opens the board as a participant
 * who can draw. The same control switches the display to follow the facilitator.
 */
import jsQR from 'jsqr'
import type { Browser } from 'playwright-core'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawRectangle, launchBrowser, openAs, waitForGeoShape } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink } from '../helpers/display.ts'

describe('the join code on the wall display', () => {
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

  it('encodes a participant link that opens the board for drawing', async () => {
    const display = await openAs(browser, displayLink(env.board.links.display), 'Wandscherm')
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    expect(await display.page.locator('[data-testid="display-qr"]').count()).toBe(0)

    // Sanne makes a link for the whole board (the root layer) and shows it.
    await sanne.page.locator('[data-testid="facilitator-panel-open"]').click()
    await sanne.page.locator('[data-testid="display-controls-open"]').click()
    await sanne.page.locator('[data-testid="display-controls-make-link"]').click()
    await sanne.page.waitForFunction(
      () => (document.querySelector('[data-testid="display-controls-join"]') as HTMLInputElement | null)?.checked,
      undefined,
      { timeout: 5_000 },
    )

    const qr = display.page.locator('[data-testid="display-qr"]')
    await qr.waitFor({ timeout: 3_000 })
    const png = PNG.sync.read(await qr.screenshot())
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height)
    expect(decoded, 'a readable QR code').not.toBeNull()
    const link = decoded?.data ?? ''
    console.log(`[display] the QR code says ${link.replace(/\/j\/.*/, '/j/…')}`)
    // A short join link (`/j/<token>`), which the server redirects to the board.
    expect(link).toMatch(new RegExp(`^${env.server.url}/j/[A-Za-z0-9_-]{22}$`))
    expect(await display.page.locator('[data-testid="display-join-link"]').textContent()).toBe(
      link.replace(/^https?:\/\//, ''),
    )

    // Whoever scans it draws along, and the display shows it.
    const piet = await openAs(browser, link, 'Piet')
    const role = await piet.page.evaluate(async (boardId) => {
      const token = localStorage.getItem(`stip:token:${boardId}`)
      const response = await fetch(`/api/boards/${boardId}/me`, { headers: { authorization: `Bearer ${token}` } })
      return ((await response.json()) as { role: string }).role
    }, env.board.id)
    expect(role).toBe('participant')
    const drawn = await drawRectangle(piet.page, { x: 500, y: 400 }, { x: 640, y: 480 })
    await waitForGeoShape(display.page, (shape) => shape.id === drawn.id, {
      message: "Piet's rectangle on the display",
    })

    // The same control makes the display follow Sanne.
    await sanne.page.locator('[data-testid="display-controls-mode"]').selectOption('follow')
    await display.page.waitForSelector('[data-testid="display-view"][data-mode="follow"]', { timeout: 3_000 })
    await display.page.waitForSelector('[data-testid="display-caption"]:has-text("Sanne")', { timeout: 5_000 })

    await piet.close()
    await sanne.close()
    await display.close()
  })
})
