/**
 * A department draws its development path with the path tools alone. A participant with
 * the link scoped to "Publiekszaken" starts a path from that layer's menu, adds two more
 * milestones with "Next milestone", names one in the milestone dialog, by keyboard, and
 * marks one done on the card. The server then holds one chain: "Nu" → three milestones → the
 * north star, every arrow bound at both ends, and a colleague's layer panel shows 1 of 3.
 * When the facilitator moves the north star, every arrow stays bound, and a milestone
 * removed from the middle leaves one chain of two.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateLinkResponse } from '../../shared/api.ts'
import { decodeRecord, getRecordsMap } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { type PathRecord, readPaths } from '../../shared/paths.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { api } from '../helpers/api.ts'
import { launchBrowser, openAs, type Person, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { addLayerWithPanel, rowSelector } from '../helpers/layers-browser.ts'
import { connectProvider } from '../helpers/provider.ts'

/** The paths as the page's editor holds them. */
function pagePaths(page: Page) {
  return page
    .evaluate(() => {
      const editor = (window as unknown as StipWindow).__stipEditor
      return editor.store
        .allRecords()
        .filter((r: { typeName: string }) => r.typeName === 'shape' || r.typeName === 'binding')
    })
    .then((records) => readPaths(records as PathRecord[]))
}

async function waitForPath(page: Page, milestones: number, label: string) {
  await expect
    .poll(
      async () => {
        const { paths } = await pagePaths(page)
        return paths.map((path) => ({ milestones: path.milestoneIds.length, reaches: path.reachesNorthStar }))
      },
      { timeout: 10_000, message: label },
    )
    .toEqual([{ milestones, reaches: true }])
}

/** Whether every arrow of the page's first path is bound at both ends to shapes that exist. */
interface BoundArrow {
  start: boolean
  end: boolean
  length: number
}

function arrowsBound(page: Page): Promise<BoundArrow[]> {
  return page.evaluate((): BoundArrow[] => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const arrows = editor.getCurrentPageShapes().filter((shape: { type: string }) => shape.type === 'arrow')
    return arrows.map((arrow: { id: string }) => {
      const bindings = editor.getBindingsFromShape(arrow.id, 'arrow') as { toId: string; props: { terminal: string } }[]
      const ends = Object.fromEntries(bindings.map((b) => [b.props.terminal, Boolean(editor.getShape(b.toId))]))
      // The arrow's drawn ends sit on its targets' edges: far from the arrow's own origin.
      const geometry = editor.getShapeGeometry(arrow.id).bounds
      return { start: ends.start === true, end: ends.end === true, length: Math.hypot(geometry.w, geometry.h) }
    })
  })
}

