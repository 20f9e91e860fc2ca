/**
 * A change the server refuses for good (here a record over `STIP_MAX_RECORD_BYTES`, close
 * 4414 RecordTooLarge) is in the browser's document and its IndexedDB copy. Reconnecting
 * would send it again, forever. So the client drops it: it throws the local copy away,
 * reloads the board as the server has it, and tells the person why. What the person drew
 * before, which the server took, is still there.
 *
 * The page writes the record straight into its Y.Doc: the Stip UI itself checks the same
 * limits and never sends such a change, which is the point of the refusal being rare.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { drawRectangle, launchBrowser, openAs, type StipWindow, waitForConnectionState } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { waitForServerShapes } from '../helpers/server-state.ts'

const HUGE = 'shape:far-too-large'

describe('a change the server can never take', () => {
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

  it('is undone with a notice that says why, and not sent again', async () => {
    const anna = await openAs(browser, env.board.links.participant, 'Anna')
    const drawn = await drawRectangle(anna.page, { x: 300, y: 250 }, { x: 520, y: 390 })
    await waitForServerShapes(env, 2) // the north star and the rectangle

    await anna.page.evaluate(
      ({ id, from }) => {
        const doc = (window as unknown as StipWindow).__stipDoc
        const records = doc.getMap('records')
        const copy = JSON.parse(records.get(from))
        records.set(id, JSON.stringify({ ...copy, id, meta: { ...copy.meta, note: 'x'.repeat(1_200_000) } }))
      },
      { id: HUGE, from: drawn.id },
    )

    // The reload after the drop shows the notice; the page is then connected again.
    await anna.page.waitForSelector('[data-testid="change-rejected"][data-message="rejected.tooLarge"]', {
      timeout: 30_000,
    })
    await waitForConnectionState(anna.page, 'connected')
    const held = await anna.page.evaluate(
      ({ huge, kept }) => {
        const records = (window as unknown as StipWindow).__stipDoc.getMap('records')
        return { huge: records.has(huge), kept: records.has(kept) }
      },
      { huge: HUGE, kept: drawn.id },
    )
    expect(held).toEqual({ huge: false, kept: true })
    await waitForServerShapes(env, 2) // still those two: the large one never landed
    expect(await anna.page.locator('[data-testid="change-rejected-again"]').count()).toBe(0)
  })
})
