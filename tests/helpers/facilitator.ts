/**
 * The facilitator's tools in browser tests: open the panel on a tab, read a page's timer
 * and camera, and make shapes through the page's editor.
 */
import type { Page } from 'playwright-core'
import type { StoredRecord } from '../../shared/doc.ts'
import type { StipWindow } from './browser.ts'
import { shapeRecord } from './records.ts'

export type PanelTab = 'timer' | 'everyone' | 'spotlight' | 'voting'

/** Opens the facilitator's panel (if closed) on `tab`. */
export async function openPanel(page: Page, tab: PanelTab): Promise<void> {
  if (!(await page.locator('[data-testid="facilitator-panel"]').isVisible())) {
    await page.locator('[data-testid="facilitator-panel-open"]').click()
  }
  await page.locator(`[data-testid="facilitator-tab-${tab}"]`).click()
}

/** The remaining seconds the page's timer shows, or null without a timer. */
export async function shownSeconds(page: Page): Promise<number | null> {
  const value = await page
    .locator('[data-testid="timer"]')
    .getAttribute('data-remaining', { timeout: 1_000 })
    .catch(() => null)
  return value === null ? null : Number(value)
}

/** The page point at the centre of the page's view. */
export function viewCentre(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const { center } = (window as unknown as StipWindow).__stipEditor.getViewportPageBounds()
    return { x: center.x, y: center.y }
  })
}

/** Puts the page's camera so that its view is centred on page point (x, y) at zoom 1. */
export async function lookAt(page: Page, x: number, y: number): Promise<void> {
  await page.evaluate(
    ({ x, y }) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      const { w, h } = editor.getViewportScreenBounds()
      editor.setCamera({ x: w / 2 - x, y: h / 2 - y, z: 1 })
    },
    { x, y },
  )
}

/** How many shapes the page's editor holds. */
export function shapeCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as StipWindow).__stipEditor.getCurrentPageShapes().length)
}

/** A milestone shape record (valid for the full schema) titled `title` at (x, y). */
export function milestoneRecord(id: string, title: string, x: number, y: number): StoredRecord {
  return {
    ...shapeRecord(id),
    type: 'milestone',
    x,
    y,
    props: {
      w: 220,
      h: 120,
      title,
      description: '',
      owner: '',
      start: '2026-01-05',
      end: '2026-01-18',
      status: 'planned',
      doneAt: null,
    },
  }
}
