/**
 * A board whose drawing does not fit the screen at a readable size opens at zoom 0.5,
 * centred on the north star, instead of zoomed out until nothing can be read; shapes off
 * screen are placed but not drawn until they come into view. A drawing that fits still
 * opens fitted whole, and the wall display always shows the whole drawing.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { launchBrowser, openAs, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { waitForServerShapes } from '../helpers/server-state.ts'

/** Far from the north star: the drawing then spans about 12,000 × 6,000 page units. */
const FAR = { x: 12_000, y: 6_000 }

interface View {
  zoom: number
  /** The viewport's centre in page space. */
  center: { x: number; y: number }
  northStar: { x: number; y: number }
  /** Shapes in the viewport, and whether each one's content is in the DOM. */
  drawn: Record<string, boolean>
}

function view(page: Page, ids: string[]): Promise<View> {
  return page.evaluate(
    ({ ids, star }) => {
      const editor = (window as unknown as StipWindow).__stipEditor as NonNullable<StipWindow['__stipEditor']>
      const viewport = editor.getViewportPageBounds()
      const starBounds = editor.getShapePageBounds(star as never)
      const drawn: Record<string, boolean> = {}
      for (const id of ids) {
        const wrapper = document.querySelector(`.tl-shape[data-shape-id="${id}"]:not(.tl-shape-background)`)
        drawn[id] = (wrapper?.childElementCount ?? 0) > 0
      }
      return {
        zoom: editor.getZoomLevel(),
        center: { x: viewport.midX, y: viewport.midY },
        northStar: { x: starBounds?.midX ?? Number.NaN, y: starBounds?.midY ?? Number.NaN },
        drawn,
      }
    },
    { ids, star: NORTH_STAR_ID as string }, // a plain string: playwright cannot type a branded id
  )
}

/** Creates rectangles (as the facilitator's own drawing, so they sync) and returns their ids. */
function drawAt(page: Page, points: { x: number; y: number }[]): Promise<string[]> {
  return page.evaluate((points) => {
    const editor = (window as unknown as StipWindow).__stipEditor as NonNullable<StipWindow['__stipEditor']>
    const before = new Set(editor.getCurrentPageShapeIds())
    editor.createShapes(points.map(({ x, y }) => ({ type: 'geo', x, y, props: { w: 200, h: 120 } })))
    return [...editor.getCurrentPageShapeIds()].filter((id) => !before.has(id))
  }, points)
}

async function waitForShapeCount(page: Page, count: number): Promise<void> {
  await page.waitForFunction(
    (n) => ((window as unknown as StipWindow).__stipEditor?.getCurrentPageShapeIds().size ?? 0) >= n,
    count,
    { timeout: 10_000 },
  )
}

/** The camera settles a frame after the editor mounts. */
async function settledView(page: Page, ids: string[]): Promise<View> {
  let last = await view(page, ids)
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(50)
    const next = await view(page, ids)
    if (JSON.stringify(next) === JSON.stringify(last)) return next
    last = next
  }
  return last
}

describe('opening a board', () => {
  let browser: Browser
  let env: BoardServer

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('fits a drawing that fits, opens a big one readable around the north star, and the wall display whole', async () => {
    const anna = await openAs(browser, env.board.links.facilitator, 'Anna')
    const near = await drawAt(anna.page, [{ x: 400, y: 300 }])
    const total =
      (await anna.page.evaluate(() => (window as unknown as StipWindow).__stipEditor?.getCurrentPageShapeIds().size)) ??
      0

    // Each newcomer opens the board as the server holds it: wait until it has what Anna drew.
    await waitForServerShapes(env, total)
    const bram = await openAs(browser, env.board.links.participant, 'Bram')
    await waitForShapeCount(bram.page, total)
    const small = await settledView(bram.page, near)
    expect(small.zoom).toBeGreaterThan(0.5)
    expect(small.drawn[near[0]]).toBe(true)
    await bram.close()

    const far = await drawAt(anna.page, [FAR, { x: -FAR.x, y: FAR.y }])
    await waitForServerShapes(env, total + far.length)
    const cees = await openAs(browser, env.board.links.participant, 'Cees')
    await waitForShapeCount(cees.page, total + far.length)
    const big = await settledView(cees.page, [...near, ...far])
    expect(big.zoom).toBeCloseTo(0.5, 5)
    expect(big.center.x).toBeCloseTo(big.northStar.x, 0)
    expect(big.center.y).toBeCloseTo(big.northStar.y, 0)
    expect(big.drawn[far[0]]).toBe(false)
    expect(big.drawn[far[1]]).toBe(false)

    // Brought into view, a shape is drawn.
    await cees.page.evaluate((point) => void (window as unknown as StipWindow).__stipEditor?.centerOnPoint(point), {
      x: FAR.x + 100,
      y: FAR.y + 60,
    })
    await cees.page.waitForFunction(
      (id) => (document.querySelector(`.tl-shape[data-shape-id="${id}"]`)?.childElementCount ?? 0) > 0,
      far[0],
      { timeout: 5_000 },
    )
    await cees.close()

    const wall = await openAs(browser, env.board.links.display, 'Wandscherm')
    await waitForShapeCount(wall.page, total + far.length)
    const whole = await settledView(wall.page, [...near, ...far])
    expect(whole.zoom).toBeLessThan(0.1)
    expect(Object.values(whole.drawn)).toEqual([true, true, true])
    await wall.close()
    await anna.close()
  })
})
