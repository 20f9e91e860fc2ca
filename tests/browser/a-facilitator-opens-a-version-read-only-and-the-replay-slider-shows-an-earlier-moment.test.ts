/**
 * A facilitator looks back. A board from the horizon template grows over sync, shape by
 * shape, a named version is saved half-way, and later a shape is deleted. Opening the
 * version shows it read-only, framed with its name, holding exactly the version's shapes.
 * The replay's slider, set to an earlier moment, shows the board as it was then: the shape
 * count on the canvas matches the history for that moment; the last moment is the board
 * now; play moves on by itself. With STIP_DOCS_SCREENSHOTS=1 it writes docs/replay.png.
 */
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { CreateBoardResponse } from '../../shared/api.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import type { HistoryInfoResponse, VersionInfo } from '../../shared/historyApi.ts'
import { authorizationHeader, ROUTES, routePath } from '../../shared/routes.ts'
import { historyPath, versionPath } from '../../shared/versions.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { launchBrowser, newPerson, type Person } from '../helpers/browser.ts'
import { connectProvider } from '../helpers/provider.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const DOCS_SCREENSHOT =
  process.env.STIP_DOCS_SCREENSHOTS === '1'
    ? fileURLToPath(new URL('../../docs/replay.png', import.meta.url))
    : undefined

/** Shapes on the read-only canvas of the page. */
const canvasShapes = (page: Page) =>
  page.evaluate(() => {
    const editor = (window as unknown as { __stipPastEditor?: { getCurrentPageShapes(): unknown[] } }).__stipPastEditor
    return editor ? editor.getCurrentPageShapes().length : -1
  })

