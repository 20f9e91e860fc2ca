/**
 * Sanne points with tldraw's laser: its trail reaches the wall display (presence, with the
 * display's cursors hidden as always). Anne sends 🎉: it floats up on Sanne's screen and on
 * the display, then fades. Neither is stored: the board's stored document is unchanged.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink } from '../helpers/display.ts'

describe('laser and reactions', () => {
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

  it('shows Sanne’s laser and Anne’s reaction on the display, and stores neither', async () => {
    const display = await openAs(browser, displayLink(env.board.links.display), 'Wandscherm')
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    const anne = await openAs(browser, env.board.links.participant, 'Anne')
    people.push(display, sanne, anne)
    const stored = env.server.server.store.loadDocument(env.board.id)
    const storedBytes = stored.updates.reduce((sum, update) => sum + update.length, stored.snapshot?.length ?? 0)

    await sanne.page.evaluate(() => {
      ;(window as unknown as StipWindow).__stipEditor.setCurrentTool('laser')
    })
    const laserSeen = display.page.waitForFunction(
      () =>
        (window as unknown as { __stipEditor: { getCollaborators(): { scribbles: unknown[] }[] } }).__stipEditor
          .getCollaborators()
          .some((presence) => presence.scribbles.length > 0),
      undefined,
      { timeout: 10_000, polling: 20 },
    )
    await sanne.page.mouse.move(400, 300)
    await sanne.page.mouse.down()
    for (let i = 1; i <= 30; i++) await sanne.page.mouse.move(400 + i * 10, 300 + (i % 5) * 8)
    await laserSeen
    await sanne.page.mouse.up()

    const pages = [sanne.page, display.page]
    const shown = pages.map((page) =>
      page.waitForSelector('[data-testid="floating-reaction"][data-reaction="🎉"]', { timeout: 5_000 }),
    )
    await anne.page.locator('[data-testid="reaction-party"]').click()
    await Promise.all(shown)
    await Promise.all(
      pages.map((page) =>
        page.waitForSelector('[data-testid="floating-reaction"]', { state: 'detached', timeout: 8_000 }),
      ),
    )

    const after = env.server.server.store.loadDocument(env.board.id)
    expect(after.updates.reduce((sum, update) => sum + update.length, after.snapshot?.length ?? 0)).toBe(storedBytes)
  })
})
