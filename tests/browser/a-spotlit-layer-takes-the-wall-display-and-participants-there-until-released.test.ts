/**
 * Two departments far apart. Sanne puts "Publiekszaken" in the spotlight: the wall display
 * (showing the overview) drills into that layer — its shapes in view, the other
 * department's not drawn — and so does Anne's view. Sanne turns the spotlight off: the
 * display shows the whole board again.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink, geoShape, isInView } from '../helpers/display.ts'
import { openPanel } from '../helpers/facilitator.ts'
import { layerRecord } from '../helpers/layers.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'
import { waitForServerLayer } from '../helpers/server-state.ts'
import { waitFor } from '../helpers/wait.ts'

describe('the spotlight', () => {
  let browser: Browser
  let env: BoardServer
  let seed: ProviderClient
  const people: Person[] = []

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
    seed = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
    putRecords(seed.doc, [
      layerRecord('layer:sociaal', 'Sociaal domein', ROOT_LAYER_ID, { index: 1, color: 'green' }),
      layerRecord('layer:publiek', 'Publiekszaken', ROOT_LAYER_ID, { index: 2, color: 'orange' }),
      geoShape('sociaal-1', { x: -3000, y: 1500, layerId: 'layer:sociaal', text: 'Sociaal' }),
      geoShape('publiek-1', { x: 3000, y: 1500, layerId: 'layer:publiek', text: 'Publiek' }),
    ])
    for (const id of ['layer:sociaal', 'layer:publiek']) await waitForServerLayer(env, id)
  })

  afterAll(async () => {
    for (const person of people) await person.close()
    seed?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it('moves the display and the participants into the layer, and back on release', async () => {
    const display = await openAs(browser, displayLink(env.board.links.display), 'Wandscherm')
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    const anne = await openAs(browser, env.board.links.participant, 'Anne')
    people.push(display, sanne, anne)
    await waitFor(
      async () =>
        (await isInView(display.page, 'shape:sociaal-1')) && (await isInView(display.page, 'shape:publiek-1')),
      {
        timeoutMs: 10_000,
        message: 'the overview to show both departments',
      },
    )

    await openPanel(sanne.page, 'spotlight')
    await sanne.page.locator('[data-testid="spotlight-layer"]').selectOption('layer:publiek')
    await sanne.page.locator('[data-testid="spotlight-on"]').click()
    await display.page.waitForSelector('[data-testid="display-view"][data-spotlight="layer:publiek"]', {
      timeout: 5_000,
    })
    await waitFor(
      async () =>
        (await isInView(display.page, 'shape:publiek-1')) && !(await isInView(display.page, 'shape:sociaal-1')),
      {
        timeoutMs: 10_000,
        message: 'the display to drill into Publiekszaken',
      },
    )
    await waitFor(
      async () => (await isInView(anne.page, 'shape:publiek-1')) && !(await isInView(anne.page, 'shape:sociaal-1')),
      {
        timeoutMs: 10_000,
        message: 'Anne’s view to drill into Publiekszaken',
      },
    )

    await sanne.page.locator('[data-testid="spotlight-off"]').click()
    await waitFor(
      async () =>
        (await isInView(display.page, 'shape:sociaal-1')) && (await isInView(display.page, 'shape:publiek-1')),
      {
        timeoutMs: 10_000,
        message: 'the display to show the whole board again',
      },
    )
    expect(await display.page.locator('[data-testid="display-view"]').getAttribute('data-spotlight')).toBe('')
  })
})
