/**
 * A new board on the lobby screen, in tour mode: the first stop frames the north star
 * itself (not the whole drawing under its caption), and the screen shows the strategy,
 * never an editor's hint — the empty mission reads as the board's name, once. The
 * facilitator, who writes the mission, is still invited to.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { launchBrowser, openAs, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { captionText, displayLink, geoShape, isInView } from '../helpers/display.ts'
import { layerRecord } from '../helpers/layers.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'
import { waitForServerLayer } from '../helpers/server-state.ts'
import { waitFor } from '../helpers/wait.ts'

const BOARD_NAME = 'Voorbeeld Digitaal 2030'
const SCREEN = { width: 1280, height: 720 }
const HINT = /Dubbelklik|Double-click/i

describe('a display in tour mode on a new board', () => {
  let browser: Browser
  let env: BoardServer
  let setup: ProviderClient

  beforeAll(async () => {
    env = await startBoardServer(BOARD_NAME)
    browser = await launchBrowser()
    // A department far from the north star: the whole drawing is much more than the star.
    setup = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
    putRecords(setup.doc, [
      layerRecord('layer:ruimte', 'Ruimte', ROOT_LAYER_ID, { index: 1, color: 'blue' }),
      geoShape('ruimte-1', { x: 2600, y: 1800, layerId: 'layer:ruimte', text: 'Omgevingswet' }),
    ])
    await waitForServerLayer(env, 'layer:ruimte')
  })

  afterAll(async () => {
    setup?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it('frames the north star at its first stop and shows the board name, no hint', async () => {
    // Long stops: the first one lasts the whole test.
    const link = displayLink(env.board.links.display, { mode: 'tour', seconds: '60' })
    const display = await openAs(browser, link, 'Wandscherm', { context: { viewport: SCREEN, locale: 'nl-NL' } })
    const { page } = display
    await page.waitForFunction(
      (id) => (window as unknown as StipWindow).__stipEditor.getShape(id) !== undefined,
      'shape:ruimte-1',
      { timeout: 10_000 },
    )
    expect(await captionText(page)).toMatch(/^De stip op de horizon/)
    // The star fills the screen's width, the department is out of sight.
    await waitFor(
      async () => {
        const starWidth = await page.evaluate((id) => {
          const editor = (window as unknown as StipWindow).__stipEditor
          return editor.getShapePageBounds(id).w * editor.getZoomLevel()
        }, NORTH_STAR_ID as string)
        return starWidth > SCREEN.width * 0.6 && (await isInView(page, NORTH_STAR_ID))
      },
      { timeoutMs: 5_000, message: 'the north star framed at the first stop' },
    )
    expect(await isInView(page, 'shape:ruimte-1')).toBe(false)
    expect(await captionText(page)).toMatch(/^De stip op de horizon/)

    await page.waitForSelector('.stip-north-star__mission', { timeout: 5_000 })
    expect(await page.locator('.stip-north-star__mission').textContent()).toBe(BOARD_NAME)
    expect(await page.locator('.stip-north-star__subtitle').textContent()).toBe('')
    expect(await page.evaluate(() => document.body.textContent ?? '')).not.toMatch(HINT)
    await display.close()

    const facilitator = await openAs(browser, env.board.links.facilitator, 'Anna', { context: { locale: 'nl-NL' } })
    await facilitator.page.waitForSelector('.stip-north-star__placeholder', { timeout: 10_000 })
    expect(await facilitator.page.locator('.stip-north-star__mission').textContent()).toMatch(HINT)
    await facilitator.close()
  })
})