describe('a department builds its development path', () => {
  let browser: Browser
  let env: BoardServer
  let anna: Person
  let piet: Person
  let layerId = ''

  beforeAll(async () => {
    env = await startBoardServer('Gemeente Voorbeeld')
    browser = await launchBrowser()
    anna = await openAs(browser, env.board.links.facilitator, 'Anna')
    layerId = await addLayerWithPanel(anna.page, null, 'Publiekszaken', env)
    const made = await api<CreateLinkResponse>(env.server.url, routePath(ROUTES.links, { boardId: env.board.id }), {
      token: env.board.tokens.facilitator,
      json: { role: 'participant', layerId },
    })
    expect(made.status).toBe(201)
    piet = await openAs(browser, made.body.link, 'Piet')
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('starts a path from the layer menu and adds two milestones with "Next milestone"', async () => {
    const page = piet.page
    await page.locator(`${rowSelector(layerId)} [data-testid="layer-menu"]`).click()
    await page.locator('[data-testid="layer-start-path"]').click()
    await waitForPath(page, 1, 'a path with one milestone after "Start a path"')
    // The new milestone is selected, so the path bar offers the next step.
    await page.locator('[data-testid="path-next"]').click()
    await waitForPath(page, 2, 'two milestones')
    await page.locator('[data-testid="path-next"]').click()
    await waitForPath(page, 3, 'three milestones')

    const { paths, milestones } = await pagePaths(page)
    const [path] = paths
    expect(path.layerId).toBe(layerId)
    // Each next milestone is planned in the iteration after the one before it.
    const spans = path.milestoneIds.map((id) => milestones.get(id))
    expect(spans.every((m) => m?.layerId === layerId && m.status === 'planned')).toBe(true)
    expect((spans[1]?.start ?? '') > (spans[0]?.end ?? '')).toBe(true)
    expect((spans[2]?.start ?? '') > (spans[1]?.end ?? '')).toBe(true)
    expect(await page.locator('[data-testid="path-progress"]').textContent()).toMatch(/0 (van|of) 3/)
  })

  it('names a milestone in its dialog by keyboard and marks one done on the card', async () => {
    const page = piet.page
    const { paths } = await pagePaths(page)
    const first = paths[0].milestoneIds[0]
    // Keyboard focus on the canvas, the milestone selected (as Tab among shapes would do).
    await page.locator('.tl-container').focus()
    await page.evaluate((id) => {
      ;(window as unknown as StipWindow).__stipEditor.select(id)
    }, first)
    // Enter on the selected milestone opens its dialog, focused on the title.
    await page.keyboard.press('Enter')
    const title = page.locator('[data-testid="milestone-title"]')
    await title.waitFor({ timeout: 5_000 })
    await page.keyboard.type('Afspraak online maken')
    await page.keyboard.press('Enter')
    await title.waitFor({ state: 'detached', timeout: 5_000 })

    const card = page.locator(`[data-shape-id="${first}"] [data-testid="milestone-status"]`)
    await card.click() // planned → in progress
    await card.click() // in progress → done
    await expect
      .poll(async () => (await pagePaths(page)).milestones.get(first), { timeout: 5_000 })
      .toMatchObject({ title: 'Afspraak online maken', status: 'done' })
    expect((await pagePaths(page)).milestones.get(first)?.doneAt).toBeGreaterThan(0)
  })

  it("shows the path on the server and 1 of 3 in a colleague's layer panel", async () => {
    const badge = anna.page.locator(`${rowSelector(layerId)} [data-testid="layer-progress"]`)
    await expect.poll(() => badge.getAttribute('data-done'), { timeout: 10_000 }).toBe('1')
    expect(await badge.getAttribute('data-total')).toBe('3')
    expect(await badge.getAttribute('data-broken')).toBe('0')
    // The root rolls its departments up.
    const root = anna.page.locator(`${rowSelector(ROOT_LAYER_ID)} [data-testid="layer-progress"]`)
    expect(await root.getAttribute('data-total')).toBe('3')

    // A fresh client of the server's own state (the display's link) reads the same chain.
    const fresh = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.display)
    try {
      const records = [...getRecordsMap(fresh.doc).entries()].flatMap(([key, value]) => decodeRecord(value, key) ?? [])
      const { paths } = readPaths(records as PathRecord[])
      expect(paths.map((path) => [path.milestoneIds.length, path.reachesNorthStar])).toEqual([[3, true]])
    } finally {
      fresh.destroy()
    }
  })

  it('keeps every arrow bound when the facilitator moves the north star', async () => {
    const before = await arrowsBound(anna.page)
    expect(before).toHaveLength(4)
    expect(before.every((arrow) => arrow.start && arrow.end)).toBe(true)
    await anna.page.evaluate((id: string) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      const star = editor.getShape(id)
      editor.updateShape({ id, type: star.type, x: star.x + 900, y: star.y - 600 })
    }, NORTH_STAR_ID as string)
    // The last arrow follows the north star to the participant's screen: it grows as the star moves away.
    const longest = (arrows: BoundArrow[]) => Math.max(...arrows.map((arrow) => arrow.length))
    await expect
      .poll(async () => longest(await arrowsBound(piet.page)), { timeout: 10_000 })
      .toBeGreaterThan(longest(before) + 300)
    await waitForPath(piet.page, 3, 'the path after the north star moved, for the participant')
    expect((await arrowsBound(piet.page)).every((arrow) => arrow.start && arrow.end)).toBe(true)
  })

  it('removes the middle milestone and joins its neighbours, so one chain of two remains', async () => {
    const page = piet.page
    const { paths } = await pagePaths(page)
    const middle = paths[0].milestoneIds[1]
    await page.evaluate((id) => {
      ;(window as unknown as StipWindow).__stipEditor.select(id)
    }, middle)
    await page.locator('[data-testid="path-remove"]').click()
    await waitForPath(page, 2, 'two milestones after removing the middle one')
    const arrows = await arrowsBound(page)
    expect(arrows).toHaveLength(3)
    expect(arrows.every((arrow) => arrow.start && arrow.end)).toBe(true)
  })

  it('flags a path whose arrow to the north star is gone, and "Connect" joins it again', async () => {
    const page = piet.page
    const { paths } = await pagePaths(page)
    const last = paths[0].arrowIds.at(-1)
    await page.evaluate((id) => {
      ;(window as unknown as StipWindow).__stipEditor.deleteShapes([id])
    }, last)
    const badge = anna.page.locator(`${rowSelector(layerId)} [data-testid="layer-progress"]`)
    await expect.poll(() => badge.getAttribute('data-broken'), { timeout: 10_000 }).toBe('1')
    expect(await badge.getAttribute('aria-label')).toMatch(/(bereikt de stip niet|does not reach the north star)/)

    await page.evaluate((id) => {
      ;(window as unknown as StipWindow).__stipEditor.select(id)
    }, paths[0].milestoneIds.at(-1))
    expect(await page.locator('[data-testid="path-reach"]').getAttribute('data-reaches')).toBe('false')
    await page.locator('[data-testid="path-connect"]').click()
    await waitForPath(page, 2, 'the path joined to the north star again')
    await expect.poll(() => badge.getAttribute('data-broken'), { timeout: 10_000 }).toBe('0')
  })
})
