/**
 * Chromium for the browser tests: one browser per test file, one browser context per
 * simulated person [1], and the few steps every test repeats — open a capability link as a
 * named person, wait for the board to be connected, draw a rectangle with the mouse, read
 * the shapes back out of the page's tldraw editor (`window.__stipEditor`).
 *
 * Every wait is bounded, so a broken client fails a test with a message that says what it
 * waited for instead of hanging it.
 *
 * [1] tldraw's store listener runs on animation frames and a background tab gets none, so a
 *     second tab in the same context would stall. Contexts also keep localStorage and
 *     IndexedDB apart, like two laptops.
 */
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.STIP_CHROMIUM ?? '/usr/bin/chromium'

/** Room for tldraw's full desktop toolbar and style panel. */
export const VIEWPORT = { width: 1280, height: 800 }

/** How long a page may take to load the (large) client bundle and connect. */
export const OPEN_TIMEOUT_MS = 30_000

/** Launches headless Debian Chromium; never downloads a browser. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  })
}

/** A simulated person: their own browser context (their own laptop) and one page. */
export interface Person {
  name: string
  context: BrowserContext
  page: Page
  /** Uncaught page errors, for the failure message when something goes wrong. */
  errors: string[]
  close(): Promise<void>
}

export interface OpenOptions {
  /** Extra context options (`locale`, `bypassCSP`, …). */
  context?: BrowserContextOptions
  /** Called before the link is opened, e.g. to record requests from the very first one. */
  beforeOpen?: (person: Person) => void | Promise<void>
  /** Wait for `connection-status` to be `connected` (default true). */
  waitConnected?: boolean
  timeoutMs?: number
}

/** Opens a new context and page for `name`, without navigating. */
export async function newPerson(browser: Browser, name: string, options: BrowserContextOptions = {}): Promise<Person> {
  const context = await browser.newContext({ viewport: VIEWPORT, ...options })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  return { name, context, page, errors, close: () => context.close() }
}

/**
 * Opens `link` as a new person `name`: answers the name dialog if it shows, waits until the
 * editor is mounted and the board is connected.
 */
export async function openAs(browser: Browser, link: string, name: string, options: OpenOptions = {}): Promise<Person> {
  const person = await newPerson(browser, name, options.context)
  try {
    await options.beforeOpen?.(person)
    await person.page.goto(link)
    await joinBoard(person.page, name, options)
  } catch (error) {
    const detail = person.errors.length ? `\nPage errors:\n${person.errors.join('\n')}` : ''
    await person.close()
    throw new Error(`${name} could not open ${link}: ${String(error)}${detail}`)
  }
  return person
}

/** On an already loaded board page: fills the name dialog if asked, waits for the editor (and connection). */
export async function joinBoard(
  page: Page,
  name: string,
  { waitConnected = true, timeoutMs = OPEN_TIMEOUT_MS }: Pick<OpenOptions, 'waitConnected' | 'timeoutMs'> = {},
): Promise<void> {
  // The dialog may come before or after the editor mounts; wait for either.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="name-dialog"]') !== null ||
      ((window as unknown as StipWindow).__stipEditor !== undefined &&
        document.querySelector('[data-testid="connection-status"]') !== null),
    undefined,
    { timeout: timeoutMs, polling: 50 },
  )
  await answerNameDialog(page, name)
  await waitForEditor(page, timeoutMs)
  if (waitConnected) await waitForConnectionState(page, 'connected', timeoutMs)
  // The dialog can also appear right after the editor mounted.
  await answerNameDialog(page, name)
}

/** Fills and submits the name dialog if it is showing; returns whether it was. */
export async function answerNameDialog(page: Page, name: string): Promise<boolean> {
  const dialog = page.locator('[data-testid="name-dialog"]')
  if (!(await dialog.isVisible())) return false
  await dialog.locator('input').first().fill(name)
  await dialog.locator('[data-testid="name-submit"]').click()
  await dialog.waitFor({ state: 'hidden', timeout: 5_000 })
  return true
}

export type ConnectionState = 'connecting' | 'connected' | 'offline' | 'denied'

export async function waitForConnectionState(
  page: Page,
  state: ConnectionState,
  timeoutMs = OPEN_TIMEOUT_MS,
): Promise<void> {
  try {
    await page.waitForSelector(`[data-testid="connection-status"][data-state="${state}"]`, {
      state: 'attached',
      timeout: timeoutMs,
    })
  } catch (error) {
    const current = await page
      .locator('[data-testid="connection-status"]')
      .getAttribute('data-state', { timeout: 500 })
      .catch(() => 'missing')
    throw new Error(`connection-status never became "${state}" (it is "${current}"): ${String(error)}`)
  }
}

