/**
 * The facilitator chooses the board's rhythm: three-week iterations, the first of which
 * started three and a half weeks ago. Every screen renumbers at once: a participant's
 * current iteration reads "2", and a milestone planned for today's dates reads
 * "Iteratie 2" on its card. The participant sees the iteration but cannot change it.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, mondayOf, today } from '../../shared/dates.ts'
import { getMetaMap } from '../../shared/doc.ts'
import { META_ITERATIONS_KEY } from '../../shared/iterations.ts'
import { launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { drawPath } from '../helpers/milestones.ts'
import { connectProvider } from '../helpers/provider.ts'

describe('the iteration rhythm', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person
  let piet: Person

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna', { context: { locale: 'nl-NL' } })
    piet = await openAs(browser, env.board.links.participant, 'Piet', { context: { locale: 'nl-NL' } })
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('is set by the facilitator and renumbers every screen', async () => {
    const firstStart = addDays(mondayOf(today()), -21)
    const [milestone] = (await drawPath(anna.page, { prefix: 'rhythm', x: 0, y: 600, titles: ['Balie op afspraak'] }))
      .milestoneIds

    const settings = anna.page.locator('[data-testid="iteration-settings"]')
    await settings.locator('button.stip-iterations__toggle').click()
    await anna.page.locator('[data-testid="iteration-weeks"]').selectOption('3')
    await anna.page.locator('[data-testid="iteration-first-start"]').fill(firstStart)
    await anna.page.locator('[data-testid="iteration-save"]').click()

    // Today lies in the second three-week iteration, on the participant's screen too.
    const current = piet.page.locator('[data-testid="iteration-current"]')
    await expect.poll(() => current.textContent(), { timeout: 10_000 }).toMatch(/Iteratie 2 ·/)
    await piet.page.evaluate((id) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      editor.zoomToBounds(editor.getShapePageBounds(id))
    }, milestone)
    const card = piet.page.locator(`[data-shape-id="${milestone}"] .stip-milestone__when`)
    await expect.poll(() => card.textContent(), { timeout: 10_000 }).toMatch(/^Iteratie 2 ·/)

    // The participant sees it, but has nothing to change it with.
    expect(await piet.page.locator('[data-testid="iteration-settings"] button').count()).toBe(0)

    // The server holds exactly the rhythm chosen.
    const reader = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.display)
    try {
      expect(getMetaMap(reader.doc).get(META_ITERATIONS_KEY)).toEqual({ weeks: 3, firstStart })
    } finally {
      reader.destroy()
    }
  })
})
