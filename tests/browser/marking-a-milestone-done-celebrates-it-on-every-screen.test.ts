/**
 * A department marks a milestone done and every screen celebrates it: a second
 * participant (who asked their system for reduced motion: a calm badge, no confetti) and
 * the wall display (confetti, and its camera moves to the milestone, then back to the
 * overview). Each names the team and the step with the path's new progress, and says so
 * to screen readers. Two steps marked together are celebrated one after the other, each
 * with the progress it made. A display in tour mode pauses its tour for the celebration
 * and resumes at the stop it was on.
 * With STIP_DOCS_SCREENSHOTS=1 it also writes docs/display-celebration.png (1280×720).
 */
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { camera, captionText, displayLink, isInView, setLiveDisplaySettings } from '../helpers/display.ts'
import { layerRecord } from '../helpers/layers.ts'
import { setActiveLayer } from '../helpers/layers-browser.ts'
import {
  celebrationOn,
  type DrawnPath,
  drawPath,
  markDone,
  waitForCelebration,
  waitForMilestone,
} from '../helpers/milestones.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'
import { waitForServerLayer } from '../helpers/server-state.ts'
import { waitFor } from '../helpers/wait.ts'

const SCREEN = { width: 1280, height: 720 }
const docsFile = (name: string) =>
  process.env.STIP_DOCS_SCREENSHOTS === '1' ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : undefined
const PUBLIEK = 'layer:publiek'
/** The display keeps room above the milestone for the badge, so it sits a little below the centre. */
const NEAR_CENTRE_PX = SCREEN.height / 3

/** How far the centre of `id` is from the centre of what the page shows, in screen pixels. */
function offCentre(page: Page, id: string): Promise<number> {
  return page.evaluate((shapeId) => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const bounds = editor.getShapePageBounds(shapeId)
    const view = editor.getViewportPageBounds()
    return Math.hypot(bounds.midX - view.midX, bounds.midY - view.midY) * editor.getZoomLevel()
  }, id)
}

/** The camera once it stopped moving (an animation ends within a second). */
async function settledCamera(page: Page): Promise<{ x: number; y: number; z: number }> {
  let last = await camera(page)
  return waitFor(
    async () => {
      await page.waitForTimeout(250)
      const now = await camera(page)
      const still = now.x === last.x && now.y === last.y && now.z === last.z
      last = now
      return still ? now : null
    },
    { timeoutMs: 5_000, message: 'the camera to stop moving' },
  )
}

