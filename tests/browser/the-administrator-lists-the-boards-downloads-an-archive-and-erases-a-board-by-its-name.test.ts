/**
 * The administrator's page, as Erik uses it: he opens `/admin`, types the admin token and
 * sees every board with its name, size on disk, versions and connections now (one person
 * is connected to one board, which has one saved version). He downloads a board's archive
 * (a ZIP with the board's records; this server has no Chromium, and the page says the PDF
 * is missing and why), then erases the other board: a wrong name erases nothing, its exact
 * name erases it, and the audit log shows both the export and the erasure. axe finds no
 * serious or critical violation on the page.
 */
import fs from 'node:fs/promises'
import { strFromU8, unzipSync } from 'fflate'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, createBoard, type TestBoard } from '../helpers/api.ts'
import { expectNoSeriousViolations } from '../helpers/axe.ts'
import { launchBrowser, newPerson, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'

const ADMIN = `${'e'.repeat(32)}-admin-page-test`

describe('the administrator’s page', () => {
  let browser: Browser
  let env: BoardServer
  let practice: TestBoard
  let anna: ProviderClient
  let erik: Person

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030', { adminToken: ADMIN, chromium: '/nonexistent/chromium' })
    practice = await createBoard(env.server.url, 'Oefenbord')
    const saved = await api(env.server.url, routePath(ROUTES.versions, { boardId: env.board.id }), {
      token: env.board.tokens.facilitator,
      json: { name: 'Iteratie 1' },
    })
    expect(saved.status).toBe(201)
    anna = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.participant)
    browser = await launchBrowser()
    erik = await newPerson(browser, 'Erik', { locale: 'nl-NL', acceptDownloads: true })
    await erik.page.goto(`${env.server.url}${ROUTES.adminPage}`)
    await erik.page.getByLabel('Beheerderstoken').fill(ADMIN)
    await erik.page.getByRole('button', { name: 'Openen' }).click()
    await erik.page.locator('[data-testid="admin-boards"]').waitFor({ timeout: 10_000 })
  })

  afterAll(async () => {
    anna?.destroy()
    await erik?.close()
    await browser?.close()
    await env?.server.stop()
  })

  const row = (boardId: string) => erik.page.locator(`[data-testid="admin-boards"] tr[data-board="${boardId}"]`)
  const cells = (boardId: string) => row(boardId).locator('td').allTextContents()

  it('lists every board with its name, size, versions and connections', async () => {
    const [name, , , size, versions, connections] = await cells(env.board.id)
    expect(name).toBe('Voorbeeld Digitaal 2030')
    expect(size).toMatch(/^\d+\.\d\d MB$/)
    expect(versions).toBe('1')
    expect(connections).toBe('1')
    const [otherName, , , , otherVersions, otherConnections] = await cells(practice.id)
    expect([otherName, otherVersions, otherConnections]).toEqual(['Oefenbord', '0', '0'])
    await expectNoSeriousViolations(erik.page, 'the administrator’s page')
  })

  it('downloads a board’s archive and says the PDF is missing without Chromium', async () => {
    const [download] = await Promise.all([
      erik.page.waitForEvent('download', { timeout: 30_000 }),
      row(env.board.id).getByRole('button', { name: 'Archief (ZIP)' }).click(),
    ])
    const files = unzipSync(new Uint8Array(await fs.readFile(await download.path())))
    expect(Object.keys(files)).toContain('records.json')
    expect(JSON.parse(strFromU8(files['stip-archive.json'])).board.name).toBe('Voorbeeld Digitaal 2030')
    await expect
      .poll(() => erik.page.locator('[data-testid="admin-notice"]').textContent(), { timeout: 5_000 })
      .toContain('zonder PDF: de server heeft geen Chromium')
  })

  it('erases a board only after its exact name is typed', async () => {
    erik.page.once('dialog', (dialog) => void dialog.accept('Oefen'))
    await row(practice.id).getByRole('button', { name: 'Wissen' }).click()
    await expect
      .poll(() => erik.page.locator('[data-testid="admin-notice"]').textContent(), { timeout: 5_000 })
      .toBe('De naam klopt niet; er is niets gewist.')
    expect(env.server.server.store.getBoard(practice.id)).toBeDefined()

    erik.page.once('dialog', (dialog) => void dialog.accept('Oefenbord'))
    await row(practice.id).getByRole('button', { name: 'Wissen' }).click()
    await row(practice.id).waitFor({ state: 'detached', timeout: 5_000 })
    expect(await erik.page.locator('[data-testid="admin-notice"]').textContent()).toBe('Het bord is gewist.')
    expect(env.server.server.store.getBoard(practice.id)).toBeUndefined()
    expect(await row(env.board.id).count()).toBe(1)
    const audit = await erik.page.locator('[data-testid="admin-audit"] li').allTextContents()
    expect(audit[0]).toContain(`board-erased · admin · ${practice.id}`)
    expect(audit[1]).toContain(`archive-exported · admin · ${env.board.id}`)
    await expectNoSeriousViolations(erik.page, 'the administrator’s page after an erasure')
  })
})
