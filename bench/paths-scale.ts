/**
 * How the development-path features behave on a big board: D departments, each with P
 * paths of M milestones (start, milestones and arrows bound at both ends, as the path bar
 * makes them), drawn by a facilitator in Chromium. Prints, for that board:
 * - how long drawing it took in the page, and how many records it is;
 * - a status change on one milestone until the layer panel of a second person shows it
 *   (their badge's `data-done` changes), the time the panel needs to follow;
 * - a wall display opened on the board until it holds every shape and painted a frame;
 * - `readPaths` + `layerProgress` over all records in Node (what the server's paths API
 *   and every client compute per change).
 *
 * Run: npx tsx bench/paths-scale.ts [departments=10] [paths=4] [milestones=12]
 * Figures only; nothing is asserted (a loaded machine gives other numbers).
 */
import type { Page } from 'playwright-core'
import { ensureClientBuilt } from '../server/build.ts'
import { today } from '../shared/dates.ts'
import { decodeRecord, getRecordsMap } from '../shared/doc.ts'
import type { LayerRecord } from '../shared/layers.ts'
import { layerProgress, type PathRecord, readPaths } from '../shared/paths.ts'
import { launchBrowser, openAs } from '../tests/helpers/browser.ts'
import { startBoardServer } from '../tests/helpers/browser-server.ts'
import { connectProvider } from '../tests/helpers/provider.ts'

const [departments, pathsPer, milestonesPer] = [2, 3, 4].map((i, n) => Number(process.argv[i] ?? [10, 4, 12][n]))

interface EditorWindow {
  // biome-ignore lint/suspicious/noExplicitAny: the tldraw Editor, used only inside page.evaluate
  __stipEditor?: any
}

