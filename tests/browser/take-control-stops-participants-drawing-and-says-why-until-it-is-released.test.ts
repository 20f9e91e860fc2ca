/**
 * Sanne takes control. Anne sees a banner that says why, her editor is read-only and her
 * view goes where Sanne looks: drawing a stroke leaves nothing, on her screen or anyone
 * else's. (That a change made just before control was taken is not lost, but sent after
 * the release, is the integration test `take-control-holds-…`.) Sanne releases control: the banner goes, Anne draws again and everyone sees it.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { lookAt, openPanel, shapeCount, viewCentre } from '../helpers/facilitator.ts'
import { delay, waitFor } from '../helpers/wait.ts'

/** Draws one freehand stroke across the middle of the page's canvas. */
async function drawStroke(page: Page): Promise<void> {
  await page.evaluate(() => {
    ;(window as unknown as StipWindow).__stipEditor.setCurrentTool('draw')
  })
  await page.mouse.move(500, 350)
  await page.mouse.down()
  for (let i = 1; i <= 10; i++) await page.mouse.move(500 + i * 20, 350 + (i % 2) * 30)
  await page.mouse.up()
}

describe('take control', () => {
  let browser: Browser
  let env: BoardServer
  const people: Person[] = []

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    for (const person of people) await person.close()
    await browser?.close()
    await env?.server.stop()
  })

  it('blocks drawing and moving with a banner that says why, and releasing restores it', async () => {
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    const anne = await openAs(browser, env.board.links.participant, 'Anne')
    people.push(sanne, anne)
    const before = await shapeCount(sanne.page)

    await lookAt(sanne.page, 2500, 1500)
    await openPanel(sanne.page, 'everyone')
    await sanne.page.locator('[data-testid="take-control"]').click()
    const banner = anne.page.locator('[data-testid="control-banner"]')
    await banner.waitFor({ timeout: 5_000 })
    expect(await banner.textContent()).toContain('Sanne')
    await anne.page.waitForFunction(
      () => (window as unknown as StipWindow).__stipEditor.getInstanceState().isReadonly,
      undefined,
      { timeout: 5_000 },
    )
    // Her view is Sanne's, and she cannot move it.
    await waitFor(
      async () => {
        const centre = await viewCentre(anne.page)
        return Math.abs(centre.x - 2500) < 100 && Math.abs(centre.y - 1500) < 100
      },
      { timeoutMs: 5_000, message: 'Anne’s view to follow Sanne’s' },
    )
    await anne.page.mouse.move(640, 400)
    await anne.page.mouse.wheel(0, 600)
    await delay(300)
    const held = await viewCentre(anne.page)
    expect(Math.abs(held.x - 2500) < 100 && Math.abs(held.y - 1500) < 100).toBe(true)

    await drawStroke(anne.page)
    await delay(500)
    expect(await shapeCount(anne.page)).toBe(before)
    expect(await shapeCount(sanne.page)).toBe(before)

    await sanne.page.locator('[data-testid="take-control"]').click()
    await banner.waitFor({ state: 'detached', timeout: 5_000 })
    await anne.page.waitForFunction(
      () => !(window as unknown as StipWindow).__stipEditor.getInstanceState().isReadonly,
      undefined,
      { timeout: 5_000 },
    )
    await drawStroke(anne.page)
    await waitFor(async () => (await shapeCount(sanne.page)) === before + 1, {
      timeoutMs: 5_000,
      message: 'Anne’s stroke after the release to reach Sanne',
    })
  })
})
