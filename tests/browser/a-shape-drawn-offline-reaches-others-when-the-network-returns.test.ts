/**
 * The Wi-Fi drops: A's browser goes offline, A keeps drawing, and once the network
 * returns everything A drew reaches B — nothing drawn offline is lost. A draws once right
 * after the drop, before anything could notice it (the socket still looks open [1]), and
 * once after the client shows it is offline.
 *
 * [1] Chromium's offline emulation, like a real dropped Wi-Fi, does not close an open
 *     WebSocket; the client only learns of it when y-websocket's 30 s silence timeout
 *     fires. So the offline state takes about half a minute to show here.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  drawRectangle,
  geoShapes,
  launchBrowser,
  openAs,
  type Person,
  waitForConnectionState,
  waitForGeoShape,
} from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'

describe('a shape drawn offline', () => {
  let browser: Browser
  let env: BoardServer
  let a: Person
  let b: Person

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
    a = await openAs(browser, env.board.links.participant, 'Anna')
    b = await openAs(browser, env.board.links.participant, 'Bram')
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('reaches the others when the network returns', async () => {
    await a.context.setOffline(true)
    const unnoticed = await drawRectangle(a.page, { x: 700, y: 200 }, { x: 830, y: 300 })

    // The client must notice, or the next rectangle would go over a socket that still works.
    await waitForConnectionState(a.page, 'offline', 45_000)
    const offline = await drawRectangle(a.page, { x: 450, y: 250 }, { x: 660, y: 400 })
    expect((await geoShapes(b.page)).map((shape) => shape.id)).not.toContain(offline.id)

    await a.context.setOffline(false)
    await waitForConnectionState(a.page, 'connected', 45_000)
    for (const drawn of [unnoticed, offline]) {
      const inB = await waitForGeoShape(b.page, (shape) => shape.id === drawn.id, {
        timeoutMs: 10_000,
        message: `${drawn.id} in B after A came back online`,
      })
      expect(inB).toEqual(drawn)
    }
    expect(await geoShapes(b.page)).toHaveLength(2)
  })
})
