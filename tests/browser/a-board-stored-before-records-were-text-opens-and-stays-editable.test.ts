/**
 * Boards made before records were stored as JSON text hold plain objects in the `records`
 * map. After an upgrade such a board must open as it was, and a record someone changes is
 * written back in today's form (text), readable by everyone.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeRecord, getRecordsMap } from '../../shared/doc.ts'
import { launchBrowser, openAs, type StipWindow } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { geoShape } from '../helpers/display.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { waitFor } from '../helpers/wait.ts'

const ID = 'shape:from-an-older-stip'

describe('a board stored before records were text', () => {
  let browser: Browser
  let env: BoardServer
  let older: ProviderClient

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
    older = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
  })

  afterAll(async () => {
    older?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it('opens with its shapes, and a changed record is written back as text', async () => {
    const records = getRecordsMap(older.doc)
    // What an older Stip wrote: the record itself, not its JSON text.
    older.doc.transact(() => records.set(ID, geoShape(ID, { x: 400, y: 300 })))

    const anna = await openAs(browser, env.board.links.facilitator, 'Anna')
    const x = await waitFor(
      () => anna.page.evaluate((id) => (window as unknown as StipWindow).__stipEditor?.getShape(id as never)?.x, ID),
      { timeoutMs: 10_000, message: 'the older shape in the editor' },
    )
    expect(x).toBe(400)

    await anna.page.evaluate(
      (id) =>
        void (window as unknown as StipWindow).__stipEditor?.updateShape({ id: id as never, type: 'geo', x: 640 }),
      ID,
    )
    const stored = await waitFor(() => (typeof records.get(ID) === 'string' ? records.get(ID) : undefined), {
      timeoutMs: 10_000,
      message: 'the changed record to come back as text',
    })
    expect(decodeRecord(stored, ID)).toMatchObject({ id: ID, x: 640, y: 300 })
    await anna.close()
  })
})
