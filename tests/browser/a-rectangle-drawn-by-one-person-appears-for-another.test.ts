/**
 * Two people on the same board, each in their own browser: A draws rectangles with the
 * mouse, B's editor gets each one at exactly the size A drew it. How long that takes is
 * measured and printed, three ways (no assertion on it: a two-core CI box says little
 * about a real network) [1]:
 * - A's mouse-up → B has the final size, what a person would time with a stopwatch;
 * - A's editor creates the shape (on drag start) → B's editor has it;
 * - A's editor has the final size → B's editor has it: the pure propagation.
 *
 * [1] Both pages stamp with `Date.now()`, the same system clock, so their stamps compare.
 *     They stamp synchronously from tldraw's after-create/after-change side effects (these
 *     also run for remote changes), with a 4 ms poll as a fallback, so the figures are when
 *     the data is in an editor — B paints it on its next animation frame. tldraw resizes
 *     the shape on every pointer move of the drag, so the final size often reaches B before
 *     A's mouse-up is handled: negative mouse-up figures are real.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  drawRectangle,
  type GeoShape,
  launchBrowser,
  median,
  openAs,
  type Person,
  type StipWindow,
} from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'

const RUNS = 10

interface SizeSeen {
  t: number
  w: number
  h: number
}

interface TimingWindow extends StipWindow {
  __seen: Record<string, SizeSeen[]>
  __pointerUps: number[]
}

describe('a rectangle drawn with the mouse', () => {
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

  it('appears in another person’s browser at the size it was drawn', async () => {
    await Promise.all([installShapeLog(a.page), installShapeLog(b.page)])
    await a.page.evaluate(() => {
      const w = window as unknown as TimingWindow
      w.__pointerUps = []
      window.addEventListener('pointerup', () => w.__pointerUps.push(Date.now()), true)
    })

    const fromMouseUp: number[] = []
    const fromCreation: number[] = []
    const fromFinalSize: number[] = []
    for (let i = 0; i < RUNS; i++) {
      const from = { x: 420 + (i % 5) * 140, y: 160 + Math.floor(i / 5) * 300 } // clear of the layer panel (top left)
      const to = { x: from.x + 120 + i * 4, y: from.y + 90 + i * 3 }
      const drawn = await drawRectangle(a.page, from, to)
      expect(drawn.geo).toBe('rectangle')
      const pointerUp = await a.page.evaluate(() => (window as unknown as TimingWindow).__pointerUps.at(-1) ?? null)
      expect(pointerUp, 'A saw its own pointerup').not.toBeNull()

      const inB = await waitForFinalSize(b.page, drawn).catch(async (error) => {
        const seen = await b.page.evaluate(() => (window as unknown as TimingWindow).__seen)
        throw new Error(`B never got rectangle ${i} ${JSON.stringify(drawn)}; B saw ${JSON.stringify(seen)}: ${error}`)
      })
      const inA = await waitForFinalSize(a.page, drawn)
      fromMouseUp.push(inB.final - (pointerUp as number))
      fromCreation.push(inB.first - inA.first)
      fromFinalSize.push(inB.final - inA.final)
    }

    // B ends with exactly A's rectangles, at exactly A's sizes.
    const [inA, inB] = await Promise.all([a.page, b.page].map((page) => geoSizesById(page)))
    expect(Object.keys(inA)).toHaveLength(RUNS)
    expect(inB).toEqual(inA)

    console.log(
      [
        `[propagation] n=${RUNS} rectangles, A (drawing) → B (watching), ms:`,
        summary('A mouse-up → B has the final size', fromMouseUp),
        summary('A creates the shape (drag start) → B has it', fromCreation),
        summary('A has the final size → B has it', fromFinalSize),
      ].join('\n'),
    )
  })
})

async function geoSizesById(page: Page): Promise<Record<string, { w: number; h: number }>> {
  return page.evaluate(() => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const result: Record<string, { w: number; h: number }> = {}
    for (const shape of editor.getCurrentPageShapes()) {
      if (shape.type === 'geo') result[shape.id] = { w: shape.props.w, h: shape.props.h }
    }
    return result
  })
}

/** Makes the page record every size each geo shape has had, and when it first had it. */
function installShapeLog(page: Page): Promise<void> {
  return page.evaluate(() => {
    const w = window as unknown as TimingWindow
    const editor = w.__stipEditor
    w.__seen = {}
    const check = () => {
      const t = Date.now()
      for (const shape of editor.getCurrentPageShapes()) {
        if (shape.type !== 'geo') continue
        w.__seen[shape.id] ??= []
        const list = w.__seen[shape.id]
        const last = list[list.length - 1]
        if (!last || last.w !== shape.props.w || last.h !== shape.props.h) {
          list.push({ t, w: shape.props.w, h: shape.props.h })
        }
      }
    }
    editor.sideEffects.registerAfterCreateHandler('shape', check)
    editor.sideEffects.registerAfterChangeHandler('shape', check)
    setInterval(check, 4)
  })
}

/** When the page first had `shape` at all, and first had it at its final size. */
async function waitForFinalSize(page: Page, shape: GeoShape): Promise<{ first: number; final: number }> {
  const handle = await page.waitForFunction(
    ({ id, w, h }) => {
      const seen = (window as unknown as TimingWindow).__seen[id] ?? []
      const final = seen.find((entry) => Math.abs(entry.w - w) <= 0.5 && Math.abs(entry.h - h) <= 0.5)
      return final ? { first: seen[0].t, final: final.t } : false
    },
    { id: shape.id, w: shape.w, h: shape.h },
    { timeout: 10_000, polling: 10 },
  )
  return (await handle.jsonValue()) as { first: number; final: number }
}

function summary(label: string, values: number[]): string {
  const sorted = [...values].sort((x, y) => x - y)
  return `  ${label}: median ${median(values)}, max ${sorted.at(-1)}, min ${sorted[0]} (${values.join(', ')})`
}
