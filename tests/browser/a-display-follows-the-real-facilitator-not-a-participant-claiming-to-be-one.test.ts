/**
 * The wall display's follow mode follows whom the server says is a facilitator. Piet, a
 * participant, makes his page send a crafted presence that claims everything a facilitator's
 * has (`user.role`, the server's own `stip` field, the freshest activity, a viewport far
 * away) from a socket of its own, before and while the display is switched to follow. The
 * display follows Sanne, the real facilitator, all along, and goes on following her moves.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYNC_PATH_PREFIX } from '../../shared/protocol.ts'
import { TOKEN_PARAM } from '../../shared/routes.ts'
import { launchBrowser, openAs, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { camera, captionText, displayLink } from '../helpers/display.ts'
import { type CraftedEntry, craftedAwarenessFrame } from '../helpers/presence.ts'
import { delay, waitFor } from '../helpers/wait.ts'

/** The fake facilitator's viewport: far from anything Sanne looks at. */
const FAKE = { x: 40_000, y: 40_000 }

/** Crafted frames claiming to be the facilitator "Mallory", one per clock, fresher each time. */
function claimFrames(count: number): number[][] {
  const frames: number[][] = []
  for (let clock = 1; clock <= count; clock++) {
    const entry: CraftedEntry = {
      id: 31337,
      clock,
      state: {
        user: { id: 'browser-mallory', name: 'Mallory', color: '#ff0000', role: 'facilitator' },
        stip: { role: 'facilitator', layerId: null },
        presence: {
          camera: { x: -FAKE.x, y: -FAKE.y, z: 1 },
          screenBounds: { x: 0, y: 0, w: 1280, h: 800 },
          lastActivityTimestamp: Date.now() + 1e9 + clock,
        },
      },
    }
    frames.push([...craftedAwarenessFrame([entry])])
  }
  return frames
}

/** Piet's page opens a socket of its own and sends `frames`, one every 100 ms. */
async function sendFromPage(page: Page, boardId: string, token: string, frames: number[][]): Promise<void> {
  await page.evaluate(
    ({ path, frames }) =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`)
        socket.binaryType = 'arraybuffer'
        socket.onerror = () => reject(new Error('the crafted socket failed'))
        socket.onopen = () => {
          let next = 0
          const timer = setInterval(() => {
            if (next >= frames.length || socket.readyState !== WebSocket.OPEN) {
              clearInterval(timer)
              return
            }
            socket.send(new Uint8Array(frames[next++]))
          }, 100)
          resolve()
        }
      }),
    { path: `${SYNC_PATH_PREFIX}${boardId}?${TOKEN_PARAM}=${encodeURIComponent(token)}`, frames },
  )
}

/** The page point the display's viewport is centred on. */
async function displayCentre(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const { center } = (window as unknown as StipWindow).__stipEditor.getViewportPageBounds()
    return { x: center.x, y: center.y }
  })
}

describe('the wall display in follow mode', () => {
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

  it('follows the real facilitator while a participant claims to be one', async () => {
    const display = await openAs(browser, displayLink(env.board.links.display), 'Wandscherm')
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    const piet = await openAs(browser, env.board.links.participant, 'Piet')

    // Mallory's claim is on the board before the display starts following, and goes on.
    await sendFromPage(piet.page, env.board.id, env.board.tokens.participant, claimFrames(60))
    await sanne.page.evaluate(() => {
      ;(window as unknown as StipWindow).__stipEditor.setCamera({ x: 0, y: 0, z: 1 })
    })
    await sanne.page.locator('[data-testid="facilitator-panel-open"]').click()
    await sanne.page.locator('[data-testid="display-controls-open"]').click()
    await sanne.page.locator('[data-testid="display-controls-mode"]').selectOption('follow')
    await display.page.waitForSelector('[data-testid="display-view"][data-mode="follow"]', { timeout: 3_000 })
    await display.page.waitForSelector('[data-testid="display-caption"]:has-text("Sanne")', { timeout: 5_000 })

    // For the length of the claim, the display shows Sanne's view and names her.
    for (let i = 0; i < 20; i++) {
      expect(await captionText(display.page)).toContain('Sanne')
      const centre = await displayCentre(display.page)
      expect(Math.abs(centre.x - FAKE.x) + Math.abs(centre.y - FAKE.y)).toBeGreaterThan(10_000)
      await delay(250)
    }

    // And it still follows her: she looks elsewhere, the display goes with her.
    const before = await camera(display.page)
    await sanne.page.evaluate(() => {
      ;(window as unknown as StipWindow).__stipEditor.setCamera({ x: -3000, y: -2000, z: 1 })
    })
    await waitFor(
      async () => {
        const centre = await displayCentre(display.page)
        return Math.abs(centre.x - 3000 - 640) < 800 && Math.abs(centre.y - 2000 - 400) < 800
      },
      { timeoutMs: 5_000, message: "the display to follow Sanne's new view" },
    )
    expect(await camera(display.page)).not.toEqual(before)
    expect(await captionText(display.page)).toContain('Sanne')

    await piet.close()
    await sanne.close()
    await display.close()
  })
})
