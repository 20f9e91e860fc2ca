/**
 * Sanne looks at one part of the board, Anne at another, far away. "Bring everyone to me"
 * moves Anne's view to Sanne's, once: afterwards Anne may look elsewhere again and stays
 * there. "Follow me" then keeps Anne with Sanne as she moves, until Anne presses Esc.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { lookAt, openPanel, viewCentre } from '../helpers/facilitator.ts'
import { delay, waitFor } from '../helpers/wait.ts'

const near = (a: { x: number; y: number }, b: { x: number; y: number }, within = 60) =>
  Math.abs(a.x - b.x) < within && Math.abs(a.y - b.y) < within

describe('bring everyone to me and follow me', () => {
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

  it('moves a participant’s view to the facilitator’s once, then follows her until Esc', async () => {
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    const anne = await openAs(browser, env.board.links.participant, 'Anne')
    people.push(sanne, anne)
    await lookAt(sanne.page, 3000, 2000)
    await lookAt(anne.page, -4000, -1000)
    // Anne's browser knows where Sanne looks (her presence) before she is brought there.
    await anne.page.waitForFunction(
      () =>
        (window as unknown as { __stipEditor: { getCollaborators(): { camera?: { x: number } }[] } }).__stipEditor
          .getCollaborators()
          .some((c) => c.camera && Math.abs(c.camera.x + 3000 - 640) < 50),
      undefined,
      { timeout: 10_000 },
    )

    await openPanel(sanne.page, 'everyone')
    await sanne.page.locator('[data-testid="bring-everyone"]').click()
    const target = await viewCentre(sanne.page)
    await waitFor(async () => near(await viewCentre(anne.page), target), {
      timeoutMs: 5_000,
      message: 'Anne’s view to reach Sanne’s',
    })

    // Once: Anne looks elsewhere, and Sanne moving does not take her along.
    await lookAt(anne.page, -4000, -1000)
    await lookAt(sanne.page, 5000, 5000)
    await delay(500)
    expect(near(await viewCentre(anne.page), { x: -4000, y: -1000 })).toBe(true)

    // Follow me: Anne goes with Sanne as she moves.
    await sanne.page.locator('[data-testid="follow-me"]').click()
    await waitFor(async () => near(await viewCentre(anne.page), await viewCentre(sanne.page), 120), {
      timeoutMs: 5_000,
      message: 'Anne to follow Sanne',
    })
    await anne.page.waitForSelector('[data-testid="follow-banner"]', { timeout: 5_000 })
    await lookAt(sanne.page, -2000, 4000)
    await waitFor(async () => near(await viewCentre(anne.page), { x: -2000, y: 4000 }, 120), {
      timeoutMs: 5_000,
      message: 'Anne to follow Sanne’s next move',
    })

    // Esc: Anne looks around herself again.
    await anne.page.locator('.tl-canvas').click({ position: { x: 600, y: 400 } })
    await anne.page.keyboard.press('Escape')
    await anne.page.waitForSelector('[data-testid="follow-banner"]', { state: 'detached', timeout: 5_000 })
    await lookAt(sanne.page, 8000, 8000)
    await delay(500)
    expect(near(await viewCentre(anne.page), { x: 8000, y: 8000 }, 1000)).toBe(false)
  })
})
