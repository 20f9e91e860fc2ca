/**
 * Scenario 10 (the wall display left on all day): Stip's built client as a display in tour
 * mode (a stop every 5 s) in Chromium, while `writers` raw clients each drag their own shape so that
 * the display receives `updates` remote updates in all (each writer within the server's
 * per-connection rate, 150 updates a second). Its JavaScript heap is read after forced
 * garbage collections (CDP) once warmed up (the first 2% of the updates) and at the end:
 * the goal is flat, ±10%. The Y.Doc legitimately keeps a small tombstone per overwritten
 * record; everything else must come back to where it was. Beside the used heap, the live
 * objects without compiled code (`tests/helpers/heap.ts`): V8 keeps optimising hot code for
 * a while, which is not something the display keeps of what it was sent.
 */
import type { CDPSession } from 'playwright-core'
import type { StoredRecord } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { launchBrowser } from '../../tests/helpers/browser.ts'
import { displayLink, geoShape } from '../../tests/helpers/display.ts'
import { liveObjectsMiB, takeHeapSnapshot } from '../../tests/helpers/heap.ts'
import { layerRecord } from '../../tests/helpers/layers.ts'
import { ServerProcess } from '../lib/servers.ts'
import { now, sleep } from '../lib/stats.ts'
import { SyncClient } from '../lib/sync-client.ts'

export interface DisplayHeapResult {
  updates: number
  seconds: number
  heapBeforeMiB: number
  heapAfterMiB: number
  /** (after − before) / before. */
  growth: number
  /** Live objects, compiled code left out, at the same two moments. */
  liveBeforeMiB: number
  liveAfterMiB: number
  liveGrowth: number
  tourStops: number
}

/** Shapes per writer: each shape is moved by one writer only, so the last value sent is the one kept. */
const SHAPES_PER_WRITER = 1
const RATE_PER_WRITER = 150

async function usedHeapMiB(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize / 1024 / 1024
}

