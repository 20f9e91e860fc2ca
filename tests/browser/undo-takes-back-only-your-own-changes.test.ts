/**
 * Undo is personal: when two people draw, each one's Ctrl+Z takes back their own last
 * shape, never the other person's.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawRectangle, geoShapes, launchBrowser, openAs, waitForGeoShape } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('undo', () => {
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

  it('takes back only your own changes', async () => {
    const anna = await openAs(browser, env.board.links.participant, 'Anna')
    const bram = await openAs(browser, env.board.links.participant, 'Bram')

    const annas = await drawRectangle(anna.page, { x: 450, y: 200 }, { x: 590, y: 300 })
    await waitForGeoShape(bram.page, (shape) => shape.id === annas.id, { message: "Anna's rectangle in Bram's view" })
    // Bram draws after Anna, so his is the board's most recent change.
    const brams = await drawRectangle(bram.page, { x: 600, y: 400 }, { x: 760, y: 520 })
    await waitForGeoShape(anna.page, (shape) => shape.id === brams.id, { message: "Bram's rectangle in Anna's view" })

    await anna.page.keyboard.press('Control+z')

    const ids = async (page: typeof anna.page) => (await geoShapes(page)).map((shape) => shape.id).sort()
    await waitFor(async () => JSON.stringify(await ids(bram.page)) === JSON.stringify([brams.id]), {
      timeoutMs: 10_000,
      message: "Anna's undo to remove her rectangle for Bram too",
    })
    expect(await ids(anna.page)).toEqual([brams.id])
  })
})
