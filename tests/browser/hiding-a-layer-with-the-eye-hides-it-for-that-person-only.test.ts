/**
 * The eye in the layer panel is personal view state: it hides a layer (and everything
 * below it) for the person who clicked it, remembered in their browser, while everyone
 * else still sees it — the layer record's board-wide `visible` flag is not touched.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawRectangle, launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import {
  addLayerWithPanel,
  pageLayers,
  rowSelector,
  setActiveLayer,
  waitForLayerNamed,
  waitForRendered,
} from '../helpers/layers-browser.ts'

describe('the eye toggle of a layer', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person
  let carla: Person

  beforeAll(async () => {
    env = await startBoardServer('Gemeente Voorbeeld')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna')
    carla = await openAs(browser, env.board.links.facilitator, 'Carla')
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('hides the layer for the person who clicked it, and another person still sees it', async () => {
    await anna.page.waitForSelector('[data-testid="layer-panel"]', { timeout: 10_000 })
    const sociaal = await addLayerWithPanel(anna.page, null, 'Sociaal domein', env)
    const publiek = await addLayerWithPanel(anna.page, null, 'Publiekszaken', env)
    const jeugd = await addLayerWithPanel(anna.page, sociaal, 'Team Jeugd', env)
    await setActiveLayer(anna.page, publiek)
    const inPubliek = (await drawRectangle(anna.page, { x: 560, y: 560 }, { x: 680, y: 640 })).id
    await setActiveLayer(anna.page, jeugd)
    const inJeugd = (await drawRectangle(anna.page, { x: 760, y: 560 }, { x: 880, y: 640 })).id
    await setActiveLayer(anna.page, sociaal)
    const inSociaal = (await drawRectangle(anna.page, { x: 960, y: 560 }, { x: 1080, y: 640 })).id
    const all = [inPubliek, inJeugd, inSociaal]

    await waitForLayerNamed(carla.page, 'Team Jeugd')
    for (const person of [anna, carla]) {
      await waitForRendered(person.page, { shown: all, hidden: [] }, { message: `${person.name} to see everything` })
    }

    // Carla hides Sociaal domein: its shapes and its team's disappear for her only.
    await carla.page.locator(`${rowSelector(sociaal)} [data-testid="layer-visibility"]`).click()
    await carla.page.waitForSelector(`${rowSelector(sociaal)}[data-hidden="true"]`, { timeout: 5_000 })
    await carla.page.waitForSelector(`${rowSelector(jeugd)}[data-hidden="true"]`, { timeout: 5_000 })
    await waitForRendered(
      carla.page,
      { shown: [inPubliek], hidden: [inSociaal, inJeugd] },
      { message: 'Carla to no longer see Sociaal domein and its team' },
    )
    expect(await carla.page.locator(`${rowSelector(publiek)}`).getAttribute('data-hidden')).toBe('false')

    // Anna still sees it all; the layer is still visible for everyone.
    await waitForRendered(anna.page, { shown: all, hidden: [] }, { message: 'Anna to still see everything' })
    expect(await anna.page.locator(`${rowSelector(sociaal)}`).getAttribute('data-hidden')).toBe('false')
    for (const person of [anna, carla]) {
      const record = (await pageLayers(person.page)).find((layer) => layer.id === sociaal)
      expect(record?.visible, `${person.name}'s copy of the layer record`).toBe(true)
    }

    // A reload keeps Carla's choice (it is hers, in her browser), and showing it again works.
    await carla.page.reload()
    await carla.page.waitForSelector(`${rowSelector(sociaal)}[data-hidden="true"]`, { timeout: 30_000 })
    await waitForRendered(carla.page, { shown: [inPubliek], hidden: [inSociaal, inJeugd] })
    await carla.page.locator(`${rowSelector(sociaal)} [data-testid="layer-visibility"]`).click()
    await waitForRendered(carla.page, { shown: all, hidden: [] }, { message: 'Carla to see Sociaal domein again' })
    await waitForRendered(anna.page, { shown: all, hidden: [] })
  })
})
