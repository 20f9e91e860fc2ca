/**
 * The wall display's tour names each department with its progress and the board's
 * current iteration: "Publiekszaken · 1 van 3 behaald · iteratie 5", from the paths drawn
 * in that department and the facilitator's iteration rhythm (`meta.iterations`). A
 * department without milestones keeps just its name.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, mondayOf, today } from '../../shared/dates.ts'
import { getMetaMap } from '../../shared/doc.ts'
import { iterationOf, META_ITERATIONS_KEY } from '../../shared/iterations.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { captionText, displayLink, geoShape } from '../helpers/display.ts'
import { layerRecord } from '../helpers/layers.ts'
import { setActiveLayer } from '../helpers/layers-browser.ts'
import { drawPath, waitForMilestone } from '../helpers/milestones.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'
import { waitForServerLayer } from '../helpers/server-state.ts'
import { waitFor } from '../helpers/wait.ts'

const PUBLIEK = 'layer:publiek'
const RUIMTE = 'layer:ruimte'
const HOUR_MS = 60 * 60 * 1000

describe('the tour caption', () => {
  let browser: Browser
  let env: BoardServer
  let setup: ProviderClient
  let anna: Person
  /** Two-week iterations that began eight weeks before this week: now the fifth. */
  const rhythm = { weeks: 2 as const, firstStart: addDays(mondayOf(today()), -56) }

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    setup = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
    putRecords(setup.doc, [
      layerRecord(PUBLIEK, 'Publiekszaken', ROOT_LAYER_ID, { index: 1, color: 'orange' }),
      layerRecord(RUIMTE, 'Ruimte', ROOT_LAYER_ID, { index: 2, color: 'blue' }),
      geoShape('ruimte-1', { x: 2600, y: 1800, layerId: RUIMTE, text: 'Omgevingswet' }),
    ])
    setup.doc.transact(() => getMetaMap(setup.doc).set(META_ITERATIONS_KEY, rhythm))
    await waitForServerLayer(env, RUIMTE)
    anna = await openAs(browser, env.board.links.facilitator, 'Anna', { context: { locale: 'nl-NL' } })
    await setActiveLayer(anna.page, PUBLIEK)
    // One step done two hours ago: counted, no longer celebrated.
    const path = await drawPath(anna.page, {
      prefix: 'pz',
      x: -1600,
      y: 900,
      titles: ['Balie op afspraak', 'Paspoort thuisbezorgd', 'Digitale aanvraag'],
      done: [{ index: 0, doneAt: Date.now() - 2 * HOUR_MS }],
    })
    await waitForMilestone(anna.page, path.milestoneIds[0], 'done')
  })

  afterAll(async () => {
    setup?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it("carries each department's progress and the current iteration", async () => {
    const iteration = iterationOf(rhythm, today()).number
    expect(iteration).toBe(5)
    const link = displayLink(env.board.links.display, { mode: 'tour', seconds: '5' })
    const display = await openAs(browser, link, 'Wandscherm', { context: { locale: 'nl-NL' } })
    const { page } = display
    await waitForMilestone(page, 'shape:pz-m3', 'planned')

    const publiek = await waitFor(
      async () => {
        const caption = await captionText(page)
        return caption.startsWith('Publiekszaken') && caption
      },
      { timeoutMs: 20_000, message: 'the tour at Publiekszaken' },
    )
    expect(publiek).toMatch(/^Publiekszaken · 1 van 3 behaald · iteratie 5\s*\d+ \/ \d+$/)
    expect(await page.locator('[data-testid="celebration"]').count()).toBe(0)

    const ruimte = await waitFor(
      async () => {
        const caption = await captionText(page)
        return caption.startsWith('Ruimte') && caption
      },
      { timeoutMs: 10_000, message: 'the tour at Ruimte' },
    )
    expect(ruimte).toMatch(/^Ruimte\s*\d+ \/ \d+$/)
    await display.close()
  })
})
