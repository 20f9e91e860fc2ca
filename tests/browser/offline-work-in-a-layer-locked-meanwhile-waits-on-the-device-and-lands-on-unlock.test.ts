/**
 * Anna's sync socket drops (a Wi-Fi that half came back). She keeps drawing: one rectangle
 * in Team West, one in Team Oost. Meanwhile Fien, the facilitator, locks Team Oost. When
 * Anna's socket gets through again, the server refuses her offline work (a shape in a locked
 * layer, 4403, naming it), and her page starts again from the server's copy — yet nothing
 * is lost (issue "The gate": honest users are never punished):
 * - the Team West rectangle reaches Fien at once;
 * - the Team Oost one waits on Anna's device, and a banner says so and where;
 * - once Fien unlocks Team Oost, it reaches Fien too, and the banner goes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LayerListResponse } from '../../shared/api.ts'
import { api } from '../helpers/api.ts'
import { drawRectangle, geoShapes, waitForConnectionState, waitForGeoShape } from '../helpers/browser.ts'
import { addLayerWithPanel, rowSelector, setActiveLayer, waitForLayerNamed } from '../helpers/layers-browser.ts'
import { type OfflineScene, startOfflineScene } from '../helpers/sync-line.ts'
import { waitFor } from '../helpers/wait.ts'

describe('offline work in a layer locked meanwhile', () => {
  let scene: OfflineScene

  beforeAll(async () => {
    scene = await startOfflineScene()
  })

  afterAll(async () => {
    await scene?.stop()
  })

  /** Whether the server has Team Oost locked. */
  async function serverLock(layerId: string): Promise<boolean | undefined> {
    const { env } = scene
    const response = await api<LayerListResponse>(env.server.url, `/api/boards/${env.board.id}/layers`, {
      token: env.board.tokens.facilitator,
    })
    return response.body.layers.find((layer) => layer.id === layerId)?.locked
  }

  async function toggleLock(layerId: string, locked: boolean): Promise<void> {
    const fien = scene.facilitator
    const lock = fien.page.locator('[data-testid="layer-lock"]')
    if ((await lock.count()) === 0)
      await fien.page.locator(`${rowSelector(layerId)} [data-testid="layer-menu"]`).click()
    await lock.click()
    await waitFor(async () => (await serverLock(layerId)) === locked, {
      timeoutMs: 10_000,
      message: `the server to have the layer ${locked ? 'locked' : 'unlocked'}`,
    })
  }

  it('sends what it may at once, keeps the rest on the device, and sends that on unlock', async () => {
    const { env, facilitator: fien, participant: anna, line } = scene
    const west = await addLayerWithPanel(fien.page, null, 'Team West', env)
    const oost = await addLayerWithPanel(fien.page, null, 'Team Oost', env)
    await waitForLayerNamed(anna.page, 'Team Oost')

    await line.cut()
    await waitForConnectionState(anna.page, 'offline', 15_000)
    await setActiveLayer(anna.page, west)
    const inWest = await drawRectangle(anna.page, { x: 420, y: 260 }, { x: 600, y: 380 })
    await setActiveLayer(anna.page, oost)
    const inOost = await drawRectangle(anna.page, { x: 680, y: 260 }, { x: 860, y: 380 })
    await toggleLock(oost, true)

    line.restore()
    // The refusal, the reload, and the West rectangle written again by the new page.
    const westAtFien = await waitForGeoShape(fien.page, (shape) => shape.id === inWest.id, {
      timeoutMs: 45_000,
      message: "Anna's Team West rectangle at Fien's",
    })
    expect(westAtFien).toEqual(inWest)
    const banner = anna.page.locator('[data-testid="kept-work"]')
    await banner.waitFor({ timeout: 15_000 })
    expect(await banner.getAttribute('data-parked')).toBe('1')
    expect(await banner.textContent()).toContain('Team Oost')
    await waitForConnectionState(anna.page, 'connected', 15_000)
    expect((await geoShapes(fien.page)).map((shape) => shape.id)).not.toContain(inOost.id)
    expect(await anna.page.locator('[data-testid="change-rejected-again"]').count()).toBe(0)

    // Unlocked: what waited reaches Fien, and Anna's banner goes.
    await toggleLock(oost, false)
    const oostAtFien = await waitForGeoShape(fien.page, (shape) => shape.id === inOost.id, {
      timeoutMs: 15_000,
      message: "Anna's Team Oost rectangle at Fien's after the unlock",
    })
    expect(oostAtFien).toEqual(inOost)
    await banner.waitFor({ state: 'detached', timeout: 10_000 })
    expect((await geoShapes(anna.page)).map((shape) => shape.id).sort()).toEqual([inOost.id, inWest.id].sort())
    expect(anna.errors).toEqual([])
  })
})
