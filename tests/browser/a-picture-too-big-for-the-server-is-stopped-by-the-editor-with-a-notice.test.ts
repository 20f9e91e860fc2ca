/**
 * tldraw inlines a picture into its asset record; one of the 10 MB it takes by default held
 * the server's loop for about 75 ms, so the server's asset limit is what a 3 MiB picture
 * becomes. The editor is told the same limit (`maxImageBytes` in `GET /api/config`): a
 * bigger picture is stopped in the browser with tldraw's "too big" notice naming the
 * limit, nothing is sent and the connection stays up; a small picture still reaches the
 * others.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { launchBrowser, openAs, type StipWindow, waitForConnectionState } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { waitFor } from '../helpers/wait.ts'

const assets = (client: RawClient) => [...getRecordsMap(client.doc).keys()].filter((id) => id.startsWith('asset:'))

describe('a picture too big for the server', () => {
  let browser: Browser
  let env: BoardServer

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
  })

  afterAll(async () => {
    await browser?.close()
    await env?.server.stop()
  })

  it('is stopped by the editor with a notice, and a small one still arrives', async () => {
    const watcher = await RawClient.connect(env.server.wsUrl, env.board.id, env.board.tokens.facilitator, {
      sendLocalUpdates: false,
    })
    await watcher.waitForSync()
    const anna = await openAs(browser, env.board.links.participant, 'Anna')
    const { page } = anna

    // A 4 MiB "PNG": tldraw checks the size before it reads the picture.
    await page.evaluate(async () => {
      const editor = (window as unknown as StipWindow).__stipEditor
      const file = new File([new Uint8Array(4 * 1024 * 1024)], 'foto.png', { type: 'image/png' })
      await editor.putExternalContent({ type: 'files', files: [file], point: { x: 0, y: 0 } }).catch(() => {})
    })
    await page.locator('.tlui-toast__container', { hasText: '3 MB' }).waitFor({ timeout: 10_000 })
    await waitForConnectionState(page, 'connected')

    const small = await page.evaluate(async () => {
      const canvas = document.createElement('canvas')
      canvas.width = 4
      canvas.height = 3
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
      if (!blob) return false
      const editor = (window as unknown as StipWindow).__stipEditor
      await editor.putExternalContent({
        type: 'files',
        files: [new File([blob], 'klein.png', { type: 'image/png' })],
        point: { x: 0, y: 0 },
      })
      return true
    })
    expect(small).toBe(true)
    await waitFor(() => assets(watcher).length === 1, { timeoutMs: 10_000, message: 'the small picture to arrive' })
    await watcher.roundTrip()
    expect(assets(watcher)).toHaveLength(1)
    expect(watcher.closeInfo).toBeNull()
    await waitForConnectionState(page, 'connected')
    expect(anna.errors).toEqual([])
    await anna.close()
    await watcher.close()
  })
})