describe('marking a milestone done', () => {
  let browser: Browser
  let env: BoardServer
  let setup: ProviderClient
  let anna: Person
  let bram: Person
  let display: Person
  let path: DrawnPath

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    setup = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
    putRecords(setup.doc, [layerRecord(PUBLIEK, 'Publiekszaken', ROOT_LAYER_ID, { index: 1, color: 'orange' })])
    await waitForServerLayer(env, PUBLIEK)

    // Anna (facilitator) draws Publiekszaken's path; Bram follows along as a participant.
    anna = await openAs(browser, env.board.links.facilitator, 'Anna', { context: { locale: 'nl-NL' } })
    await setActiveLayer(anna.page, PUBLIEK)
    path = await drawPath(anna.page, {
      prefix: 'pz',
      x: 700,
      y: 700,
      titles: ['Balie op afspraak', 'Paspoort thuisbezorgd', 'Digitale aanvraag'],
    })
    bram = await openAs(browser, env.board.links.participant, 'Bram', {
      context: { locale: 'nl-NL', reducedMotion: 'reduce' },
    })
    display = await openAs(browser, displayLink(env.board.links.display, { mode: 'overview' }), 'Wandscherm', {
      context: { viewport: SCREEN, locale: 'nl-NL' },
    })
    for (const page of [bram.page, display.page]) {
      await waitForMilestone(page, path.milestoneIds[2], 'planned')
      await page.waitForFunction(
        (id) => (window as unknown as StipWindow).__stipEditor.getShape(id) !== undefined,
        path.arrowIds.at(-1),
        { timeout: 10_000 },
      )
    }
  })

  afterAll(async () => {
    setup?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it('celebrates on a second participant and on the display, which frames it and goes back', async () => {
    const [first] = path.milestoneIds
    // The overview shows the whole drawing, nothing to celebrate yet.
    await waitFor(async () => (await isInView(display.page, NORTH_STAR_ID)) && isInView(display.page, first), {
      timeoutMs: 5_000,
      message: 'the overview on the display',
    })
    const overview = await settledCamera(display.page)
    expect(await celebrationOn(bram.page)).toBeNull()
    expect(await celebrationOn(display.page)).toBeNull()

    const doneAt = await markDone(anna.page, first)

    await waitForCelebration(bram.page, first)
    expect(await celebrationOn(bram.page)).toEqual({
      milestone: first,
      team: 'Publiekszaken',
      title: 'Balie op afspraak',
      progress: '1 van 3 behaald',
      motion: 'reduced',
    })
    expect(await bram.page.locator('[data-testid="celebration-confetti"]').count()).toBe(0)
    expect(await bram.page.locator('[aria-live="polite"][data-testid="celebration-announcement"]').textContent()).toBe(
      'Mijlpaal behaald door Publiekszaken: Balie op afspraak. 1 van 3 behaald.',
    )

    await waitForCelebration(display.page, first)
    expect(await celebrationOn(display.page)).toMatchObject({ team: 'Publiekszaken', progress: '1 van 3 behaald' })
    expect(await display.page.locator('[data-testid="celebration-confetti"]').count()).toBe(1)
    // The display's camera goes to the milestone: about centred, much closer than the overview.
    await waitFor(
      async () =>
        (await offCentre(display.page, first)) < NEAR_CENTRE_PX &&
        (await camera(display.page)).z > overview.z * 1.5 &&
        (await isInView(display.page, first)),
      { timeoutMs: 5_000, message: 'the display framing the milestone' },
    )
    await display.page.screenshot({ path: docsFile('display-celebration.png') })
    // Anna, who marked it, celebrates too.
    await waitForCelebration(anna.page, first)
    await waitForMilestone(display.page, first, 'done', doneAt)

    // After the celebration the display is back on the whole drawing.
    await display.page.waitForSelector('[data-testid="celebration"]', { state: 'detached', timeout: 10_000 })
    await waitFor(
      async () =>
        (await isInView(display.page, NORTH_STAR_ID)) &&
        (await isInView(display.page, path.milestoneIds[2])) &&
        Math.abs((await settledCamera(display.page)).z - overview.z) < 0.01,
      { timeoutMs: 5_000, message: 'the display back on the overview' },
    )
  })

  it('celebrates two steps marked together one after the other, each with the progress it made', async () => {
    const [, second, third] = path.milestoneIds
    await anna.page.evaluate(
      ([a, b]) => {
        const editor = (window as unknown as StipWindow).__stipEditor
        const now = Date.now()
        editor.run(() => {
          editor.updateShape({ id: a, type: 'milestone', props: { status: 'done', doneAt: now } })
          editor.updateShape({ id: b, type: 'milestone', props: { status: 'done', doneAt: now + 1 } })
        })
      },
      [second, third],
    )
    for (const page of [bram.page, display.page]) {
      await waitForCelebration(page, second)
      expect(await celebrationOn(page)).toMatchObject({ title: 'Paspoort thuisbezorgd', progress: '2 van 3 behaald' })
    }
    for (const page of [bram.page, display.page]) {
      await waitForCelebration(page, third, 10_000)
      expect(await celebrationOn(page)).toMatchObject({ title: 'Digitale aanvraag', progress: '3 van 3 behaald' })
    }
    await waitFor(async () => (await offCentre(display.page, third)) < NEAR_CENTRE_PX, {
      timeoutMs: 5_000,
      message: 'the display framing the third milestone',
    })
  })

  it('pauses a touring display for the celebration, which then resumes at its stop', async () => {
    const [first] = path.milestoneIds
    await display.page.waitForSelector('[data-testid="celebration"]', { state: 'detached', timeout: 10_000 })
    const atStop = (name: string, message: string) =>
      waitFor(async () => (await captionText(display.page)).startsWith(name), { timeoutMs: 15_000, message })
    // Short stops until the tour reaches the department, then long ones: a change of
    // settings, like a celebration, resumes the tour where it was.
    setLiveDisplaySettings(setup, { mode: 'tour', tourSeconds: 5 })
    await display.page.waitForSelector('[data-testid="display-view"][data-mode="tour"]', { timeout: 5_000 })
    await atStop('Publiekszaken', 'the tour at Publiekszaken')
    setLiveDisplaySettings(setup, { tourSeconds: 60 })
    await display.page.waitForFunction(
      () =>
        (window as unknown as { __stipDisplaySettings: () => { tourSeconds: number } }).__stipDisplaySettings()
          .tourSeconds === 60,
      undefined,
      { timeout: 5_000 },
    )
    // The new settings arrive well within the department's five seconds; the tour stays there.
    const atStopCamera = await settledCamera(display.page)
    const stop = 'Publiekszaken'
    expect(await captionText(display.page)).toMatch(/^Publiekszaken · 3 van 3 behaald/)

    // Set back and reached again: a new step to celebrate.
    await anna.page.evaluate((id) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      editor.updateShape({ id, type: 'milestone', props: { status: 'in-progress', doneAt: null } })
      editor.updateShape({ id, type: 'milestone', props: { status: 'done', doneAt: Date.now() } })
    }, first)
    await waitForCelebration(display.page, first)
    await waitFor(
      async () =>
        (await offCentre(display.page, first)) < NEAR_CENTRE_PX &&
        (await camera(display.page)).z > atStopCamera.z * 1.2,
      { timeoutMs: 5_000, message: 'the touring display framing the milestone' },
    )
    expect(await captionText(display.page)).toBe('')

    await display.page.waitForSelector('[data-testid="celebration"]', { state: 'detached', timeout: 10_000 })
    await atStop(stop, 'the tour back at the stop it was on')
    await waitFor(async () => Math.abs((await settledCamera(display.page)).z - atStopCamera.z) < 0.01, {
      timeoutMs: 5_000,
      message: 'the camera back on that stop',
    })
  })
})
