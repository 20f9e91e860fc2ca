/**
 * Scenario 5 (browser): Stip's real built client in Chromium (one context per person).
 * - time to open a board of N shapes until it is interactive: `window.__stipEditor`
 *   exists and has all N shapes, and the browser painted a frame after that (so rendering
 *   counts);
 * - frame times (requestAnimationFrame deltas) while panning;
 * - frame times while a node y-protocols client sends 200 shape updates per second.
 * The shapes are clones of one the page itself created, so they pass tldraw's validation.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { ensureClientBuilt } from '../../server/build.ts'
import type { StoredRecord } from '../../shared/doc.ts'
import { launchBrowser } from '../../tests/helpers/browser.ts'
import { type ServerKind, ServerProcess } from '../lib/servers.ts'
import { now, type Summary, sleep, summarize, waitUntil } from '../lib/stats.ts'
import { SyncClient } from '../lib/sync-client.ts'

export interface BrowserResult {
  server: ServerKind
  shapes: number
  interactiveMs: number
  panFrames: Summary
  remoteFrames: Summary
  remoteUpdatesPerSec: number
}

interface EditorWindow {
  // biome-ignore lint/suspicious/noExplicitAny: the tldraw Editor, used only inside page.evaluate
  __stipEditor?: any
}

/** What `openPage` returns: the page, and with `profile` a stop that writes its CPU profile. */
interface OpenedPage {
  page: Page
  stopProfile: () => Promise<void>
}

/**
 * Opens `link` in a fresh context. With `profile` (a file), the page's main thread is
 * profiled from before the navigation until `stopProfile`.
 */
async function openPage(browser: Browser, link: string, profile?: string): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  // A returning person: the name is known, so no dialog stands between the link and the canvas.
  await context.addInitScript(() => localStorage.setItem('stip:name', 'Bench'))
  const page = await context.newPage()
  const stopProfile = profile ? await startProfile(page, profile) : async () => {}
  await page.goto(link)
  return { page, stopProfile }
}

/** Profiles the page's main thread (Chrome DevTools Protocol) until the returned stop writes it to `file`. */
async function startProfile(page: Page, file: string): Promise<() => Promise<void>> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 500 })
  await cdp.send('Profiler.start')
  return async () => {
    const { profile } = await cdp.send('Profiler.stop')
    fs.writeFileSync(file, JSON.stringify(profile))
    await cdp.detach()
  }
}

async function waitForShapes(page: Page, count: number, timeoutMs = 120_000): Promise<void> {
  try {
    await page.waitForFunction(
      (n) => {
        const editor = (window as unknown as EditorWindow).__stipEditor
        return editor !== undefined && editor.getCurrentPageShapes().length >= n
      },
      count,
      { timeout: timeoutMs, polling: 20 },
    )
  } catch (error) {
    const seen = await withEditor(page, 'window.__stipEditor?.getCurrentPageShapes().length ?? -1').catch(() => -1)
    throw new Error(`the page showed ${String(seen)} of ${count} shapes: ${String(error)}`)
  }
}

/**
 * Evaluates `script` once the page's editor exists. The client may reload itself once
 * after opening a link (it moves the token out of the URL), which destroys the context an
 * evaluation runs in; then we wait for the editor again and retry.
 */
async function withEditor<T>(page: Page, script: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.waitForFunction(() => (window as unknown as EditorWindow).__stipEditor !== undefined, undefined, {
        timeout: 60_000,
        polling: 20,
      })
      return (await page.evaluate(script)) as T
    } catch (error) {
      if (attempt >= 5 || !String(error).includes('Execution context was destroyed')) throw error
      await sleep(200)
    }
  }
}

/** Resolves once a frame was painted: a second rAF callback runs only after the first one's frame. */
function nextPaint(page: Page): Promise<void> {
  return withEditor(page, 'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))')
}

/**
 * rAF deltas (ms) for `ms`, optionally panning the camera a little every frame. A string,
 * because tsx would wrap inner functions of a closure in a `__name` helper the page lacks.
 */
