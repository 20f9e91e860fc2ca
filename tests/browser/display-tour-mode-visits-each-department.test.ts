/**
 * Tour mode, from the URL (`?mode=tour&seconds=5`): the display shows the north star,
 * then each department (the root layer's children, in order), then the north star
 * again — the caption naming each stop, the camera moving to it. A facilitator then
 * switches the running display to the overview, live, through `meta.display`.
 * With STIP_DOCS_SCREENSHOTS=1 it also writes docs/display-tour.png and
 * docs/display-overview.png (1280×720); otherwise a test run leaves the tree as it was.
 */
import { fileURLToPath } from 'node:url'
import { toRichText } from '@tldraw/tlschema'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { launchBrowser, openAs } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { camera, captionText, displayLink, geoShape, isInView, setLiveDisplaySettings } from '../helpers/display.ts'
import { layerRecord } from '../helpers/layers.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'
import { waitForServerLayer } from '../helpers/server-state.ts'
import { waitFor } from '../helpers/wait.ts'

const SCREEN = { width: 1280, height: 720 }
const docsFile = (name: string) =>
  process.env.STIP_DOCS_SCREENSHOTS === '1' ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : undefined

/** Two departments far apart, each with a little development path toward the north star. */
function departments(): StoredRecord[] {
  const path = (layerId: string, prefix: string, x0: number, y0: number, color: string) =>
    [0, 1, 2].map((step) =>
      geoShape(`${prefix}-${step}`, {
        x: x0 + step * 260,
        y: y0 - step * 140,
        layerId,
        color,
        text: `Mijlpaal ${step + 1}`,
      }),
    )
  return [
    layerRecord('layer:sociaal', 'Sociaal domein', ROOT_LAYER_ID, { index: 1, color: 'green' }),
    layerRecord('layer:publiek', 'Publiekszaken', ROOT_LAYER_ID, { index: 2, color: 'orange' }),
    ...path('layer:sociaal', 'sociaal', -1900, 1100, 'green'),
    ...path('layer:publiek', 'publiek', 1100, 1100, 'orange'),
    geoShape('strategy', { x: -200, y: 400, w: 400, h: 100, text: 'Strategie', color: 'violet' }),
  ]
}

describe('the wall display in tour mode', () => {
  let browser: Browser
  let env: BoardServer
  let facilitator: ProviderClient

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
    facilitator = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
    const star = getRecord(getRecordsMap(facilitator.doc), NORTH_STAR_ID) as StoredRecord & { props: object }
    putRecords(facilitator.doc, [
      {
        ...star,
        props: { ...star.props, mission: toRichText('Digitaal dichtbij: elke inwoner in één keer geholpen') },
      },
      ...departments(),
    ])
    // One transaction: once the server lists both departments, it holds their shapes too,
    // and a display opened now tours all of them from its first stop.
    for (const id of ['layer:sociaal', 'layer:publiek']) await waitForServerLayer(env, id)
  })

  afterAll(async () => {
    facilitator?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it('visits the north star and each department in turn, then switches to the overview live', async () => {
    const link = displayLink(env.board.links.display, { mode: 'tour', seconds: '5' })
    const display = await openAs(browser, link, 'Wandscherm', { context: { viewport: SCREEN, locale: 'nl-NL' } })
    const { page } = display
    expect(await page.locator('[data-testid="display-view"]').getAttribute('data-mode')).toBe('tour')
    await waitFor(
      async () => (await page.locator('[data-testid="display-mission"]').textContent())?.includes('Digitaal dichtbij'),
      {
        message: 'the mission in the header',
      },
    )

    // Stops in order, wherever the tour happens to be when we start looking.
    const order = ['De stip op de horizon', 'Sociaal domein', 'Publiekszaken']
    const seen: { caption: string; camera: { x: number; y: number; z: number } }[] = []
    const deadline = Date.now() + 40_000
    while (seen.length < 5 && Date.now() < deadline) {
      const caption = await captionText(page)
      const name = order.find((stop) => caption.startsWith(stop))
      if (name && seen.at(-1)?.caption !== name) {
        // Let the camera arrive (the move takes at most 1.25 s of a 5 s stop).
        await page.waitForTimeout(1_800)
        seen.push({ caption: name, camera: await camera(page) })
        if (name === 'Publiekszaken') {
          expect(await isInView(page, 'shape:publiek-1')).toBe(true)
          expect(await isInView(page, 'shape:sociaal-1')).toBe(false)
          await page.screenshot({ path: docsFile('display-tour.png') })
        }
        if (name === 'Sociaal domein') expect(await isInView(page, 'shape:sociaal-1')).toBe(true)
      }
      await page.waitForTimeout(100)
    }
    console.log(`[display] tour stops: ${seen.map((stop) => stop.caption).join(' → ')}`)
    const names = seen.map((stop) => stop.caption)
    expect(names.length).toBeGreaterThanOrEqual(4)
    // Each stop is followed by the next one in the round.
    for (let i = 1; i < names.length; i++) {
      expect(names[i]).toBe(order[(order.indexOf(names[i - 1]) + 1) % order.length])
    }
    // The camera moved between stops.
    const cameras = new Set(seen.map(({ camera: { x, y, z } }) => `${Math.round(x)},${Math.round(y)},${z.toFixed(3)}`))
    expect(cameras.size).toBeGreaterThanOrEqual(3)

    // The facilitator switches every display to the overview, with the join code.
    setLiveDisplaySettings(facilitator, { mode: 'overview', showJoinCode: true, joinLink: env.board.links.participant })
    await page.waitForSelector('[data-testid="display-view"][data-mode="overview"]', { timeout: 3_000 })
    await page.waitForSelector('[data-testid="display-caption"]', { state: 'detached', timeout: 3_000 })
    await page.waitForSelector('[data-testid="display-qr"]', { timeout: 3_000 })
    await waitFor(
      async () =>
        (await isInView(page, 'shape:sociaal-0')) &&
        (await isInView(page, 'shape:publiek-2')) &&
        (await isInView(page, NORTH_STAR_ID)),
      { timeoutMs: 5_000, message: 'the whole drawing in view' },
    )
    await page.waitForTimeout(1_000)
    await page.screenshot({ path: docsFile('display-overview.png') })
    await display.close()
  })
})
