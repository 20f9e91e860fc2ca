/**
 * Sanne starts a 10-minute timer. Anne's laptop clock runs seven minutes fast, Bram's three
 * minutes slow (playwright's clock emulation), the wall display's is right: all of them
 * show the same remaining second, because each reads the timer from the server's clock
 * through the offset it measured when it connected. Pausing stops it on every screen.
 * With STIP_DOCS_SCREENSHOTS=1 it also writes docs/facilitator-panel.png and
 * docs/timer-on-display.png.
 */
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink } from '../helpers/display.ts'
import { openPanel, shownSeconds } from '../helpers/facilitator.ts'
import { waitFor } from '../helpers/wait.ts'

const docsFile = (name: string) =>
  process.env.STIP_DOCS_SCREENSHOTS === '1' ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : undefined

const MINUTE = 60_000

describe('the session timer', () => {
  let browser: Browser
  let env: BoardServer
  const people: Person[] = []

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    for (const person of people) await person.close()
    await browser?.close()
    await env?.server.stop()
  })

  /** Opens `link` as `name` on a device whose clock is `skewMs` off. */
  async function open(link: string, name: string, skewMs: number): Promise<Person> {
    const person = await openAs(browser, link, name, {
      beforeOpen: async ({ context }) => {
        if (skewMs !== 0) await context.clock.install({ time: Date.now() + skewMs })
      },
    })
    people.push(person)
    return person
  }

  it('shows the same remaining second on every screen, whatever its clock says', async () => {
    const sanne = await open(env.board.links.facilitator, 'Sanne', 0)
    const anne = await open(env.board.links.participant, 'Anne', 7 * MINUTE)
    const bram = await open(env.board.links.participant, 'Bram', -3 * MINUTE)
    const display = await open(displayLink(env.board.links.display), 'Wandscherm', 0)
    // The devices really disagree about the time.
    const clocks = await Promise.all([anne, bram].map((p) => p.page.evaluate(() => Date.now())))
    expect(clocks[0] - clocks[1]).toBeGreaterThan(9 * MINUTE)

    await openPanel(sanne.page, 'timer')
    await sanne.page.locator('[data-testid="timer-preset-10"]').click()
    for (const person of [sanne, anne, bram, display]) {
      await person.page.waitForSelector('[data-testid="timer"]', { timeout: 10_000 })
    }

    // Read at (nearly) the same moment, several times: at most one tick apart, all near 10:00.
    for (let i = 0; i < 5; i++) {
      const shown = await Promise.all([sanne, anne, bram, display].map((p) => shownSeconds(p.page)))
      const values = shown.map(Number)
      if (i === 0) console.log(`[timer] shown (Sanne, Anne +7 min, Bram −3 min, display): ${values.join(', ')}`)
      expect(Math.max(...values) - Math.min(...values), `shown: ${values.join(', ')}`).toBeLessThanOrEqual(1)
      for (const value of values) expect(value).toBeGreaterThan(570)
      for (const value of values) expect(value).toBeLessThanOrEqual(600)
    }

    const panelShot = docsFile('facilitator-panel.png')
    if (panelShot) await sanne.page.screenshot({ path: panelShot })
    const displayShot = docsFile('timer-on-display.png')
    if (displayShot) await display.page.screenshot({ path: displayShot })

    // Paused: every screen shows the same standing time.
    await sanne.page.locator('[data-testid="timer-pause"]').click()
    await waitFor(
      async () => {
        const paused = await Promise.all(
          [anne, bram, display].map((p) => p.page.locator('[data-testid="timer"]').getAttribute('data-paused')),
        )
        return paused.every((value) => value === 'true')
      },
      { timeoutMs: 5_000, message: 'every screen to show the timer paused' },
    )
    const paused = await Promise.all([sanne, anne, bram, display].map((p) => shownSeconds(p.page)))
    expect(new Set(paused).size).toBe(1)
  })
})
