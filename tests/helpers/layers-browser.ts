/**
 * The layer panel and drill-down, driven the way a person does (buttons, typing, the
 * browser's back button), and read back from the page: the layer records
 * (`window.__stipLayers()`), which shapes tldraw renders, and the panel's row state.
 * Every wait is bounded and says what it waited for.
 */
import type { Page } from 'playwright-core'
import { layerPath } from '../../shared/board.ts'
import type { LayerRecord } from '../../shared/layers.ts'
import type { StipWindow } from './browser.ts'
import type { BoardServer } from './browser-server.ts'
import { waitForServerLayer } from './server-state.ts'

interface LayersWindow extends StipWindow {
  __stipLayers?: () => LayerRecord[]
}

const WAIT = { timeout: 10_000, polling: 50 }

export function rowSelector(layerId: string): string {
  return `[data-testid="layer-row"][data-layer-id="${layerId}"]`
}

/** The page's layer records (empty until the editor has mounted). */
export function pageLayers(page: Page): Promise<LayerRecord[]> {
  return page.evaluate(() => (window as unknown as LayersWindow).__stipLayers?.() ?? [])
}

/** Waits for the layer named `name` to exist in the page, and returns its id. */
export async function waitForLayerNamed(page: Page, name: string): Promise<string> {
  try {
    const handle = await page.waitForFunction(
      (wanted) => (window as unknown as LayersWindow).__stipLayers?.().find((layer) => layer.name === wanted)?.id,
      name,
      WAIT,
    )
    return (await handle.jsonValue()) as string
  } catch (error) {
    const names = (await pageLayers(page)).map((layer) => layer.name)
    throw new Error(`No layer named "${name}" appeared (layers: ${JSON.stringify(names)}): ${String(error)}`)
  }
}

/**
 * Adds a layer with the panel: the top-level "+" (`parentId` null) or the parent row's "+",
 * types the name, confirms with Enter. Returns the new layer's id once the server of `env`
 * lists it too, so the test may go on to ask the server about it (a scoped link) or open
 * another browser in it: the page has the layer before its socket has delivered it.
 */
export async function addLayerWithPanel(
  page: Page,
  parentId: string | null,
  name: string,
  env: BoardServer,
): Promise<string> {
  const button =
    parentId === null
      ? page.locator('[data-testid="layer-panel"] [data-testid="layer-add"]')
      : page.locator(`${rowSelector(parentId)} [data-testid="layer-add-child"]`)
  await button.click()
  const input = page.locator('[data-testid="layer-name-input"]')
  await input.fill(name)
  await input.press('Enter')
  await input.waitFor({ state: 'detached', timeout: 5_000 })
  const id = await waitForLayerNamed(page, name)
  await waitForServerLayer(env, id)
  return id
}

/** Makes `layerId` the active layer (where new shapes go) by clicking its name in the panel. */
export async function setActiveLayer(page: Page, layerId: string): Promise<void> {
  await page.locator(`${rowSelector(layerId)} .stip-layer-row__name`).click()
  await page.waitForSelector(`${rowSelector(layerId)}[data-active="true"]`, { state: 'attached', timeout: 5_000 })
}

/** A shape's `meta.layerId` in the page's editor (undefined if it has none or is missing). */
export function shapeLayerId(page: Page, shapeId: string): Promise<string | undefined> {
  return page.evaluate((id) => {
    const shape = (window as unknown as StipWindow).__stipEditor.getShape(id)
    return shape?.meta?.layerId as string | undefined
  }, shapeId)
}

/** What of `ids` tldraw renders: in its rendering shapes, and as `.tl-shape` elements. */
export interface Rendered {
  rendering: string[]
  dom: string[]
}

export function renderedAmong(page: Page, ids: string[]): Promise<Rendered> {
  return page.evaluate((wanted) => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const rendering = new Set<string>(
      // biome-ignore lint/suspicious/noExplicitAny: tldraw rendering shapes
      editor.getCurrentPageRenderingShapesSorted().map((shape: any) => String(shape.id)),
    )
    const dom = new Set(
      [...document.querySelectorAll('.tl-shape[data-shape-id]')].map((element) =>
        element.getAttribute('data-shape-id'),
      ),
    )
    return {
      rendering: wanted.filter((id) => rendering.has(id)),
      dom: wanted.filter((id) => dom.has(id)),
    }
  }, ids)
}

/**
 * Waits until exactly `shown` of `shown ∪ hidden` are rendered (both by tldraw's rendering
 * list and in the DOM).
 */
export async function waitForRendered(
  page: Page,
  { shown, hidden }: { shown: string[]; hidden: string[] },
  { timeoutMs = 10_000, message = 'the expected shapes to be rendered' } = {},
): Promise<void> {
  const all = [...shown, ...hidden]
  const want = JSON.stringify([...shown].sort())
  const deadline = Date.now() + timeoutMs
  let last: Rendered = { rendering: [], dom: [] }
  for (;;) {
    last = await renderedAmong(page, all)
    if (JSON.stringify([...last.rendering].sort()) === want && JSON.stringify([...last.dom].sort()) === want) return
    if (Date.now() >= deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${message}: wanted shown ${want}, hidden ${JSON.stringify(hidden)}; ` +
          `rendering ${JSON.stringify(last.rendering)}, DOM ${JSON.stringify(last.dom)}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The breadcrumb's names in order, and which one is current (empty when it is not shown). */
export async function breadcrumb(page: Page): Promise<{ names: string[]; current: string | null }> {
  const nav = page.locator('[data-testid="breadcrumb"]')
  if ((await nav.count()) === 0) return { names: [], current: null }
  const names = (await nav.locator('li').allInnerTexts()).map((text) => text.trim())
  const current = await nav
    .locator('[aria-current="page"]')
    .getAttribute('data-layer-id', { timeout: 1_000 })
    .catch(() => null)
  return { names, current }
}

/** The capability link that opens `layerId`'s own URL (`/b/<board>/l/<layer>#token=…`). */
export function layerLink(baseUrl: string, boardId: string, layerId: string, token: string): string {
  return `${baseUrl}${layerPath(boardId, layerId)}#token=${token}`
}

/**
 * Opens `layerId`'s menu and clicks its item `itemTestId`, as a person does: under load a
 * click on the "⋯" button can land while the panel still re-renders (another row's menu
 * opens, or none), so the menu is opened again until it is this row's and shows the item.
 */
export async function chooseFromLayerMenu(page: Page, layerId: string, itemTestId: string): Promise<void> {
  const button = page.locator(`${rowSelector(layerId)} [data-testid="layer-menu"]`)
  const item = page.locator(`[data-testid="${itemTestId}"]`)
  const deadline = Date.now() + 30_000
  for (;;) {
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click()
    if (await item.isVisible()) break
    await item.waitFor({ state: 'visible', timeout: 2_000 }).catch(() => {})
    if (await item.isVisible()) break
    if (Date.now() > deadline) throw new Error(`the menu of layer ${layerId} never showed "${itemTestId}"`)
  }
  await item.click()
}
