/**
 * After a breakout, three departments' paths lie on top of each other wherever each team
 * happened to start them. The facilitator's "arrange" (the root layer's menu) moves each
 * department into its own sector below the north star: no department's drawing overlaps
 * another's or the north star, every path still reaches the north star with every arrow
 * bound, and the overview shows them converging on it.
 *
 * With STIP_DOCS_SCREENSHOTS=1 it also writes the overview to docs/paths-overview.png.
 */
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { type PathRecord, readPaths } from '../../shared/paths.ts'
import { launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { addLayerWithPanel, chooseFromLayerMenu, rowSelector } from '../helpers/layers-browser.ts'

interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** Each layer's bounding box of its shapes, and the north star's, in the page's editor. */
function layerBoxes(page: Page, layerIds: string[]): Promise<{ star: Box; layers: Box[] }> {
  return page.evaluate((ids) => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const box = (shapes: { id: string }[]) => {
      const bounds = shapes.map((shape) => editor.getShapePageBounds(shape.id))
      const x = Math.min(...bounds.map((b: Box) => b.x))
      const y = Math.min(...bounds.map((b: Box) => b.y))
      const w = Math.max(...bounds.map((b: Box) => b.x + b.w)) - x
      const h = Math.max(...bounds.map((b: Box) => b.y + b.h)) - y
      return { x, y, w, h }
    }
    const shapes = editor.getCurrentPageShapes() as { id: string; type: string; meta: { layerId?: string } }[]
    return {
      star: box(shapes.filter((shape) => shape.type === 'north-star')),
      layers: ids.map((id) => box(shapes.filter((shape) => shape.meta.layerId === id))),
    }
  }, layerIds)
}

const intersects = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

function pagePaths(page: Page) {
  return page
    .evaluate(() =>
      (window as unknown as StipWindow).__stipEditor.store
        .allRecords()
        .filter((r: { typeName: string }) => r.typeName === 'shape' || r.typeName === 'binding'),
    )
    .then((records) => readPaths(records as PathRecord[]))
}

describe('arranging the departments around the north star', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person
  const layerIds: string[] = []

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna')
    for (const name of ['Sociaal domein', 'Publiekszaken', 'Ruimte']) {
      layerIds.push(await addLayerWithPanel(anna.page, null, name, env))
    }
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('moves three overlapping paths into sectors of their own, still bound to the north star', async () => {
    const page = anna.page
    for (const layerId of layerIds) {
      // Every team starts from the same view, so the three paths land on top of each other.
      await page.evaluate(() => {
        ;(window as unknown as StipWindow).__stipEditor.setCamera({ x: 0, y: -1200, z: 1 })
      })
      await chooseFromLayerMenu(page, layerId, 'layer-start-path')
      await page.locator('[data-testid="path-next"]').click()
      await page.locator('[data-testid="path-next"]').click()
    }
    await expect
      .poll(async () => (await pagePaths(page)).paths.map((p) => [p.milestoneIds.length, p.reachesNorthStar]), {
        timeout: 10_000,
      })
      .toEqual([
        [3, true],
        [3, true],
        [3, true],
      ])
    const before = await layerBoxes(page, layerIds)
    expect(intersects(before.layers[0], before.layers[1])).toBe(true)

    await chooseFromLayerMenu(page, ROOT_LAYER_ID, 'layer-arrange')

    const after = await layerBoxes(page, layerIds)
    for (const [i, box] of after.layers.entries()) {
      expect(intersects(box, after.star), `department ${i} clear of the north star`).toBe(false)
      for (const other of after.layers.slice(i + 1)) expect(intersects(box, other)).toBe(false)
    }
    // Left to right in layer order, all below the horizon.
    const centers = after.layers.map((box) => box.x + box.w / 2)
    expect(centers).toEqual([...centers].sort((a, b) => a - b))
    const { paths } = await pagePaths(page)
    expect(paths.every((p) => p.reachesNorthStar && p.milestoneIds.length === 3)).toBe(true)
    // The layer panel's root counts the whole board: nine milestones, no broken path.
    const root = page.locator(`${rowSelector(ROOT_LAYER_ID)} [data-testid="layer-progress"]`)
    expect(await root.getAttribute('data-total')).toBe('9')
    expect(await root.getAttribute('data-broken')).toBe('0')

    if (process.env.STIP_DOCS_SCREENSHOTS === '1') {
      await page.evaluate(() => {
        ;(window as unknown as StipWindow).__stipEditor.selectNone()
      })
      await page.waitForTimeout(600) // the zoom's animation
      await page.screenshot({ path: path.resolve(import.meta.dirname, '../../docs/paths-overview.png') })
    }
  })
})
