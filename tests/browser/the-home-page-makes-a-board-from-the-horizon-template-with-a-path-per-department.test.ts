/**
 * The home page offers "Start met de sjabloon 'Stip op de horizon'" (chosen unless the
 * person picks otherwise) and "Leeg bord". With the template and three department names,
 * one per line, the board it makes has a layer with one path to the north star per
 * department (read through the paths API with the participant link the page shows). An
 * empty board gets no rhythm and no paths; a name typed twice is refused on the page, in
 * Dutch, before anything is sent.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { tokenFromLink } from '../helpers/api.ts'
import { launchBrowser, newPerson, OPEN_TIMEOUT_MS, type Person } from '../helpers/browser.ts'
import { fetchPaths } from '../helpers/paths.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

async function createOnHomePage(page: Page, fill: (page: Page) => Promise<void>): Promise<string> {
  await page.locator('[data-testid="create-board"] input[name="name"]').fill('Voorbeeld Digitaal 2030')
  await fill(page)
  await page.locator('[data-testid="create-board"] button[type="submit"]').click()
  const link = page.locator('[data-testid="link-participant"] input')
  await link.waitFor({ timeout: OPEN_TIMEOUT_MS })
  return link.inputValue()
}

describe('the home page', () => {
  let server: TestServer
  let browser: Browser
  let sanne: Person

  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
    sanne = await newPerson(browser, 'Sanne', { locale: 'nl-NL' })
  })

  afterAll(async () => {
    await sanne?.close()
    await browser?.close()
    await server?.stop()
  })

  it('makes a board from "Stip op de horizon" with a path per department', async () => {
    const { page } = sanne
    await page.goto(server.url)
    const horizon = page.getByLabel("Start met de sjabloon 'Stip op de horizon'")
    await horizon.waitFor({ timeout: OPEN_TIMEOUT_MS })
    expect(await horizon.isChecked()).toBe(true)
    const link = await createOnHomePage(page, (p) =>
      p.getByLabel('Afdelingen (niet verplicht)').fill('Sociaal domein\nPubliekszaken\n\n  Ruimte  \n'),
    )
    const boardId = new URL(link).pathname.split('/').at(-1) ?? ''
    const report = await fetchPaths(server.url, boardId, tokenFromLink(link))
    const departments = report.layers.filter((layer) => layer.parentId === ROOT_LAYER_ID)
    expect(departments.map((layer) => layer.name)).toEqual(['Sociaal domein', 'Publiekszaken', 'Ruimte'])
    expect(departments.map((layer) => layer.paths.map((path) => path.reachesNorthStar))).toEqual([
      [true],
      [true],
      [true],
    ])
    expect(report.rhythm.chosen).toBe(true)
    expect(sanne.errors).toEqual([])
  })

  it('makes an empty board when asked, with no rhythm and no paths', async () => {
    const { page } = sanne
    await page.goto(server.url)
    await page.getByLabel('Leeg bord').check()
    expect(await page.getByLabel('Afdelingen (niet verplicht)').count()).toBe(0)
    const link = await createOnHomePage(page, async () => {})
    const boardId = new URL(link).pathname.split('/').at(-1) ?? ''
    const report = await fetchPaths(server.url, boardId, tokenFromLink(link))
    expect(report.rhythm.chosen).toBe(false)
    expect(report.layers.map((layer) => layer.id)).toEqual([ROOT_LAYER_ID])
  })

  it('refuses a department named twice before sending anything', async () => {
    const { page } = sanne
    await page.goto(server.url)
    await page.locator('[data-testid="create-board"] input[name="name"]').fill('Dubbel')
    await page.getByLabel('Afdelingen (niet verplicht)').fill('Ruimte\nruimte')
    const requests: string[] = []
    page.on('request', (request) => {
      if (request.method() === 'POST') requests.push(request.url())
    })
    await page.locator('[data-testid="create-board"] button[type="submit"]').click()
    const error = page.locator('[data-testid="create-error"]')
    await error.waitFor({ timeout: OPEN_TIMEOUT_MS })
    expect(await error.textContent()).toBe('De afdeling "ruimte" staat er twee keer in.')
    expect(requests).toEqual([])
    expect(await page.locator('[data-testid="board-created"]').count()).toBe(0)
  })
})
