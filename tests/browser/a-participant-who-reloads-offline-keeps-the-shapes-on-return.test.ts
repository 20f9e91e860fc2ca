/**
 * A participant loses the network, draws, reloads the page while still cut off from the
 * board, and on return the facilitator gets every shape drawn offline: the server takes
 * offline work that arrives from a new page (a new Y.Doc, a new Yjs client id) under the
 * client id of the page that drew it, because it comes from the same browser (issue "The
 * gate", rule 1: ownership survives reloads).
 *
 * What "reloads offline" can mean for Stip: nothing caches the app shell (no service
 * worker; index.html is revalidated), so with the network fully gone a reload only shows
 * the browser's error page, which the test checks. What survives is the board in the
 * browser's IndexedDB. So the participant reloads (opens the link again) as soon as pages
 * load again but while the board's sync socket still cannot get through — a Wi-Fi that half
 * came back, a captive portal, a proxy that drops WebSockets. The page then loads the board
 * from the local copy alone, with the offline shapes, and sends them when the socket
 * connects. Only the participant's sync sockets are cut (Playwright routes them); the
 * facilitator's browser stays online throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  drawRectangle,
  type GeoShape,
  geoShapes,
  joinBoard,
  waitForConnectionState,
  waitForGeoShape,
} from '../helpers/browser.ts'
import { type OfflineScene, startOfflineScene } from '../helpers/sync-line.ts'

describe('a participant who reloads offline', () => {
  let scene: OfflineScene

  beforeAll(async () => {
    scene = await startOfflineScene()
  })

  afterAll(async () => {
    await scene?.stop()
  })

  it('keeps the shapes drawn offline, and the facilitator gets them on return', async () => {
    const { env, facilitator, participant, line } = scene
    const { page } = participant
    await line.cut()
    await waitForConnectionState(page, 'offline', 15_000)
    const drawn: GeoShape[] = [
      await drawRectangle(page, { x: 450, y: 250 }, { x: 660, y: 400 }),
      await drawRectangle(page, { x: 700, y: 200 }, { x: 830, y: 300 }),
    ]
    expect((await geoShapes(facilitator.page)).map((shape) => shape.id)).not.toContain(drawn[0].id)

    // With no network at all, nothing can reload the app: the browser shows its error page.
    await participant.context.setOffline(true)
    await expect(page.reload()).rejects.toThrow(/ERR_INTERNET_DISCONNECTED/)
    await participant.context.setOffline(false)

    // Pages load again, the board's socket still cannot get through: the board comes from
    // the browser's local copy alone.
    await page.goto(env.board.links.participant)
    await joinBoard(page, 'Anna', { waitConnected: false })
    for (const shape of drawn) {
      const reloaded = await waitForGeoShape(page, (s) => s.id === shape.id, {
        message: `${shape.id} in Anna's page after the offline reload`,
      })
      expect(reloaded).toEqual(shape)
    }
    expect((await geoShapes(facilitator.page)).map((shape) => shape.id)).not.toContain(drawn[0].id)

    // The socket gets through again: the new page sends what the old one drew.
    line.restore()
    await waitForConnectionState(page, 'connected', 45_000)
    for (const shape of drawn) {
      const inFacilitator = await waitForGeoShape(facilitator.page, (s) => s.id === shape.id, {
        timeoutMs: 15_000,
        message: `${shape.id} in the facilitator's page after Anna came back`,
      })
      expect(inFacilitator).toEqual(shape)
    }
    expect(await geoShapes(facilitator.page)).toHaveLength(drawn.length)
    // Anna was never told her work was refused, and still has it.
    await waitForConnectionState(page, 'connected', 5_000)
    expect((await geoShapes(page)).map((shape) => shape.id).sort()).toEqual(drawn.map((shape) => shape.id).sort())
  })
})
