/**
 * Erik upgrades Stip's processes one at a time while the lobby screen shows the board.
 * Each stopping process hands the board over and tells the browser to reconnect now
 * (`Handover`, 4505): the screen never shows itself offline, is never reloaded, and shows
 * what was drawn after each restart. Real Chromium, real processes on PostgreSQL, behind a
 * round-robin balancer.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard } from '../helpers/api.ts'
import { launchBrowser, openAs, waitForConnectionState } from '../helpers/browser.ts'
import { startTestCluster, type TestCluster } from '../helpers/cluster.ts'
import { displayLink, geoShape } from '../helpers/display.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'

describe('the lobby screen through a rolling upgrade', () => {
  let browser: Browser
  let cluster: TestCluster
  let writer: ProviderClient | undefined

  beforeAll(async () => {
    cluster = await startTestCluster(2)
    browser = await launchBrowser()
  })
  afterAll(async () => {
    writer?.destroy()
    await browser?.close()
    await cluster?.stop()
  })

  it('reconnects at once after each hand-over and shows every new shape', async () => {
    const board = await createBoard(cluster.url, 'Lobby')
    const { page } = await openAs(browser, displayLink(board.links.display), 'Wandscherm')
    await waitForConnectionState(page, 'connected', 30_000)
    // Every state the connection badge takes from now on, and a mark a reload would wipe.
    await page.evaluate(() => {
      const badge = document.querySelector('[data-testid="connection-status"]')
      const seen: (string | null)[] = [badge?.getAttribute('data-state') ?? null]
      Object.assign(window, { __stipStates: seen, __stipMarker: 'same page' })
      if (badge)
        new MutationObserver(() => seen.push(badge.getAttribute('data-state'))).observe(badge, { attributes: true })
    })
    writer = await connectProvider(cluster.wsUrl, board.id, board.tokens.facilitator, { timeoutMs: 10_000 })

    for (const [i, old] of [...cluster.processes].entries()) {
      await cluster.restart(old)
      putRecords(writer.doc, [geoShape(`after-restart-${i}`, { x: 100 + 250 * i, y: 200, text: `Na ${i + 1}` })])
      await page.waitForFunction(
        (id) =>
          (window as unknown as { __stipEditor: { getShape(id: string): unknown } }).__stipEditor.getShape(id) !==
          undefined,
        `shape:after-restart-${i}`,
        { timeout: 20_000, polling: 50 },
      )
    }
    await waitForConnectionState(page, 'connected', 20_000)
    const states = await page.evaluate(() => (window as unknown as { __stipStates: string[] }).__stipStates)
    expect(states, 'the badge went through reconnecting, never offline').not.toContain('offline')
    expect(states).toContain('connecting')
    expect(await page.evaluate(() => (window as unknown as { __stipMarker?: string }).__stipMarker)).toBe('same page')
  })
})
