/**
 * Scenario 10 (the wall display left on all day): Stip's built client as a display in tour
 * mode in Chromium, while `writers` raw clients each drag their own shape so that the display
 * receives `updates` remote updates in all (each writer within the server's per-connection
 * rate, 150 updates a second), and the tour goes on until it has made `tourStops` stops
 * (counted from the page: each caption the display mounts). A stop every 5 s, the least a
 * link may ask for, would take 42 minutes for 500 stops: the bench sets the display's
 * bench-only `window.__stipBenchTourSeconds` before the page loads, and the tour runs
 * through its own timer and camera moves, only faster. Its JavaScript heap is read after
 * forced garbage collections (CDP) once warmed up (a tenth more of the updates and of the
 * stops, `WARM_UP`), halfway and at the end: the goal is flat, ±10%. The Y.Doc legitimately keeps a small
 * tombstone per overwritten record; everything else must come back to where it was. Beside
 * the used heap, the live objects without compiled code (`tests/helpers/heap.ts`): V8 keeps
 * optimising hot code for a while, which is not something the display keeps of what it was sent.
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
  /** From the first reading to the end of the updates and stops (the halfway reading included). */
  seconds: number
  heapBeforeMiB: number
  heapAfterMiB: number
  /** (after − before) / before. */
  growth: number
  /** Live objects, compiled code left out, at the same two moments. */
  liveBeforeMiB: number
  liveAfterMiB: number
  liveGrowth: number
  /** The same halfway (half the updates and half the stops made) and from there to the end. */
  heapMiddleMiB: number
  secondHalfGrowth: number
  liveMiddleMiB: number
  liveSecondHalfGrowth: number
  /** Structs in the display's Y.Doc (tombstones of overwritten values included), before and after. */
  docStructsBefore: number
  docStructsAfter: number
  /** Tour stops the page showed between the two readings. */
  tourStops: number
}

export interface DisplayHeapOptions {
  updates: number
  writers: number
  /** Tour stops to see between the two readings; 0: the display in overview mode, no tour. */
  tourStops: number
  /** Seconds per tour stop (the bench-only override; a link's least is 5). */
  tourSeconds?: number
  /** Updates and stops before the first reading, as a fraction of those measured. */
  warmUp?: number
}

/** Shapes per writer: each shape is moved by one writer only, so the last value sent is the one kept. */
const SHAPES_PER_WRITER = 1
const RATE_PER_WRITER = 150
/**
 * Before the first reading the display gets a tenth of the updates and stops more.
 * With a fiftieth (2,000 updates, half a second of the writers, and 10 stops), in a run
 * read halfway too, the heap grew 12.0 → 13.8 MiB in the first half and 13.8 → 13.9 in the
 * second: V8 compiling and optimising the code those paths run, and tldraw's bounded
 * histories filling up to their size under load, not something that grows with each update.
 */
const WARM_UP = 0.1
/** A stop every 0.2 s: 500 stops in under two minutes, each camera move (a quarter of a stop) finished before the next. */
const BENCH_TOUR_SECONDS = 0.2

async function usedHeapMiB(cdp: CDPSession): Promise<number> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage')
  const { usedSize } = await cdp.send('Runtime.getHeapUsage')
  return usedSize / 1024 / 1024
}

interface BenchWindow {
  __stipBenchTourSeconds?: number
  /** Captions mounted so far: one per tour stop (each stop's caption is a new element). */
  __stipBenchStops?: number
}

export async function runDisplayHeap({
  updates,
  writers,
  tourStops,
  tourSeconds = BENCH_TOUR_SECONDS,
  warmUp = WARM_UP,
}: DisplayHeapOptions): Promise<DisplayHeapResult> {
  const server = await ServerProcess.start('stip-full')
  const browser = await launchBrowser()
  try {
    const board = await server.createBoard('display heap bench')
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
    await page.addInitScript((seconds) => {
      const w = window as unknown as BenchWindow
      w.__stipBenchTourSeconds = seconds
      w.__stipBenchStops = 0
      new MutationObserver((mutations) => {
        for (const mutation of mutations) {
          for (const node of mutation.addedNodes) {
            if (node instanceof Element && node.matches('[data-testid="display-caption"]'))
              w.__stipBenchStops = (w.__stipBenchStops ?? 0) + 1
          }
        }
      }).observe(document, { childList: true, subtree: true })
    }, tourSeconds)
    const mode = tourStops > 0 ? 'tour' : 'overview'
    await page.goto(displayLink(board.links.display, { mode }))
    await page.waitForFunction(() => (window as unknown as { __stipEditor?: unknown }).__stipEditor !== undefined, {
      timeout: 60_000,
    })
    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
    /** Structs (items, tombstones included) in the display's Y.Doc: what the document keeps of its history. */
    const docStructs = () =>
      page.evaluate(() => {
        const doc = (window as unknown as { __stipDoc: { store: { clients: Map<number, unknown[]> } } }).__stipDoc
        let count = 0
        for (const structs of doc.store.clients.values()) count += structs.length
        return count
      })
    const stopsSeen = () => page.evaluate(() => (window as unknown as BenchWindow).__stipBenchStops ?? 0)
    const waitForStops = (count: number) =>
      page.waitForFunction((count) => ((window as unknown as BenchWindow).__stipBenchStops ?? 0) >= count, count, {
        timeout: 600_000,
        polling: 500,
      })

    let sent = 0
    /** Sends `count` updates spread over the writers at their rate; then waits for the display to have the last. */
    const send = async (count: number) => {
      if (count <= 0) return
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

    await Promise.all([
      send(Math.round(updates * warmUp)),
      tourStops > 0 ? waitForStops(Math.round(tourStops * warmUp)) : null,
    ])
    await sleep(3000)
    const before = await usedHeapMiB(cdp)
    const liveBefore = await liveObjectsMiB(cdp)
    const stopsBefore = await stopsSeen()
    const structsBefore = await docStructs()
    const snapshotBefore = process.env.STIP_BENCH_HEAP_DIFF ? await heapGroups(cdp) : new Map()
    const started = now()
    // The updates at the writers' rate, the tour meanwhile and on until it made its stops; in
    // two halves, read between them: a leak grows the heap in both, a warm-up in the first only.
    const firstHalf = Math.round(updates / 2)
    await Promise.all([send(firstHalf), tourStops > 0 ? waitForStops(stopsBefore + Math.round(tourStops / 2)) : null])
    await sleep(3000)
    const middle = await usedHeapMiB(cdp)
    const liveMiddle = await liveObjectsMiB(cdp)
    const snapshotMiddle = process.env.STIP_BENCH_HEAP_DIFF ? await heapGroups(cdp) : new Map()
    await Promise.all([send(updates - firstHalf), tourStops > 0 ? waitForStops(stopsBefore + tourStops) : null])
    const seconds = (now() - started) / 1000
    await sleep(3000)
    const after = await usedHeapMiB(cdp)
    const liveAfter = await liveObjectsMiB(cdp)
    const structsAfter = await docStructs()
    if (process.env.STIP_BENCH_HEAP_DIFF) {
      console.log(`first half:\n${diffGroups(snapshotBefore, snapshotMiddle)}`)
      console.log(`second half:\n${diffGroups(snapshotMiddle, await heapGroups(cdp))}`)
    }
    const stopsAfter = await stopsSeen()
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
      heapMiddleMiB: middle,
      secondHalfGrowth: (after - middle) / middle,
      liveMiddleMiB: liveMiddle,
      liveSecondHalfGrowth: (liveAfter - liveMiddle) / liveMiddle,
      docStructsBefore: structsBefore,
      docStructsAfter: structsAfter,
      tourStops: stopsAfter - stopsBefore,
    }
  } finally {
    await browser.close().catch(() => {})
    await server.stop()
  }
}