/** Draws the board in the page; returns the layer ids and the ms it took. */
function drawBoard(page: Page): Promise<{ layers: string[]; ms: number }> {
  return page.evaluate(
    ({ departments, pathsPer, milestonesPer, day }) => {
      const editor = (window as unknown as EditorWindow).__stipEditor
      const started = performance.now()
      const colors = ['green', 'orange', 'violet', 'red', 'light-blue', 'light-green', 'yellow', 'grey']
      const layers: string[] = []
      for (let d = 0; d < departments; d++) {
        const layerId = `layer:dept-${d}`
        layers.push(layerId)
        editor.store.put([
          {
            id: layerId,
            typeName: 'layer',
            name: `Afdeling ${d + 1}`,
            parentId: 'layer:root',
            color: colors[d % colors.length],
            description: '',
            owner: '',
            index: d + 1,
            visible: true,
            locked: false,
            meta: {},
          },
        ])
        const angle = Math.PI - ((d + 0.5) * Math.PI) / departments
        for (let p = 0; p < pathsPer; p++) {
          editor.run(() => {
            const made: { id: string; type: string }[] = []
            const nodes: string[] = []
            const origin = { x: Math.cos(angle) * (6000 + p * 700), y: Math.sin(angle) * (6000 + p * 700) }
            const start = `shape:${crypto.randomUUID()}`
            editor.createShape({ id: start, type: 'path-start', x: origin.x, y: origin.y })
            made.push({ id: start, type: 'path-start' })
            nodes.push(start)
            for (let m = 0; m < milestonesPer; m++) {
              const t = (m + 1) / (milestonesPer + 1)
              const milestone = `shape:${crypto.randomUUID()}`
              editor.createShape({
                id: milestone,
                type: 'milestone',
                x: origin.x * (1 - t),
                y: origin.y * (1 - t),
                props: { title: `Stap ${m + 1}`, owner: `Team ${p + 1}`, start: day, end: day },
              })
              nodes.push(milestone)
              made.push({ id: milestone, type: 'milestone' })
            }
            nodes.push('shape:north-star')
            for (let i = 0; i + 1 < nodes.length; i++) {
              const arrow = `shape:${crypto.randomUUID()}`
              editor.createShape({ id: arrow, type: 'arrow', x: 0, y: 0 })
              made.push({ id: arrow, type: 'arrow' })
              const props = { normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' }
              editor.createBindings([
                { type: 'arrow', fromId: arrow, toId: nodes[i], props: { ...props, terminal: 'start' } },
                { type: 'arrow', fromId: arrow, toId: nodes[i + 1], props: { ...props, terminal: 'end' } },
              ])
            }
            // New shapes go to the active layer (the layer rules); these belong to the department.
            editor.updateShapes(made.map((shape) => ({ ...shape, meta: { layerId } })))
          })
        }
      }
      return { layers, ms: Math.round(performance.now() - started) }
    },
    { departments, pathsPer, milestonesPer, day: today() },
  )
}

async function main() {
  await ensureClientBuilt((message) => console.log(message))
  const env = await startBoardServer('Grote gemeente')
  const browser = await launchBrowser()
  try {
    const anna = await openAs(browser, env.board.links.facilitator, 'Anna')
    const drawn = await drawBoard(anna.page)
    const expected = departments * pathsPer * (milestonesPer * 2 + 2) + 1
    const bram = await openAs(browser, env.board.links.facilitator, 'Bram')
    await bram.page.waitForFunction(
      (n) => (window as unknown as EditorWindow).__stipEditor?.getCurrentPageShapes().length >= n,
      expected,
      { timeout: 120_000 },
    )

    // A status change, until the other person's layer panel shows it.
    const layer = drawn.layers[0]
    const badge = `[data-layer-id="${layer}"] [data-testid="layer-progress"]`
    await bram.page.waitForSelector(badge, { timeout: 30_000 })
    const panelMs = await (async () => {
      const waiting = bram.page.evaluate(
        (badge) =>
          new Promise<number>((resolve) => {
            const element = document.querySelector(badge) as HTMLElement
            const before = element.dataset.done
            const started = performance.now()
            const observer = new MutationObserver(() => {
              if (element.dataset.done === before) return
              observer.disconnect()
              requestAnimationFrame(() => resolve(Math.round(performance.now() - started)))
            })
            observer.observe(element, { attributes: true })
          }),
        badge,
      )
      await anna.page.evaluate((layerId) => {
        const editor = (window as unknown as EditorWindow).__stipEditor
        const milestone = editor
          .getCurrentPageShapes()
          .find(
            (shape: { type: string; meta: { layerId?: string } }) =>
              shape.type === 'milestone' && shape.meta.layerId === layerId,
          )
        editor.updateShape({ id: milestone.id, type: 'milestone', props: { status: 'done', doneAt: Date.now() } })
      }, layer)
      return waiting
    })()

    // A wall display, until it holds every shape and painted.
    const displayStarted = Date.now()
    const display = await openAs(browser, env.board.links.display, 'Wand')
    await display.page.waitForFunction(
      (n) => (window as unknown as EditorWindow).__stipEditor?.getCurrentPageShapes().length >= n,
      expected,
      { timeout: 120_000 },
    )
    await display.page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    )
    const displayMs = Date.now() - displayStarted

    // What the server's paths API and every client compute per change.
    const reader = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.display)
    const records = [...getRecordsMap(reader.doc).entries()].flatMap(([key, value]) => decodeRecord(value, key) ?? [])
    reader.destroy()
    const layerRecords = new Map(
      records.filter((r) => r.typeName === 'layer').map((r) => [r.id, r as unknown as LayerRecord]),
    )
    const runs: number[] = []
    for (let i = 0; i < 20; i++) {
      const started = performance.now()
      layerProgress(layerRecords, readPaths(records as PathRecord[]), today())
      runs.push(performance.now() - started)
    }
    runs.sort((a, b) => a - b)
    const graph = readPaths(records as PathRecord[])

    console.log(
      [
        `board: ${departments} departments × ${pathsPer} paths × ${milestonesPer} milestones = ${graph.paths.length} paths, ${graph.milestones.size} milestones, ${records.length} records`,
        `paths reaching the north star: ${graph.paths.filter((p) => p.reachesNorthStar).length} of ${graph.paths.length}`,
        `drawing it in the page: ${drawn.ms} ms`,
        `status change → second person's layer panel updated: ${panelMs} ms`,
        `wall display opened → every shape held and painted: ${displayMs} ms`,
        `readPaths + layerProgress in Node: median ${runs[10].toFixed(1)} ms, max ${runs[19].toFixed(1)} ms`,
      ].join('\n'),
    )
  } finally {
    await browser.close()
    await env.server.stop()
  }
}

await main()
