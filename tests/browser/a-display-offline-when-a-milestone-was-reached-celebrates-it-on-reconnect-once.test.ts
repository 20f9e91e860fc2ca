/**
 * The lobby screen's network drops while a department marks a milestone done. When the
 * network returns, within the hour, the display still celebrates it — from the record's
 * `doneAt`, which arrives with the sync, not from a message it missed — and only once:
 * after it was shown, neither the rest of the session nor a reload shows it again.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { joinBoard, launchBrowser, openAs, type Person, waitForConnectionState } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink } from '../helpers/display.ts'
import { layerRecord } from '../helpers/layers.ts'
import { setActiveLayer } from '../helpers/layers-browser.ts'
import { celebrationOn, drawPath, markDone, waitForCelebration, waitForMilestone } from '../helpers/milestones.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'
import { waitForServerLayer } from '../helpers/server-state.ts'
import { waitFor } from '../helpers/wait.ts'

const SOCIAAL = 'layer:sociaal'

/**
 * Whether `page` shows no celebration although milestone `id` is done there: the watcher
 * has run over it (its overlay is mounted) and two frames have passed for React to draw.
 */
async function quietAbout(page: Page, id: string, doneAt: number): Promise<boolean> {
  await waitForMilestone(page, id, 'done', doneAt)
  await page.waitForSelector('.stip-celebrations', { state: 'attached', timeout: 10_000 })
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  return (await celebrationOn(page)) === null
}

describe('a display that was offline when a milestone was reached', () => {
  let browser: Browser
  let env: BoardServer
  let setup: ProviderClient
  let anna: Person
  let display: Person

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    setup = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
    putRecords(setup.doc, [layerRecord(SOCIAAL, 'Sociaal domein', ROOT_LAYER_ID, { index: 1, color: 'green' })])
    await waitForServerLayer(env, SOCIAAL)
    anna = await openAs(browser, env.board.links.facilitator, 'Anna', { context: { locale: 'nl-NL' } })
    await setActiveLayer(anna.page, SOCIAAL)
  })

  afterAll(async () => {
    setup?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it('celebrates it when the network returns, and never again', async () => {
    const path = await drawPath(anna.page, {
      prefix: 'sd',
      x: -900,
      y: 700,
      titles: ['Eén loket voor zorgvragen', 'Wijkteams werken digitaal'],
    })
    const [first] = path.milestoneIds
    display = await openAs(browser, displayLink(env.board.links.display, { mode: 'overview' }), 'Wandscherm', {
      context: { viewport: { width: 1280, height: 720 }, locale: 'nl-NL' },
    })
    const { page } = display
    await waitForMilestone(page, path.milestoneIds[1], 'planned')

    await display.context.setOffline(true)
    await waitForConnectionState(page, 'offline', 45_000)
    const doneAt = await markDone(anna.page, first)
    await waitFor(
      () => (getRecord(getRecordsMap(setup.doc), first) as { props?: { doneAt?: unknown } })?.props?.doneAt === doneAt,
      { timeoutMs: 10_000, message: 'the server to pass the milestone on as done' },
    )
    await waitForCelebration(anna.page, first)
    // The display cannot know yet.
    await waitForMilestone(page, first, 'planned')
    expect(await celebrationOn(page)).toBeNull()

    await display.context.setOffline(false)
    await waitForConnectionState(page, 'connected', 45_000)
    await waitForCelebration(page, first, 15_000)
    expect(await celebrationOn(page)).toMatchObject({
      team: 'Sociaal domein',
      title: 'Eén loket voor zorgvragen',
      progress: '1 van 2 behaald',
    })
    await page.waitForSelector('[data-testid="celebration"]', { state: 'detached', timeout: 10_000 })
    expect(await quietAbout(page, first, doneAt)).toBe(true)

    // A reload (the kiosk restarting, an update) does not celebrate it a second time.
    await page.reload()
    await joinBoard(page, 'Wandscherm')
    expect(await quietAbout(page, first, doneAt)).toBe(true)
    expect(await page.locator('[data-testid="celebration-announcement"]').textContent()).toBe('')
  })
})