type HeapGroups = Map<string, { count: number; size: number }>

/**
 * Debugging aid (`STIP_BENCH_HEAP_DIFF=1`): the objects of a heap snapshot summed by what
 * they are and what holds them (two steps up the first strong retainer). Compared by group,
 * not by object id: the display's bounded buffers replace their objects all the time, and new
 * ids in them are churn, not growth.
 */
async function heapGroups(cdp: CDPSession): Promise<HeapGroups> {
  const snapshot = await takeHeapSnapshot(cdp)
  const { node_fields: fields, node_types: nodeTypes } = snapshot.snapshot.meta
  const edgeFields = (snapshot.snapshot.meta as unknown as { edge_fields: string[] }).edge_fields
  const edgeTypes = (snapshot.snapshot.meta as unknown as { edge_types: [string[]] }).edge_types[0]
  const edges = (snapshot as unknown as { edges: number[] }).edges
  const width = fields.length
  const [typeAt, nameAt, sizeAt, countAt] = ['type', 'name', 'self_size', 'edge_count'].map((f) => fields.indexOf(f))
  const [edgeTypeAt, edgeNameAt, toAt] = ['type', 'name_or_index', 'to_node'].map((f) => edgeFields.indexOf(f))
  const label = (node: number) => {
    const type = nodeTypes[0][snapshot.nodes[node + typeAt]]
    const name = snapshot.strings[snapshot.nodes[node + nameAt]]
    if (type === 'object' || type === 'closure') return name
    // Strings and numbers are named by their value; code by its function: one group for each kind.
    return type === 'native' || type === 'hidden' ? `(${type} ${name.slice(0, 40)})` : `(${type})`
  }
  // The first strong retainer of each node, and the edge's name.
  const retainer = new Map<number, { from: number; edge: string }>()
  let edge = 0
  for (let node = 0; node < snapshot.nodes.length; node += width) {
    for (let k = 0; k < snapshot.nodes[node + countAt]; k++, edge += edgeFields.length) {
      const type = edgeTypes[edges[edge + edgeTypeAt]]
      if (type === 'weak' || type === 'shortcut') continue
      const to = edges[edge + toAt]
      if (retainer.has(to)) continue
      const name = type === 'element' || type === 'hidden' ? '[n]' : snapshot.strings[edges[edge + edgeNameAt]]
      retainer.set(to, { from: node, edge: name })
    }
  }
  const groups: HeapGroups = new Map()
  for (let node = 0; node < snapshot.nodes.length; node += width) {
    let key = label(node)
    let at = node
    for (let step = 0; step < 2; step++) {
      const up = retainer.get(at)
      if (!up) break
      key += ` ← ${label(up.from)}.${up.edge}`
      at = up.from
    }
    // Each node counts in its group and in its type's total ("all code", "all object"…).
    for (const group of [key, `all ${nodeTypes[0][snapshot.nodes[node + typeAt]]}`]) {
      const entry = groups.get(group) ?? { count: 0, size: 0 }
      entry.count++
      entry.size += snapshot.nodes[node + sizeAt]
      groups.set(group, entry)
    }
  }
  return groups
}

/** The groups that grew most from `before` to `after`. */
function diffGroups(before: HeapGroups, after: HeapGroups): string {
  return [...after]
    .map(([key, { count, size }]) => ({
      key,
      count: count - (before.get(key)?.count ?? 0),
      size: size - (before.get(key)?.size ?? 0),
    }))
    .sort((a, b) => b.size - a.size)
    .slice(0, 40)
    .map(({ key, count, size }) => `${(size / 1024).toFixed(1).padStart(8)} KiB ${String(count).padStart(7)}  ${key}`)
    .join('\n')
}
