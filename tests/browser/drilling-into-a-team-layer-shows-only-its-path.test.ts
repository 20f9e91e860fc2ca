/**
 * A facilitator structures the drawing with the layer panel — two departments under the
 * mission and a team under one of them — and draws a rectangle in each (make the layer
 * active, draw). A colleague then drills into the team, by its URL and by the panel: the
 * breadcrumb shows the path from the mission to the team, the other department's shapes
 * are not rendered, the north star banner keeps the mission in sight, and the browser's
 * back button returns to the overview, where everything shows again.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boardPath, layerPath } from '../../shared/board.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { drawRectangle, joinBoard, launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import {
  addLayerWithPanel,
  breadcrumb,
  layerLink,
  rowSelector,
  setActiveLayer,
  shapeLayerId,
  waitForRendered,
} from '../helpers/layers-browser.ts'
import { waitForServerShapes } from '../helpers/server-state.ts'

describe('drilling into a team layer', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person
  let bram: Person
  const layer: Record<'sociaal' | 'publiek' | 'jeugd', string> = { sociaal: '', publiek: '', jeugd: '' }
  const shape: Record<'root' | 'sociaal' | 'publiek' | 'jeugd', string> = {
    root: '',
    sociaal: '',
    publiek: '',
    jeugd: '',
  }

  beforeAll(async () => {
    env = await startBoardServer('Gemeente Voorbeeld')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna')
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  const overviewPath = () => boardPath(env.board.id)

  /** Each shape's drawn opacity: its wrapper's content, which the fading style sheet dims. */
  async function waitForFaded(page: Page, faded: string[], clear: string[], message: string): Promise<void> {
    const opacityOf = (ids: string[]) =>
      page.evaluate(
        (ids) =>
          ids.map((id) => {
            const content = document.querySelector(`.tl-shape[data-shape-id="${id}"]:not(.tl-shape-background) > *`)
            return content ? getComputedStyle(content).opacity : 'not drawn'
          }),
        ids,
      )
    const want = JSON.stringify([...faded.map(() => '0.3'), ...clear.map(() => '1')])
    let last = ''
    for (let i = 0; i < 100 && last !== want; i++) {
      last = JSON.stringify(await opacityOf([...faded, ...clear]))
      if (last !== want) await page.waitForTimeout(50)
    }
    expect(last, message).toBe(want)
  }

  async function expectOverview(page: Page) {
    await page.waitForFunction((path) => location.pathname === path, overviewPath(), { timeout: 5_000 })
    await waitForRendered(page, { shown: Object.values(shape), hidden: [] }, { message: 'the overview' })
    await waitForFaded(page, [], Object.values(shape), 'nothing faded in the overview')
    expect((await breadcrumb(page)).names).toEqual([])
    expect(await page.locator('[data-testid="overview"]').getAttribute('aria-pressed')).toBe('true')
  }

  async function expectInsideTeam(page: Page) {
    await page.waitForFunction((path) => location.pathname === path, layerPath(env.board.id, layer.jeugd), {
      timeout: 5_000,
    })
    await page.waitForSelector('[data-testid="breadcrumb"]', { timeout: 5_000 })
    expect(await breadcrumb(page)).toEqual({
      names: ['Missie & strategie', 'Sociaal domein', 'Team Jeugd'],
      current: layer.jeugd,
    })
    // Its path (the mission and its department, faded) shows; the other department does not.
    await waitForRendered(
      page,
      { shown: [shape.root, shape.sociaal, shape.jeugd], hidden: [shape.publiek] },
      { message: 'only the team’s path' },
    )
    await waitForFaded(page, [shape.root, shape.sociaal], [shape.jeugd], 'the team’s context faded, the team not')
    await page.waitForSelector('[data-testid="north-star-banner"]', { state: 'visible', timeout: 5_000 })
    expect(await page.locator(`${rowSelector(layer.jeugd)}`).getAttribute('data-open')).toBe('true')
  }

  it('lets a facilitator add departments and a team with the panel and draw in each', async () => {
    const { page } = anna
    await page.waitForSelector('[data-testid="layer-panel"]', { timeout: 10_000 })
    layer.sociaal = await addLayerWithPanel(page, null, 'Sociaal domein', env)
    layer.publiek = await addLayerWithPanel(page, null, 'Publiekszaken', env)
    layer.jeugd = await addLayerWithPanel(page, layer.sociaal, 'Team Jeugd', env)

    const layers = await page.evaluate(() =>
      // biome-ignore lint/suspicious/noExplicitAny: the page's layer records
      ((window as any).__stipLayers() as { id: string; name: string; parentId: string | null }[]).map(
        ({ id, name, parentId }) => ({ id, name, parentId }),
      ),
    )
    expect(layers).toEqual(
      expect.arrayContaining([
        { id: layer.sociaal, name: 'Sociaal domein', parentId: ROOT_LAYER_ID },
        { id: layer.publiek, name: 'Publiekszaken', parentId: ROOT_LAYER_ID },
        { id: layer.jeugd, name: 'Team Jeugd', parentId: layer.sociaal },
      ]),
    )
    expect(layers).toHaveLength(4)

    // The panel lists them depth-first.
    const rows = await page
      .locator('[data-testid="layer-row"]')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-layer-id')))
    expect(rows).toEqual([ROOT_LAYER_ID, layer.sociaal, layer.jeugd, layer.publiek])

    const spots: [keyof typeof shape, string, number, number][] = [
      ['root', ROOT_LAYER_ID, 520, 560],
      ['sociaal', layer.sociaal, 700, 560],
      ['jeugd', layer.jeugd, 880, 560],
      ['publiek', layer.publiek, 1040, 560],
    ]
    for (const [key, layerId, x, y] of spots) {
      await setActiveLayer(page, layerId)
      const drawn = await drawRectangle(page, { x, y }, { x: x + 110, y: y + 70 })
      shape[key] = drawn.id
      expect(await shapeLayerId(page, drawn.id), `the rectangle drawn in ${key}`).toBe(layerId)
    }
    await waitForRendered(page, { shown: Object.values(shape), hidden: [] }, { message: 'all four rectangles' })
    // Each department's and the team's row counts the one rectangle drawn in it.
    for (const layerId of [layer.sociaal, layer.jeugd, layer.publiek]) {
      const count = page.locator(`${rowSelector(layerId)} .stip-layer-row__count`).first()
      await expect.poll(() => count.textContent(), { timeout: 5_000 }).toBe('1')
    }
    // The colleague opens the board next: the server must hold the four and the north star.
    await waitForServerShapes(env, 5)
  })

  it('shows a colleague only the team’s path when opened by its URL, and back returns to the overview', async () => {
    bram = await openAs(browser, env.board.links.participant, 'Bram')
    await expectOverview(bram.page)
    await bram.page.goto(layerLink(env.server.url, env.board.id, layer.jeugd, env.board.tokens.participant))
    await joinBoard(bram.page, 'Bram')
    await expectInsideTeam(bram.page)

    await bram.page.goBack()
    await joinBoard(bram.page, 'Bram')
    await expectOverview(bram.page)
  })

  it('shows only the team’s path when opened in the panel, and back returns to the overview', async () => {
    const { page } = bram
    await page.locator(`${rowSelector(layer.jeugd)} [data-testid="layer-open"]`).click()
    await expectInsideTeam(page)

    await page.goBack()
    await expectOverview(page)
    expect(await page.locator(`${rowSelector(layer.jeugd)}`).getAttribute('data-open')).toBe('false')
  })
})
