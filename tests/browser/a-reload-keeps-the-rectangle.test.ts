/**
 * A rectangle survives a reload of the page that drew it, and a person who opens the board
 * later in a fresh browser (no local copy in IndexedDB) gets it from the server.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BoardInfo } from '../../shared/api.ts'
import { api } from '../helpers/api.ts'
import { drawRectangle, joinBoard, launchBrowser, openAs, waitForGeoShape } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a reload', () => {
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

  it('keeps the rectangle, in the same browser and in a fresh one', async () => {
    const a = await openAs(browser, env.board.links.participant, 'Anna')
    const drawn = await drawRectangle(a.page, { x: 300, y: 250 }, { x: 520, y: 390 })

    // Reload only once the server holds it, as a person would seconds later.
    await waitFor(
      async () => {
        const info = await api<BoardInfo>(env.server.url, `/api/boards/${env.board.id}`, {
          token: env.board.tokens.facilitator,
        })
        return info.status === 200 && info.body.counts.shapes === 2 // the north star and the rectangle
      },
      { timeoutMs: 10_000, message: 'the server to hold the rectangle' },
    )

    await a.page.reload()
    await joinBoard(a.page, a.name)
    const afterReload = await waitForGeoShape(a.page, (shape) => shape.id === drawn.id, {
      message: `${drawn.id} in A after the reload`,
    })
    expect(afterReload).toEqual(drawn)

    const c = await openAs(browser, env.board.links.participant, 'Cees')
    const inC = await waitForGeoShape(c.page, (shape) => shape.id === drawn.id, {
      message: `${drawn.id} in a fresh browser`,
    })
    expect(inC).toEqual(drawn)
  })
})