export async function runDisplayHeap(updates: number, writers: number): Promise<DisplayHeapResult> {
  const server = await ServerProcess.start('stip-full')
  const browser = await launchBrowser()
  try {
    const response = await fetch(`http://127.0.0.1:${server.port}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'display heap bench' }),
    })
    const board = (await response.json()) as { id: string; links: { participant: string; display: string } }
    const room = server.createRoomFromLink(board.id, board.links.participant)
    const clients = await Promise.all(Array.from({ length: writers }, () => SyncClient.open(server.endpoint(room))))
    // Four departments, so that the tour has stops to go to.
    const layers = Array.from({ length: 4 }, (_, i) =>
      layerRecord(`layer:afdeling${i}`, `Afdeling ${i + 1}`, ROOT_LAYER_ID, { index: i + 1 }),
    )
    const shapes: StoredRecord[] = Array.from({ length: SHAPES_PER_WRITER * writers }, (_, i) =>
      geoShape(`shape:busy-${i}`, { x: (i % 8) * 300, y: Math.floor(i / 8) * 200, layerId: layers[i % 4].id }),
    )
    clients[0].doc.transact(() => {
      for (const record of [...layers, ...shapes]) clients[0].put(record)
    })

    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    await page.goto(displayLink(board.links.display, { mode: 'tour', seconds: '5' }))
    await page.waitForFunction(() => (window as unknown as { __stipEditor?: unknown }).__stipEditor !== undefined, {
      timeout: 60_000,
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
    let captions = 0
    let lastCaption = ''
    const watchCaption = setInterval(() => {
      void page
        .locator('.stip-display__caption')
        .first()
        .textContent({ timeout: 500 })
        .then((text) => {
          if (text && text !== lastCaption) {
            lastCaption = text
            captions++
          }
        })
        .catch(() => {})
    }, 1000)

    let sent = 0
    /** Sends `count` updates spread over the writers at their rate; then waits for the display to have the last. */
    const send = async (count: number) => {
      const began = now()
      const perTick = Math.max(1, Math.round((writers * RATE_PER_WRITER) / 50)) // every 20 ms
      for (let done = 0; done < count; done += perTick) {
        for (let k = 0; k < perTick && done + k < count; k++) {
          const writer = clients[sent % writers]
          const shape = shapes[(sent % writers) + writers * (Math.floor(sent / writers) % SHAPES_PER_WRITER)]
          sent++
          writer.put({ ...shape, x: (sent * 7) % 2400, y: (sent * 13) % 1000 })
        }
        await sleep(Math.max(0, began + ((done + perTick) / (writers * RATE_PER_WRITER)) * 1000 - now()))
      }
      const lastSent = sent - 1
      const last = shapes[(lastSent % writers) + writers * (Math.floor(lastSent / writers) % SHAPES_PER_WRITER)]
      const x = (sent * 7) % 2400
      const closed = clients.filter((client) => client.closed).length
      if (closed > 0) throw new Error(`the server closed ${closed} of ${writers} writers`)
      await page.waitForFunction(
        ([id, x]) =>
          (
            window as unknown as { __stipEditor: { getShape(id: string): { x: number } | undefined } }
          ).__stipEditor.getShape(id)?.x === x,
        [last.id, x] as const,
        { timeout: 120_000, polling: 200 },
      )
    }

    const warmUp = Math.max(1000, Math.round(updates / 50))
    await send(warmUp)
    await sleep(3000)
    const before = await usedHeapMiB(cdp)
    const liveBefore = await liveObjectsMiB(cdp)
    const snapshotBefore = process.env.STIP_BENCH_HEAP_DIFF ? await constructorCounts(cdp) : new Map()
    const started = now()
    await send(updates - warmUp)
    const seconds = (now() - started) / 1000
    await sleep(3000)
    const after = await usedHeapMiB(cdp)
    const liveAfter = await liveObjectsMiB(cdp)
    if (process.env.STIP_BENCH_HEAP_DIFF) console.log(await heapDiff(cdp, snapshotBefore))
    clearInterval(watchCaption)
    for (const client of clients) client.close()
    await context.close()
    return {
      updates,
      seconds,
      heapBeforeMiB: before,
      heapAfterMiB: after,
      growth: (after - before) / before,
      liveBeforeMiB: liveBefore,
      liveAfterMiB: liveAfter,
      liveGrowth: (liveAfter - liveBefore) / liveBefore,
      tourStops: captions,
    }
  } finally {
    await browser.close().catch(() => {})
    await server.stop()
  }
}

/** Objects per constructor name in a heap snapshot (debugging aid: `STIP_BENCH_HEAP_DIFF=1`). */
async function constructorCounts(cdp: CDPSession): Promise<Map<string, { count: number; size: number }>> {
  const snapshot = await takeHeapSnapshot(cdp)
  const fields = snapshot.snapshot.meta.node_fields
  const width = fields.length
  const nameAt = fields.indexOf('name')
  const sizeAt = fields.indexOf('self_size')
  const typeAt = fields.indexOf('type')
  const types = snapshot.snapshot.meta.node_types[0]
  const counts = new Map<string, { count: number; size: number }>()
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]]
    const name = type === 'object' || type === 'closure' ? snapshot.strings[snapshot.nodes[i + nameAt]] : `(${type})`
    const entry = counts.get(name) ?? { count: 0, size: 0 }
    entry.count++
    entry.size += snapshot.nodes[i + sizeAt]
    counts.set(name, entry)
  }
  return counts
}

async function heapDiff(cdp: CDPSession, before: Map<string, { count: number; size: number }>): Promise<string> {
  const after = await constructorCounts(cdp)
  return [...after]
    .map(([name, { count, size }]) => ({
      name,
      count: count - (before.get(name)?.count ?? 0),
      size: size - (before.get(name)?.size ?? 0),
    }))
    .sort((a, b) => b.size - a.size)
    .slice(0, 20)
    .map(({ name, count, size }) => `${(size / 1024).toFixed(0).padStart(8)} KiB ${String(count).padStart(8)}  ${name}`)
    .join('\n')
}
