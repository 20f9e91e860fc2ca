/**
 * axe-core, the accessibility checker, on every screen Stip itself draws: the home page
 * (empty, and with a new board's links), a board's chrome with the name dialog open, with
 * the layer panel and the outline panel open, the facilitator's menus, wall-display
 * controls, north-star dialog, path bar and milestone dialog,
 * the outline's own page, and the wall display's header and tour caption. No serious or
 * critical violation may show up.
 *
 * On board pages axe skips the tldraw canvas and tldraw's own toolbar and menus
 * (`STIP_CHROME`, see tests/helpers/axe.ts): they are tldraw's markup, not ours, and the
 * outline is Stip's accessible alternative to the canvas.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { outlinePath } from '../../shared/board.ts'
import { addDays, today } from '../../shared/dates.ts'
import { tokenFromLink } from '../helpers/api.ts'
import { expectNoSeriousViolations, STIP_CHROME } from '../helpers/axe.ts'
import {
  answerNameDialog,
  launchBrowser,
  newPerson,
  openAs,
  type StipWindow,
  waitForEditor,
} from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink } from '../helpers/display.ts'
import { addLayerWithPanel } from '../helpers/layers-browser.ts'
import { drawPath, setMission } from '../helpers/outline.ts'

describe('axe-core on Stip’s own screens', () => {
  let browser: Browser
  let env: BoardServer

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('finds none on the home page, empty and with a new board’s links', async () => {
    for (const locale of ['nl-NL', 'en-GB']) {
      const person = await newPerson(browser, 'Erik', { locale })
      const { page } = person
      await page.goto(env.server.url)
      const form = page.locator('[data-testid="create-board"]')
      await form.waitFor({ state: 'visible', timeout: 30_000 })
      await expectNoSeriousViolations(page, `the home page (${locale})`)
      await form.locator('input[name="name"]').fill('Toegankelijk bord')
      await form.locator('button[type="submit"]').click()
      await page.locator('[data-testid="board-created"]').waitFor({ state: 'visible', timeout: 10_000 })
      await expectNoSeriousViolations(page, `the home page with a new board’s links (${locale})`)
      await person.close()
    }
  })

  it('finds none in a board’s chrome: name dialog, panels, menus, path bar and dialogs', async () => {
    const facilitator = await openAs(browser, env.board.links.facilitator, 'Sanne', { context: { locale: 'nl-NL' } })
    await setMission(facilitator.page, 'Iedereen regelt zaken digitaal', 'Voorbeeld Digitaal 2030')
    await facilitator.page.waitForSelector('[data-testid="layer-panel"]', { timeout: 10_000 })
    await addLayerWithPanel(facilitator.page, null, 'Sociaal domein', env)
    // A path, so the outline shows milestones with their status controls.
    await drawPath(facilitator.page, {
      startId: 'shape:path-sociaal',
      milestones: [
        {
          id: 'shape:axe-1',
          title: 'Wijkteams digitaal',
          owner: 'Team Wijk',
          start: today(),
          end: addDays(today(), 13),
        },
        { id: 'shape:axe-2', title: 'Aanvraag online', start: addDays(today(), 14), end: addDays(today(), 27) },
      ],
    })

    // A participant's first visit: the name dialog, over the board.
    const participant = await newPerson(browser, 'Piet', { locale: 'nl-NL' })
    await participant.page.goto(env.board.links.participant)
    await participant.page.locator('[data-testid="name-dialog"]').waitFor({ state: 'visible', timeout: 30_000 })
    await expectNoSeriousViolations(participant.page, 'the name dialog', STIP_CHROME)
    await answerNameDialog(participant.page, 'Piet')
    await waitForEditor(participant.page)

    // The layer panel (open by default on a wide screen) and the outline panel.
    await participant.page.locator('[data-testid="layer-panel"] .stip-layer-list').waitFor({ timeout: 10_000 })
    await participant.page.locator('[data-testid="outline-toggle"]').click()
    await participant.page.locator('[data-testid="outline-panel"]').waitFor({ state: 'visible', timeout: 5_000 })
    await participant.page.locator('[data-testid="outline-status"]').first().waitFor({ timeout: 10_000 })
    await expectNoSeriousViolations(
      participant.page,
      'a participant’s board with layer and outline panels open',
      STIP_CHROME,
    )

    // The facilitator's chrome: layer menu, her panel (timer running, the wall-display
    // controls), outline, north-star dialog.
    const { page } = facilitator
    await page.locator('[data-testid="outline-toggle"]').click()
    await page.locator('[data-testid="outline-panel"]').waitFor({ state: 'visible', timeout: 5_000 })
    await page.locator('[data-testid="facilitator-panel-open"]').click()
    await page.locator('[data-testid="facilitator-tab-timer"]').click()
    await page.locator('[data-testid="timer-preset-5"]').click()
    await page.locator('[data-testid="timer"]').waitFor({ state: 'visible', timeout: 5_000 })
    await expectNoSeriousViolations(page, 'a facilitator’s board with her panel and the timer', STIP_CHROME)
    await page.locator('[data-testid="display-controls-open"]').click()
    await page.locator('[data-testid="display-controls"]').waitFor({ state: 'visible', timeout: 5_000 })
    await page.locator('[data-testid="layer-menu"]').first().click()
    await expectNoSeriousViolations(page, 'a facilitator’s board with menus and panels open', STIP_CHROME)
    await page.evaluate(() => window.dispatchEvent(new Event('stip:edit-north-star')))
    await page.locator('[data-testid="north-star-dialog"]').waitFor({ state: 'visible', timeout: 5_000 })
    await expectNoSeriousViolations(page, 'the north-star dialog', STIP_CHROME)
    await page.keyboard.press('Escape')
    await page.locator('[data-testid="north-star-dialog"]').waitFor({ state: 'detached', timeout: 5_000 })

    // A selected milestone: the path bar, then the milestone's own dialog (her panel closed,
    // as it would cover the bar).
    await page.locator('.stip-facilitator__close').click()
    await page.locator('[data-testid="facilitator-panel"]').waitFor({ state: 'detached', timeout: 5_000 })
    await page.evaluate(() => {
      ;(window as unknown as StipWindow).__stipEditor.select('shape:axe-1')
    })
    await page.locator('[data-testid="path-bar"]').waitFor({ state: 'visible', timeout: 5_000 })
    await expectNoSeriousViolations(page, 'the path bar', STIP_CHROME)
    await page.locator('[data-testid="path-edit"]').click()
    await page.locator('[data-testid="milestone-dialog"]').waitFor({ state: 'visible', timeout: 5_000 })
    await expectNoSeriousViolations(page, 'the milestone dialog', STIP_CHROME)
  })

  it('finds none on the outline’s own page', async () => {
    const link = `${env.server.url}${outlinePath(env.board.id)}#token=${tokenFromLink(env.board.links.participant)}`
    const person = await openAs(browser, link, 'Ria', { context: { locale: 'nl-NL' } })
    await person.page.locator('[data-testid="outline-page"]').waitFor({ state: 'visible', timeout: 10_000 })
    await person.page.locator('[data-testid="outline-status"]').first().waitFor({ timeout: 10_000 })
    await expectNoSeriousViolations(person.page, 'the outline page', STIP_CHROME)
  })

  it('finds none in the wall display’s header and tour caption', async () => {
    const link = displayLink(env.board.links.display, { mode: 'tour', seconds: '5', contrast: 'high' })
    for (const url of [link, displayLink(env.board.links.display, { mode: 'tour', seconds: '5' })]) {
      const display = await openAs(browser, url, 'Wandscherm', { context: { locale: 'nl-NL' } })
      await display.page.locator('[data-testid="display-header"]').waitFor({ state: 'visible', timeout: 10_000 })
      await display.page.locator('[data-testid="display-caption"]').waitFor({ state: 'visible', timeout: 10_000 })
      await expectNoSeriousViolations(
        display.page,
        `the wall display (${url.includes('contrast') ? 'high contrast' : 'normal'})`,
        STIP_CHROME,
      )
      await display.close()
    }
  })
})
