/**
 * How much of the client's reactive graph one change touches, on a board of N shapes in
 * Stip's built client (Chromium): the values (signals, computeds, reactors) reachable from
 * the camera record's atom and from the store's history atom, which tldraw's signals walk
 * on every camera move and every store change, by name; and the script time of one
 * camera move, measured over 400 in a row. A value per shape in either list makes panning
 * and every remote edit cost O(shapes) (see `client/src/layers/LayerShapeWrapper.tsx` [2]).
 *
 *   npx tsx bench/reactive-reach.ts [shapes=5000]
 *
 * It reads @tldraw/state's internals (`children`, `name`), so a tldraw upgrade may need it
 * adjusted; nothing in the product depends on it.
 */

import { ensureClientBuilt } from '../server/build.ts'
import type { StoredRecord } from '../shared/doc.ts'
import { launchBrowser } from '../tests/helpers/browser.ts'
import { ServerProcess } from './lib/servers.ts'
import { sleep, waitUntil } from './lib/stats.ts'
import { SyncClient } from './lib/sync-client.ts'

const size = Number(process.argv[2] ?? 5000)

interface EditorWindow {
  // biome-ignore lint/suspicious/noExplicitAny: the tldraw Editor, used only inside the page
  __stipEditor: any
}

/** Runs in the page: a string, because tsx would wrap inner functions in a helper the page lacks. */
const MEASURE = `(() => {
  const editor = window.__stipEditor
  const store = editor.store
  function reach(start) {
    const seen = new Set()
    const names = {}
    const stack = [start]
    while (stack.length > 0) {
      const node = stack.pop()
      if (!node || seen.has(node)) continue
      seen.add(node)
      // Per-shape values carry the shape's id in their name: count them as one kind.
      const name = String(node.name).replace(/shape:[\\w-]+/g, 'shape:…')
      names[name] = (names[name] || 0) + 1
      const children = node.children
      if (children?.set) children.set.forEach((child) => stack.push(child))
      else if (children?.array) for (let i = 0; i < children.arraySize; i++) stack.push(children.array[i])
    }
    const top = Object.entries(names).sort((a, b) => b[1] - a[1]).slice(0, 8)
    return { reached: seen.size, top }
  }
  const camera = editor.getCamera()
  const fromCamera = reach(store.records.getAtom?.(camera.id) ?? store.records.atoms.get(camera.id))
  const fromHistory = reach(store.history)
  const started = performance.now()
  for (let i = 0; i < 400; i++) {
    const c = editor.getCamera()
    editor.setCamera({ x: c.x + (i % 240 < 120 ? -6 : 6), y: c.y, z: c.z })
  }
  return { fromCamera, fromHistory, cameraMoveMs: (performance.now() - started) / 400 }
})()`

await ensureClientBuilt((message) => console.log(message))
const server = await ServerProcess.start('stip-full')
const browser = await launchBrowser()
try {
  const response = await fetch(`http://127.0.0.1:${server.port}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'reactive reach' }),
  })
  const board = (await response.json()) as { id: string; links: { participant: string } }
  const link = board.links.participant
  const node = await SyncClient.open(server.endpoint(await server.createRoomFromLink(board.id, link)))
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
  await context.addInitScript(() => localStorage.setItem('stip:name', 'Bench'))
  const page = await context.newPage()
  await page.goto(link)
  await page.waitForFunction(() => (window as unknown as EditorWindow).__stipEditor !== undefined, undefined, {
    timeout: 60_000,
  })
  // The page makes one shape, which passes tldraw's validation; the rest are its clones.
  await page.evaluate(`void window.__stipEditor.createShape({ type: 'geo', x: 0, y: 0, props: { w: 160, h: 90 } })`)
  const geo = () => [...node.records.keys()].filter((key) => key.startsWith('shape:') && node.get(key)?.type === 'geo')
  if (!(await waitUntil(() => geo().length === 1, 20_000))) throw new Error('the template shape never synced')
  const template = node.get(geo()[0]) as StoredRecord
  for (let start = 1; start < size; start += 500) {
    node.doc.transact(() => {
      for (let i = start; i < Math.min(size, start + 500); i++) {
        node.put({ ...template, id: `shape:b${i}`, x: (i % 100) * 200, y: Math.floor(i / 100) * 120 })
      }
    })
    await sleep(0)
  }
  await page.waitForFunction(
    (n) => (window as unknown as EditorWindow).__stipEditor.getCurrentPageShapes().length >= n,
    size,
    { timeout: 120_000 },
  )
  await sleep(1000)
  const measured = (await page.evaluate(MEASURE)) as object
  console.log(JSON.stringify({ shapes: size, ...measured }, null, 2))
  node.close()
} finally {
  await browser.close()
  await server.stop()
}
