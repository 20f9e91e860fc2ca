/**
 * The wall display shows what someone draws, live: a rectangle drawn in a participant's
 * browser appears on the display within a second (measured from the moment it exists in
 * the participant's store to the moment it exists in the display's, both by the same
 * machine's clock), glows there briefly, and is fitted into view. The display shows the
 * drawing and nothing to edit it with: no toolbar, no status bar or participant list, no
 * selection, no cursors.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawRectangle, launchBrowser, openAs, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink, isInView } from '../helpers/display.ts'
import { waitFor } from '../helpers/wait.ts'

/** Records, in the page, when each shape first appeared in its store (Date.now()). */
function recordArrivals() {
  const editor = (window as unknown as StipWindow).__stipEditor
  const seen: Record<string, number> = {}
  ;(window as unknown as { __arrivals: Record<string, number> }).__arrivals = seen
  editor.store.listen(
    ({ changes }: { changes: { added: Record<string, { id: string; typeName: string }> } }) => {
      for (const record of Object.values(changes.added)) if (record.typeName === 'shape') seen[record.id] ??= Date.now()
    },
    { scope: 'document' },
  )
}

describe('the wall display', () => {
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

  it('shows a shape drawn in another browser within a second, and no editing tools', async () => {
    const display = await openAs(browser, displayLink(env.board.links.display), 'Wandscherm')
    const participant = await openAs(browser, env.board.links.participant, 'Anna')
    await display.page.evaluate(recordArrivals)
    await participant.page.evaluate(recordArrivals)

    const drawn = await drawRectangle(participant.page, { x: 300, y: 420 }, { x: 560, y: 600 })
    const arrivals = async () => {
      const read = (page: typeof display.page) =>
        page.evaluate((id) => (window as unknown as { __arrivals: Record<string, number> }).__arrivals[id], drawn.id)
      const [created, shown] = [await read(participant.page), await read(display.page)]
      return created && shown ? { created, shown } : null
    }
    const { created, shown } = await waitFor(arrivals, { timeoutMs: 10_000, message: 'the shape on the display' })
    const latencyMs = shown - created
    console.log(`[display] a participant's rectangle reached the display in ${latencyMs} ms`)
    expect(latencyMs).toBeLessThan(3_000)

    // Rendered, glowing for a moment, and — once the camera has settled — in view.
    await display.page.waitForSelector(`.tl-shape[data-shape-id="${drawn.id}"]`, { state: 'attached', timeout: 5_000 })
    await display.page.waitForSelector('[data-testid="display-highlights"] .stip-display__glow', {
      state: 'attached',
      timeout: 3_000,
    })
    await waitFor(() => isInView(display.page, drawn.id), { timeoutMs: 5_000, message: 'the shape in view' })

    // The header names the board; there is nothing to edit with.
    const { page } = display
    expect(await page.locator('[data-testid="display-header"]').textContent()).toContain('Voorbeeld Digitaal 2030')
    expect(await page.locator('[data-testid="display-view"]').getAttribute('data-mode')).toBe('overview')
    expect(await page.locator('[data-testid^="tools."]').count(), 'tool buttons').toBe(0)
    expect(await page.locator('.tlui-toolbar, .tlui-main-toolbar, .tlui-menu-zone').count(), 'tldraw UI').toBe(0)
    expect(await page.locator('.stip-bar, .stip-participants').count(), 'status bar, participant list').toBe(0)
    expect(await page.locator('[data-testid="connection-status"]').isVisible(), 'no badge while connected').toBe(false)
    expect(
      await page.evaluate(() => (window as unknown as StipWindow).__stipEditor.getInstanceState().isReadonly),
    ).toBe(true)
    // A click on the shape selects nothing.
    const box = await page.locator(`.tl-shape[data-shape-id="${drawn.id}"]`).boundingBox()
    if (box) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    expect(await page.evaluate(() => (window as unknown as StipWindow).__stipEditor.getSelectedShapeIds().length)).toBe(
      0,
    )
    // The participant's cursor is not shown (no `cursors=1`).
    await participant.page.mouse.move(700, 300)
    await participant.page.mouse.move(720, 320, { steps: 3 })
    await page.waitForTimeout(500)
    expect(
      await page
        .locator('.tl-collaborator__cursor')
        .evaluateAll((cursors) => cursors.filter((cursor) => (cursor as HTMLElement).offsetParent !== null).length),
    ).toBe(0)

    await participant.close()
    await display.close()
  })
})