function frameTimes(page: Page, ms: number, pan: boolean): Promise<number[]> {
  return withEditor<number[]>(
    page,
    `new Promise((resolve) => {
    const editor = window.__stipEditor
    const deltas = []
    const start = performance.now()
    let last = start
    let frame = 0
    function tick(t) {
      deltas.push(t - last)
      last = t
      frame++
      if (${pan}) {
        const camera = editor.getCamera()
        const dx = frame % 240 < 120 ? -6 : 6
        editor.setCamera({ x: camera.x + dx, y: camera.y + dx / 2, z: camera.z })
      }
      if (t - start < ${ms}) requestAnimationFrame(tick)
      else resolve(deltas.slice(1))
    }
    requestAnimationFrame(tick)
  })`,
  )
}

export async function runBrowser(sizes: number[], measureMs: number): Promise<BrowserResult[]> {
  await ensureClientBuilt((message) => console.log(`  ${message}`))
  const server = await ServerProcess.start('stip-full')
  const browser = await launchBrowser()
  const results: BrowserResult[] = []
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'browser bench' }),
    })
    const board = (await response.json()) as { id: string; links: { participant: string } }
    const link = board.links.participant
    const room = await server.createRoomFromLink(board.id, link)
    const node = await SyncClient.open(server.endpoint(room))

    // The page makes the board (page, document, schema) and one shape we clone.
    const { page: first } = await openPage(browser, link)
    await withEditor(
      first,
      `void window.__stipEditor.createShape({ type: 'geo', x: 0, y: 0, props: { w: 160, h: 90 } })`,
    )
    // The board may come with shapes of its own (the north star); the template is our geo shape.
    const geoKeys = () =>
      [...node.records.keys()].filter((key) => key.startsWith('shape:') && node.get(key)?.type === 'geo')
    if (!(await waitUntil(() => geoKeys().length === 1, 20_000))) throw new Error('the template shape never synced')
    const template = node.get(geoKeys()[0]) as StoredRecord
    await first.context().close()

    let have = 1
    for (const size of sizes) {
      for (let start = have; start < size; start += 500) {
        node.doc.transact(() => {
          for (let i = start; i < Math.min(size, start + 500); i++) {
            const id = `shape:b${i}`
            node.put({ ...template, id, x: (i % 100) * 200, y: Math.floor(i / 100) * 120 })
          }
        })
        await sleep(0)
      }
      have = size

      if (node.closed) throw new Error('the server closed the node client that writes the shapes')
      // Every shape on the board: ours plus whatever the board started with.
      const expected = [...node.records.keys()].filter((key) => key.startsWith('shape:')).length
      const openedAt = now()
      // STIP_BENCH_CPU_PROF=<dir>: the page's CPU profile of each open and pan, beside the servers'.
      const profileDir = process.env.STIP_BENCH_CPU_PROF
      const profile = profileDir ? path.join(profileDir, `page-open-${size}.cpuprofile`) : undefined
      const { page, stopProfile } = await openPage(browser, link, profile)
      await waitForShapes(page, expected)
      await nextPaint(page)
      const interactiveMs = now() - openedAt
      await stopProfile()
      await sleep(500)
      const stopPanProfile = profileDir
        ? await startProfile(page, path.join(profileDir, `page-pan-${size}.cpuprofile`))
        : async () => {}
      const panFrames = summarize(await frameTimes(page, measureMs, true))
      await stopPanProfile()

      // 200 updates/s from node: 4 separate updates every 20 ms, on shapes in view.
      let sent = 0
      let running = true
      const sender = (async () => {
        const began = now()
        while (running) {
          for (let k = 0; k < 4; k++) {
            const i = 1 + (sent % 20)
            const id = `shape:b${i}`
            node.put({ ...template, id, x: (i % 5) * 200 + (sent % 40), y: Math.floor(i / 5) * 120 })
            sent++
          }
          await sleep(Math.max(0, began + (sent / 200) * 1000 - now()))
        }
      })()
      const remoteStarted = now()
      const remoteFrames = summarize(await frameTimes(page, measureMs, false))
      running = false
      await sender
      const remoteUpdatesPerSec = sent / ((now() - remoteStarted) / 1000)
      await page.context().close()
      results.push({ server: 'stip-full', shapes: size, interactiveMs, panFrames, remoteFrames, remoteUpdatesPerSec })
    }
    node.close()
    return results
  } finally {
    await browser.close().catch(() => {})
    await server.stop()
  }
}