describe('looking back at a board', () => {
  let server: TestServer
  let browser: Browser
  let sanne: Person
  let board: CreateBoardResponse
  let token: string
  let version: VersionInfo

  beforeAll(async () => {
    server = await startTestServer()
    const created = await api<CreateBoardResponse>(server.url, ROUTES.boards, {
      json: {
        name: 'Gemeente Voorbeeld 2030',
        template: 'horizon',
        departments: ['Sociaal domein', 'Ruimte', 'Digitaal'],
      },
    })
    board = created.body
    token = tokenFromLink(board.links.facilitator)
    const client = await connectProvider(server.wsUrl, board.id, token)
    const rows = () => server.server.store.historyInfo(board.id).rows
    for (let i = 0; i < 6; i++) {
      const before = rows()
      const shape = shapeRecord(`shape:grow${i}`)
      const props = { ...(shape.props as object), w: 150, h: 90, fill: 'solid', color: 'light-blue' }
      putRecords(client.doc, [{ ...shape, x: -300 + i * 190, y: 1150, props }])
      await waitFor(() => rows() > before, { message: `shape ${i} stored` })
      if (i === 2) {
        const saved = await api<VersionInfo>(server.url, routePath(ROUTES.versions, { boardId: board.id }), {
          token,
          json: { name: 'Iteratie 1 — halverwege' },
        })
        version = saved.body
      }
    }
    const before = rows()
    getRecordsMap(client.doc).delete('shape:grow0')
    await waitFor(() => rows() > before, { message: 'the delete stored' })
    client.destroy()
    browser = await launchBrowser()
    sanne = await newPerson(browser, 'Sanne', { locale: 'nl-NL' })
  })

  afterAll(async () => {
    await sanne?.close()
    await browser?.close()
    await server?.stop()
  })

  /** The shape count of the board after each moment, read from the history API. */
  async function historyCounts(moments: HistoryInfoResponse['moments']): Promise<number[]> {
    const counts: number[] = []
    for (const moment of moments) {
      const response = await fetch(
        new URL(`${routePath(ROUTES.historyState, { boardId: board.id })}?seq=${moment.seq}`, server.url),
        { headers: { authorization: authorizationHeader(token) } },
      )
      const doc = new Y.Doc()
      Y.applyUpdate(doc, new Uint8Array(await response.arrayBuffer()))
      counts.push([...getRecordsMap(doc).keys()].filter((id) => id.startsWith('shape:')).length)
    }
    return counts
  }

  it('opens a version read-only, framed with its name, holding the version’s shapes', async () => {
    const { page } = sanne
    await page.goto(`${server.url}${versionPath(board.id, version.id)}#token=${token}`)
    const frame = page.getByTestId('version-frame')
    await frame.waitFor({ timeout: 30_000 })
    await expect(frame.locator('h1').textContent()).resolves.toBe('Iteratie 1 — halverwege')
    await expect(page.getByTestId('version-frame-text').textContent()).resolves.toContain(
      'Dit is versie "Iteratie 1 — halverwege"',
    )
    const content = await api<{ records: { id: string }[] }>(
      server.url,
      routePath(ROUTES.version, { boardId: board.id, versionId: version.id }),
      { token },
    )
    const expected = content.body.records.filter((record) => record.id.startsWith('shape:')).length
    await page.waitForFunction(
      (count) =>
        (
          window as unknown as { __stipPastEditor?: { getCurrentPageShapes(): unknown[] } }
        ).__stipPastEditor?.getCurrentPageShapes().length === count,
      expected,
      { timeout: 15_000 },
    )
    const shapeIds = await page.evaluate(() =>
      (window as unknown as { __stipPastEditor: { getCurrentPageShapes(): { id: string }[] } }).__stipPastEditor
        .getCurrentPageShapes()
        .map((shape) => shape.id)
        .filter((id) => id.startsWith('shape:grow')),
    )
    expect(shapeIds.sort()).toEqual(['shape:grow0', 'shape:grow1', 'shape:grow2'])
    expect(
      await page.evaluate(
        () =>
          (
            window as unknown as { __stipPastEditor: { getInstanceState(): { isReadonly: boolean } } }
          ).__stipPastEditor.getInstanceState().isReadonly,
      ),
    ).toBe(true)
  })

  it('shows the board at an earlier moment on the slider, with the shape count of the history', async () => {
    const { page } = sanne
    const info = await api<HistoryInfoResponse>(server.url, routePath(ROUTES.history, { boardId: board.id }), { token })
    const moments = info.body.moments
    const counts = await historyCounts(moments)
    expect(counts.at(-1)).toBeLessThan(Math.max(...counts)) // the delete at the end
    await page.goto(`${server.url}${historyPath(board.id)}#token=${token}`)
    const slider = page.getByTestId('replay-slider')
    await slider.waitFor({ timeout: 30_000 })
    // It opens at the last moment: the board as it is now.
    const last = moments.length - 1
    await page.waitForFunction(
      (i) => document.querySelector('[data-testid="replay-moment"]')?.getAttribute('data-index') === String(i),
      last,
    )
    await expect.poll(() => canvasShapes(page), { timeout: 10_000 }).toBe(counts[last])
    // An earlier moment: three of the six shapes drawn.
    const earlier = counts.findIndex((count) => count === counts[0] + 3)
    expect(earlier).toBeGreaterThan(0)
    await slider.fill(String(earlier))
    await page.waitForFunction(
      (i) => document.querySelector('[data-testid="replay-moment"]')?.getAttribute('data-index') === String(i),
      earlier,
    )
    await expect.poll(() => canvasShapes(page), { timeout: 10_000 }).toBe(counts[earlier])
    await expect(page.getByTestId('replay-shape-count').textContent()).resolves.toBe(`${counts[earlier]} vormen`)
    // Back to the very start, then play: it moves on by itself.
    await slider.fill('0')
    await expect.poll(() => canvasShapes(page), { timeout: 10_000 }).toBe(counts[0])
    await page.getByTestId('replay-play').click()
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="replay-moment"]')?.getAttribute('data-index')) > 0,
      undefined,
      { timeout: 10_000 },
    )
    await page.getByTestId('replay-play').click() // pause
    if (DOCS_SCREENSHOT) {
      await slider.fill(String(earlier + 1))
      await expect.poll(() => canvasShapes(page), { timeout: 10_000 }).toBe(counts[earlier + 1])
      await page.screenshot({ path: DOCS_SCREENSHOT })
    }
  })
})