export async function waitForEditor(page: Page, timeoutMs = OPEN_TIMEOUT_MS): Promise<void> {
  await page.waitForFunction(() => (window as unknown as StipWindow).__stipEditor !== undefined, undefined, {
    timeout: timeoutMs,
    polling: 50,
  })
}

/** The slice of the page's globals the tests read, typed loosely on purpose (tldraw types stay in the page). */
export interface StipWindow {
  // biome-ignore lint/suspicious/noExplicitAny: the tldraw Editor, used only inside page.evaluate
  __stipEditor?: any
  // biome-ignore lint/suspicious/noExplicitAny: the Y.Doc, used only inside page.evaluate
  __stipDoc?: any
}

/** What the tests compare of a geo shape. */
export interface GeoShape {
  id: string
  x: number
  y: number
  w: number
  h: number
  geo: string
}

/** The geo shapes on the current page of the page's editor. */
export function geoShapes(page: Page): Promise<GeoShape[]> {
  return page.evaluate(() => {
    const editor = (window as unknown as StipWindow).__stipEditor
    // biome-ignore lint/suspicious/noExplicitAny: tldraw shape records
    return (editor.getCurrentPageShapes() as any[])
      .filter((shape) => shape.type === 'geo')
      .map((shape) => ({
        id: String(shape.id),
        x: Number(shape.x),
        y: Number(shape.y),
        w: Number(shape.props.w),
        h: Number(shape.props.h),
        geo: String(shape.props.geo),
      }))
  })
}

/** Waits until the page's editor has a geo shape matching `predicate`, and returns it. */
export async function waitForGeoShape(
  page: Page,
  predicate: (shape: GeoShape) => boolean,
  { timeoutMs = 10_000, message = 'a matching geo shape' }: { timeoutMs?: number; message?: string } = {},
): Promise<GeoShape> {
  const deadline = Date.now() + timeoutMs
  let last: GeoShape[] = []
  for (;;) {
    last = await geoShapes(page)
    const found = last.find(predicate)
    if (found) return found
    if (Date.now() >= deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}; shapes: ${JSON.stringify(last)}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** True when `shape` has about the size `w`×`h` (tldraw may round, snap or add a pixel). */
export function hasSize(shape: GeoShape, w: number, h: number, tolerance = 4): boolean {
  return Math.abs(shape.w - w) <= tolerance && Math.abs(shape.h - h) <= tolerance
}

/** Selects the rectangle tool the way a person does: the toolbar button, or `r` if the toolbar hides it. */
export async function selectRectangleTool(page: Page): Promise<void> {
  const button = page.locator('[data-testid="tools.rectangle"]')
  if (await button.isVisible()) {
    await button.click()
  } else {
    await page.locator('.tl-canvas').first().focus()
    await page.keyboard.press('r')
  }
  await page.waitForFunction(
    () => {
      const editor = (window as unknown as StipWindow).__stipEditor
      return editor.getCurrentToolId() === 'geo'
    },
    undefined,
    { timeout: 5_000, polling: 20 },
  )
}

/** A point on the page, in CSS pixels of the viewport. */
export interface Point {
  x: number
  y: number
}

/**
 * Draws a rectangle from `from` to `to` (viewport pixels) with the mouse: selects the tool,
 * presses, drags in a few steps, releases. Returns the new shape as the drawing page sees it.
 */
export async function drawRectangle(page: Page, from: Point, to: Point): Promise<GeoShape> {
  const before = new Set((await geoShapes(page)).map((shape) => shape.id))
  await selectRectangleTool(page)
  await page.mouse.move(from.x, from.y)
  await page.mouse.down()
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 })
  await page.mouse.move(to.x, to.y, { steps: 4 })
  await page.mouse.up()
  const zoom = await page.evaluate(() => (window as unknown as StipWindow).__stipEditor.getZoomLevel() as number)
  const w = Math.abs(to.x - from.x) / zoom
  const h = Math.abs(to.y - from.y) / zoom
  return waitForGeoShape(page, (shape) => !before.has(shape.id) && hasSize(shape, w, h), {
    timeoutMs: 5_000,
    message: `the drawn ${w}×${h} rectangle in ${await page.title()}`,
  })
}

/** Median of a non-empty list of numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
