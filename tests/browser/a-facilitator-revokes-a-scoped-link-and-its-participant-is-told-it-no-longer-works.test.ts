/**
 * Revoking in the UI: the facilitator opens the "Wall display" control, finds the
 * participant link in "Links handed out" (kind, role, layer, time; never the token), revokes
 * it after confirming, and the participant who was drawing with it sees at once that the
 * link is no longer valid, and stays out on reload. Another participant link keeps working.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateLinkResponse } from '../../shared/api.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { launchBrowser, openAs, waitForConnectionState } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'

describe('revoking a link in the UI', () => {
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

  async function scopedLink() {
    const made = await api<CreateLinkResponse>(env.server.url, routePath(ROUTES.links, { boardId: env.board.id }), {
      token: env.board.tokens.facilitator,
      json: { role: 'participant', layerId: ROOT_LAYER_ID },
    })
    expect(made.status).toBe(201)
    return made.body
  }

  it('closes the participant out with "this link is no longer valid", and only that link', async () => {
    const revoked = await scopedLink()
    const kept = await scopedLink()
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    const piet = await openAs(browser, revoked.link, 'Piet')
    const anna = await openAs(browser, kept.link, 'Anna')

    await sanne.page.locator('[data-testid="facilitator-panel-open"]').click()
    await sanne.page.locator('[data-testid="display-controls-open"]').click()
    await sanne.page.locator('[data-testid="links-open"]').click()
    const row = sanne.page.locator(`[data-testid="links-row"][data-link-id="${revoked.id}"]`)
    await row.waitFor({ timeout: 5_000 })
    expect(await sanne.page.locator('[data-testid="links-row"]').count()).toBe(2)
    expect(await row.getAttribute('data-kind')).toBe('scoped')
    expect(await sanne.page.locator('[data-testid="links-panel"]').textContent()).not.toContain(
      tokenFromLink(revoked.link),
    )

    await row.locator('[data-testid="links-revoke"]').click()
    await row.locator('[data-testid="links-confirm"]').click()
    await row.waitFor({ state: 'detached', timeout: 5_000 })

    // Piet is told, at once, and the editor is no longer connected.
    await waitForConnectionState(piet.page, 'denied', 10_000)
    const denied = piet.page.locator('[data-testid="access-denied"]')
    await denied.waitFor({ timeout: 5_000 })
    expect(await denied.textContent()).toMatch(/no longer valid|niet \(meer\) geldig/)

    // A reload does not let him back in; Anna's link still works.
    await piet.page.reload()
    await piet.page.waitForSelector('text=/no longer valid|niet \\(meer\\) geldig/', { timeout: 10_000 })
    await waitForConnectionState(anna.page, 'connected', 5_000)
    expect(await sanne.page.locator('[data-testid="links-row"]').count()).toBe(1)

    await piet.close()
    await anna.close()
    await sanne.close()
  })
})
