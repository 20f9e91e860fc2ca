/**
 * The wall display: its link opens the board read-only — no toolbar, no tool buttons, no
 * style panel, an editor in read-only mode that a stray key or drag cannot change — and it
 * shows what the participants drew, inside its viewport.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  drawRectangle,
  geoShapes,
  launchBrowser,
  openAs,
  type StipWindow,
  waitForGeoShape,
} from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'

describe('a display link', () => {
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

  it('shows no editing tools, is read-only, yet shows the shape', async () => {
    const participant = await openAs(browser, env.board.links.participant, 'Anna')
    const drawn = await drawRectangle(participant.page, { x: 400, y: 300 }, { x: 640, y: 460 })

    const display = await openAs(browser, env.board.links.display, 'Wandscherm')
    const { page } = display

    const shown = await waitForGeoShape(page, (shape) => shape.id === drawn.id, {
      message: `${drawn.id} on the display`,
    })
    expect(shown).toEqual(drawn)

    // Rendered, and inside what the screen shows.
    await page.waitForSelector(`.tl-shape[data-shape-id="${drawn.id}"]`, { state: 'attached', timeout: 5_000 })
    const inView = await page.evaluate((id) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      const bounds = editor.getShapePageBounds(id)
      return bounds !== undefined && editor.getViewportPageBounds().collides(bounds)
    }, drawn.id)
    expect(inView, 'the rectangle is inside the display’s viewport').toBe(true)

    // No tools of any kind.
    expect(
      await page.evaluate(() => (window as unknown as StipWindow).__stipEditor.getInstanceState().isReadonly),
    ).toBe(true)
    expect(await page.locator('[data-testid^="tools."]').count(), 'tool buttons').toBe(0)
    expect(await page.locator('.tlui-toolbar, .tlui-main-toolbar').count(), 'toolbar').toBe(0)
    expect(await page.locator('[data-testid="style.panel"]').count(), 'style panel').toBe(0)

    // A stray keyboard shortcut and drag change nothing.
    await page.mouse.click(200, 200)
    await page.keyboard.press('r')
    await page.mouse.move(150, 150)
    await page.mouse.down()
    await page.mouse.move(300, 280, { steps: 5 })
    await page.mouse.up()
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    expect(await geoShapes(page)).toEqual([drawn])
    // Had the display sent anything, it would reach the participant before this round trip ends.
    const later = await drawRectangle(participant.page, { x: 700, y: 300 }, { x: 800, y: 380 })
    await waitForGeoShape(page, (shape) => shape.id === later.id, { message: 'the second rectangle on the display' })
    expect(await geoShapes(participant.page)).toEqual([drawn, later])
  })
})
