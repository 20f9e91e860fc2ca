/**
 * The lobby screen through a server update: the server process goes away and comes back
 * on the same address. The display shows a discreet "reconnecting" badge (no dialog),
 * reconnects by itself — the page is never reloaded — and shows an edit another client
 * made after the restart, before the display was back.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openAs, waitForConnectionState } from '../helpers/browser.ts'
import { displayLink, geoShape, type OutageServer, startOutageServer } from '../helpers/display.ts'
import { connectProvider } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('the wall display after a server restart', () => {
  let browser: Browser
  let env: OutageServer

  beforeAll(async () => {
    env = await startOutageServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await env?.stop()
  })

  it('reconnects without a reload and shows what was drawn meanwhile', async () => {
    const display = await openAs(browser, displayLink(env.board.links.display), 'Wandscherm')
    const { page } = display
    await page.evaluate(() => {
      ;(window as unknown as { __stipMarker: string }).__stipMarker = 'still the same page'
    })

    await env.down()
    await waitFor(
      async () => (await page.locator('[data-testid="connection-status"]').getAttribute('data-state')) !== 'connected',
      {
        message: 'the display to notice the outage',
      },
    )
    const badge = page.locator('[data-testid="connection-status"]')
    expect(await badge.isVisible(), 'a badge while not connected').toBe(true)
    expect(await page.locator('[role="dialog"], .stip-modal').count(), 'no dialog').toBe(0)

    // Back up; another client draws at once, before the display's next retry.
    await env.up()
    const writer = await connectProvider(env.wsUrl, env.board.id, env.board.tokens.facilitator)
    putRecords(writer.doc, [geoShape('during-outage', { x: 400, y: 300, text: 'Nieuw' })])

    const started = Date.now()
    await waitForConnectionState(page, 'connected', 60_000)
    await page.waitForFunction(
      () =>
        (window as unknown as { __stipEditor: { getShape(id: string): unknown } }).__stipEditor.getShape(
          'shape:during-outage',
        ) !== undefined,
      undefined,
      { timeout: 10_000, polling: 50 },
    )
    console.log(`[display] reconnected and showed the new shape ${Date.now() - started} ms after the server was back`)
    expect(await badge.isVisible(), 'no badge once connected').toBe(false)
    const sameDocument = await page.evaluate(() => ({
      marker: (window as unknown as { __stipMarker?: string }).__stipMarker,
      navigations: performance.getEntriesByType('navigation').length,
    }))
    expect(sameDocument).toEqual({ marker: 'still the same page', navigations: 1 })

    writer.destroy()
    await display.close()
  })
})
