/**
 * A paste of 2,500 shapes reaches the others whole, and never as one big frame: the
 * client sends its own big change in slices (`shared/slices.ts`, the binding), and what
 * the server lacks after offline work too (its answer to the server's SyncStep1,
 * `client/src/sync/connection.ts`), so that no frame of one person's holds the server up
 * for everyone. Nobody is closed by the gate, and every frame A sends stays within a slice.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHANGE_SLICE_BYTES } from '../../shared/slices.ts'
import { geoShapes, launchBrowser, openAs, type Person, waitForConnectionState } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { waitFor } from '../helpers/wait.ts'

const SHAPES = 2_500
/** A slice's JSON plus the update's own bytes (ids, keys, lengths). */
const MAX_FRAME = CHANGE_SLICE_BYTES + 32 * 1024

/** Records the size of every frame the page sends on any WebSocket it opens from now on. */
function recordFrames(page: Page): number[] {
  const sizes: number[] = []
  page.on('websocket', (socket) => {
    socket.on('framesent', ({ payload }) =>
      sizes.push(typeof payload === 'string' ? payload.length : payload.byteLength),
    )
  })
  return sizes
}

/** Pastes `count` rectangles in one change, as tldraw's paste does. */
async function paste(page: Page, count: number, prefix: string): Promise<void> {
  await page.evaluate(
    ({ count, prefix }) => {
      // biome-ignore lint/suspicious/noExplicitAny: the tldraw Editor the client exposes for tests
      const editor = (window as any).__stipEditor
      editor.createShapes(
        Array.from({ length: count }, (_, i) => ({
          id: `shape:${prefix}${i}`,
          type: 'geo',
          x: (i % 50) * 120,
          y: 2000 + Math.floor(i / 50) * 80,
          props: { w: 100, h: 60 },
        })),
      )
    },
    { count, prefix },
  )
}

async function countIn(page: Page, prefix: string): Promise<number> {
  return (await geoShapes(page)).filter((shape) => shape.id.startsWith(`shape:${prefix}`)).length
}

describe('a big paste', () => {
  let browser: Browser
  let env: BoardServer
  let a: Person
  let b: Person
  let sent: number[]

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
    a = await openAs(browser, env.board.links.participant, 'Anna', {
      beforeOpen: (person) => {
        sent = recordFrames(person.page)
      },
    })
    b = await openAs(browser, env.board.links.participant, 'Bram')
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('made online reaches the others in slices', async () => {
    const before = sent.length
    await paste(a.page, SHAPES, 'online')
    await waitFor(async () => (await countIn(b.page, 'online')) === SHAPES, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: `all ${SHAPES} pasted shapes in B`,
    })
    const frames = sent.slice(before)
    expect(frames.filter((size) => size > 64 * 1024).length).toBeGreaterThan(3)
    expect(Math.max(...frames)).toBeLessThan(MAX_FRAME)
    await waitForConnectionState(a.page, 'connected')
  })

  it('made offline reaches the others in slices when the network returns', async () => {
    await a.context.setOffline(true)
    await waitForConnectionState(a.page, 'offline', 45_000)
    await paste(a.page, SHAPES, 'offline')
    const before = sent.length
    await a.context.setOffline(false)
    await waitForConnectionState(a.page, 'connected', 45_000)
    await waitFor(async () => (await countIn(b.page, 'offline')) === SHAPES, {
      timeoutMs: 60_000,
      intervalMs: 250,
      message: `all ${SHAPES} shapes pasted offline in B`,
    })
    const frames = sent.slice(before)
    expect(frames.filter((size) => size > 64 * 1024).length).toBeGreaterThan(3)
    expect(Math.max(...frames)).toBeLessThan(MAX_FRAME)
    expect(await countIn(b.page, 'online')).toBe(SHAPES)
  })
})
