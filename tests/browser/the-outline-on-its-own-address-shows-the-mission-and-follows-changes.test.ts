/**
 * The board's outline address (`/b/<board>/outline#token=…`) is a page of its own: a
 * participant who opens it gets the mission as text, with no canvas to see or reach, and
 * it is a live client — when the facilitator rewrites the mission and draws a strategy
 * text, the page follows without a reload.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outlinePath } from '../../shared/board.ts'
import { tokenFromLink } from '../helpers/api.ts'
import { launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { setMission } from '../helpers/outline.ts'

describe('the outline page', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna', { context: { locale: 'nl-NL' } })
    await setMission(anna.page, 'Samen dienstverlening digitaal maken', 'Voorbeeld Digitaal 2030')
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('shows the mission on its own address, and follows the facilitator live', async () => {
    const link = `${env.server.url}${outlinePath(env.board.id)}#token=${tokenFromLink(env.board.links.participant)}`
    const cees = await openAs(browser, link, 'Cees', { context: { locale: 'nl-NL' } })
    const { page } = cees
    const outline = page.locator('[data-testid="outline-page"]')
    await outline.waitFor({ state: 'visible', timeout: 10_000 })
    expect(await outline.locator('h1').textContent()).toBe('Voorbeeld Digitaal 2030')
    const mission = outline.locator('[data-testid="outline-mission"]')
    await expect
      .poll(() => mission.locator('p').allTextContents(), { timeout: 10_000 })
      .toEqual(['Samen dienstverlening digitaal maken', 'Voorbeeld Digitaal 2030'])
    // The page is the outline: the canvas is there for the live store, but hidden and unreachable.
    expect(await page.locator('.stip-canvas').getAttribute('inert')).not.toBeNull()
    expect(await page.locator('[data-testid="layer-panel"]').count()).toBe(0)
    expect(new URL(page.url()).pathname).toBe(outlinePath(env.board.id))

    await setMission(anna.page, 'Iedereen regelt het digitaal', 'Voorbeeld Digitaal 2030')
    await anna.page.evaluate(() => {
      const editor = (window as unknown as StipWindow).__stipEditor
      editor.createShapes([
        {
          type: 'text',
          x: -400,
          y: 500,
          props: {
            richText: {
              type: 'doc',
              content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Eerst de loketten' }] }],
            },
          },
        },
      ])
    })
    await expect
      .poll(() => mission.locator('p').first().textContent(), { timeout: 10_000 })
      .toBe('Iedereen regelt het digitaal')
    await expect
      .poll(() => outline.locator('[data-testid="outline-strategy"] li').allTextContents(), { timeout: 10_000 })
      .toEqual(['Eerst de loketten'])
    expect(cees.errors).toEqual([])
  })
})
