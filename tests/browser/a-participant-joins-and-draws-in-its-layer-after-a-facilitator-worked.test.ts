/**
 * A facilitator prepares the board (adds a department layer in the panel); then a
 * participant opens the link scoped to that department. The participant's client must
 * stay connected and draw into its layer: nothing it writes on its own (presence, user
 * records…) may be something the server refuses it.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateLinkResponse } from '../../shared/api.ts'
import { api } from '../helpers/api.ts'
import { drawRectangle, launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { addLayerWithPanel, rowSelector, shapeLayerId, waitForRendered } from '../helpers/layers-browser.ts'

describe('a participant on a board a facilitator prepared', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person

  beforeAll(async () => {
    env = await startBoardServer('Gemeente Voorbeeld')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna')
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('stays connected and draws in the layer its link is scoped to', async () => {
    await anna.page.waitForSelector('[data-testid="layer-panel"]', { timeout: 10_000 })
    const sociaal = await addLayerWithPanel(anna.page, null, 'Sociaal domein', env)
    const link = await api<CreateLinkResponse>(env.server.url, `/api/boards/${env.board.id}/links`, {
      token: env.board.tokens.facilitator,
      json: { role: 'participant', layerId: sociaal },
    })
    expect(link.status).toBe(201)

    const bram = await openAs(browser, link.body.link, 'Bram')
    await bram.page.waitForSelector(`${rowSelector(sociaal)}[data-active="true"]`, { timeout: 10_000 })
    const drawn = await drawRectangle(bram.page, { x: 700, y: 560 }, { x: 820, y: 640 })
    expect(await shapeLayerId(bram.page, drawn.id)).toBe(sociaal)
    await waitForRendered(anna.page, { shown: [drawn.id], hidden: [] }, { message: 'Anna to see Bram’s rectangle' })
    expect(await bram.page.locator('[data-testid="connection-status"]').getAttribute('data-state')).toBe('connected')
  })
})
