/**
 * The outline, the drawing as text: a facilitator draws a department's path (start point,
 * three milestones, arrows bound at both ends, the last to the north star) and a loose
 * milestone on the root layer. A participant whose link is scoped to the department opens
 * the outline and changes a milestone's status with the keyboard alone — Tab to the
 * button, Enter, Tab to the status, arrow keys — and the facilitator's own page, another
 * browser context, gets the milestone record done (with its done time) and shows the new
 * progress in its outline. Where the participant may not write (the root layer) the
 * outline shows the status as text, with no control; so it does once the facilitator locks
 * the department. Escape closes the panel and gives the focus back to its button.
 */
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateLinkResponse } from '../../shared/api.ts'
import { addDays, mondayOf, today } from '../../shared/dates.ts'
import { formatIteration, iterationNumbered } from '../../shared/iterations.ts'
import { api } from '../helpers/api.ts'
import { launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { addLayerWithPanel, rowSelector, setActiveLayer } from '../helpers/layers-browser.ts'
import {
  drawLooseMilestone,
  drawPath,
  setMission,
  setRhythm,
  tabTo,
  waitForMilestoneStatus,
} from '../helpers/outline.ts'

const DUTCH = { context: { locale: 'nl-NL' } }
/** With STIP_DOCS_SCREENSHOTS=1 the test also writes docs/outline.png; otherwise it leaves the tree as it was. */
const DOCS_SCREENSHOT =
  process.env.STIP_DOCS_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/outline.png', import.meta.url))
    : undefined

describe('the outline of a board with a path', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person
  let bram: Person
  let department: string
  const rhythm = { weeks: 2 as const, firstStart: mondayOf(today()) }
  const iteration = (n: number) => iterationNumbered(rhythm, n)
  const milestones = [1, 2, 3].map((n) => ({
    id: `shape:step-${n}`,
    title: ['Afspraak online maken', 'Paspoort thuis bezorgd', 'Alle formulieren digitaal'][n - 1],
    owner: 'Team Burgerzaken',
    start: iteration(n).start,
    end: iteration(n).end,
  }))

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna', DUTCH)
    await anna.page.waitForSelector('[data-testid="layer-panel"]', { timeout: 10_000 })
    await setMission(anna.page, 'Iedereen regelt zaken met de gemeente digitaal', 'Voorbeeld Digitaal 2030')
    await setRhythm(anna.page, rhythm)
    department = await addLayerWithPanel(anna.page, null, 'Publiekszaken', env)
    await drawPath(anna.page, { startId: 'shape:path-publiekszaken', milestones })
    await setActiveLayer(anna.page, 'layer:root')
    await drawLooseMilestone(anna.page, {
      id: 'shape:loose-root',
      title: 'Raad informeren',
      start: iteration(1).start,
      end: addDays(iteration(1).start, 13),
    })
    const link = await api<CreateLinkResponse>(env.server.url, `/api/boards/${env.board.id}/links`, {
      token: env.board.tokens.facilitator,
      json: { role: 'participant', layerId: department },
    })
    expect(link.status).toBe(201)
    bram = await openAs(browser, link.body.link, 'Bram', DUTCH)
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('lists the path with its milestones in order, and changes a status by keyboard alone', async () => {
    const { page } = bram
    // The button, by keyboard: Tab to it, Enter opens the panel and moves the focus into it.
    await tabTo(page, '[data-testid="outline-toggle"]')
    await page.keyboard.press('Enter')
    const panel = page.locator('[data-testid="outline-panel"]')
    await panel.waitFor({ state: 'visible', timeout: 5_000 })
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="outline-panel"]') !== null)).toBe(
      true,
    )

    await expect
      .poll(() => panel.locator('[data-testid="outline-mission"] p').first().textContent(), { timeout: 10_000 })
      .toBe('Iedereen regelt zaken met de gemeente digitaal')
    const layer = panel.locator(`[data-testid="outline-layer"][data-layer-id="${department}"]`)
    await expect.poll(() => layer.locator('h5').first().textContent(), { timeout: 10_000 }).toBe('Publiekszaken')
    expect(await layer.locator('[data-testid="outline-layer-progress"]').first().textContent()).toBe('0 van 3 behaald')
    const path = layer.locator('[data-testid="outline-path"]')
    expect(await path.count()).toBe(1)
    expect(await path.locator('h6').textContent()).toBe('Pad 1 — bereikt de stip')
    const items = path.locator('[data-testid="outline-milestone"]')
    expect(await items.locator('.stip-outline__milestone-title').allTextContents()).toEqual(
      milestones.map((m) => m.title),
    )
    expect(await items.nth(1).locator('.stip-outline__details').textContent()).toBe(
      `${formatIteration(iteration(2), 'nl')} · Eigenaar: Team Burgerzaken`,
    )
    // The root layer is not Bram's to write: its milestone's status is text, not a control.
    const loose = panel.locator('[data-testid="outline-milestone"][data-milestone-id="shape:loose-root"]')
    expect(await loose.locator('select').count()).toBe(0)
    expect(await loose.locator('.stip-outline__status').textContent()).toBe('Status: Gepland')

    // Keyboard alone: Tab to the second milestone's status, arrow down twice: in progress, then done.
    const select = '[data-milestone-id="shape:step-2"] select'
    await tabTo(page, select)
    expect(await page.locator(select).getAttribute('aria-label')).toBe('Status van "Paspoort thuis bezorgd"')
    await page.keyboard.press('ArrowDown')
    await waitForMilestoneStatus(anna.page, 'shape:step-2', 'in-progress')
    await page.keyboard.press('ArrowDown')
    const before = Date.now()
    const done = await waitForMilestoneStatus(anna.page, 'shape:step-2', 'done')
    expect(done?.doneAt).toBeGreaterThan(before - 60_000)
    expect(await page.locator('[data-testid="outline-announcement"]').textContent()).toBe(
      'De status van "Paspoort thuis bezorgd" is nu: Behaald.',
    )

    // Anna's outline, in her own context, shows the new progress.
    await anna.page.locator('[data-testid="outline-toggle"]').click()
    const annaLayer = anna.page.locator(
      `[data-testid="outline-panel"] [data-testid="outline-layer"][data-layer-id="${department}"]`,
    )
    await expect
      .poll(() => annaLayer.locator('[data-testid="outline-layer-progress"]').first().textContent(), {
        timeout: 10_000,
      })
      .toBe('1 van 3 behaald')
    expect(await annaLayer.locator('[data-milestone-id="shape:step-2"] select').inputValue()).toBe('done')
    if (DOCS_SCREENSHOT) await page.screenshot({ path: DOCS_SCREENSHOT })

    // Back to planned clears the done time.
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp')
    const planned = await waitForMilestoneStatus(anna.page, 'shape:step-2', 'planned')
    expect(planned?.doneAt).toBeNull()

    // A locked layer is the facilitators' alone: Bram's control goes, the status stays as text.
    await anna.page.locator(`${rowSelector(department)} [data-testid="layer-menu"]`).click()
    await anna.page.locator('[data-testid="layer-lock"]').click()
    const step2 = panel.locator('[data-milestone-id="shape:step-2"]')
    await expect.poll(() => step2.locator('select').count(), { timeout: 10_000 }).toBe(0)
    expect(await step2.locator('.stip-outline__status').textContent()).toBe('Status: Gepland')

    // Escape closes the panel and gives the focus back to its button.
    await page.locator('[data-testid="outline-panel"] h2').focus()
    await page.keyboard.press('Escape')
    await panel.waitFor({ state: 'detached', timeout: 5_000 })
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('outline-toggle')
    expect(bram.errors).toEqual([])
  })
})
