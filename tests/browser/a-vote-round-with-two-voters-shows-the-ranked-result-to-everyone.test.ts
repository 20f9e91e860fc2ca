/**
 * Sanne opens a dot-voting round on the milestones, two votes each, results at the end.
 * Anne and Bram vote by clicking the dots on the milestones; each sees their own votes left
 * and nobody sees a count while the round runs (the wall display neither). Sanne closes
 * the round: the ranked result shows in her panel, on Anne's screen and on the display,
 * with the counts on the items. With STIP_DOCS_SCREENSHOTS=1 it writes docs/vote-result.png.
 */
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, openAs, type Person } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { displayLink } from '../helpers/display.ts'
import { milestoneRecord, openPanel } from '../helpers/facilitator.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords } from '../helpers/records.ts'

const docsFile = (name: string) =>
  process.env.STIP_DOCS_SCREENSHOTS === '1' ? fileURLToPath(new URL(`../../docs/${name}`, import.meta.url)) : undefined

/** The ranked rows of the page's first result list: [title, votes]. */
async function rankedRows(page: Page): Promise<[string, number][]> {
  const rows = page.locator('[data-testid="vote-results"]').first().locator('[data-testid="vote-result-row"]')
  await rows.first().waitFor({ timeout: 10_000 })
  const out: [string, number][] = []
  for (const row of await rows.all()) {
    out.push([
      (await row.locator('.stip-vote-results__title').textContent()) ?? '',
      Number(await row.getAttribute('data-votes')),
    ])
  }
  return out
}

async function vote(page: Page, shapeId: string): Promise<void> {
  const before = Number(await page.locator('[data-testid="votes-left"]').getAttribute('data-left'))
  await page.locator(`[data-testid="vote-dot"][data-shape="${shapeId}"]`).click()
  await page.waitForSelector(`[data-testid="votes-left"][data-left="${before - 1}"]`, { timeout: 5_000 })
}

describe('a dot-voting round', () => {
  let browser: Browser
  let env: BoardServer
  let seed: ProviderClient
  const people: Person[] = []

  beforeAll(async () => {
    env = await startBoardServer()
    browser = await launchBrowser()
    seed = await connectProvider(env.server.wsUrl, env.board.id, env.board.tokens.facilitator)
    putRecords(seed.doc, [
      milestoneRecord('shape:loket', 'Eén digitaal loket', -500, 500),
      milestoneRecord('shape:data', 'Data op orde', 0, 500),
      milestoneRecord('shape:scholing', 'Iedereen digivaardig', 500, 500),
    ])
  })

  afterAll(async () => {
    for (const person of people) await person.close()
    seed?.destroy()
    await browser?.close()
    await env?.server.stop()
  })

  it('counts two voters’ dots on the server and shows the ranked result once it closes', async () => {
    const display = await openAs(browser, displayLink(env.board.links.display), 'Wandscherm')
    const sanne = await openAs(browser, env.board.links.facilitator, 'Sanne')
    const anne = await openAs(browser, env.board.links.participant, 'Anne')
    const bram = await openAs(browser, env.board.links.participant, 'Bram')
    people.push(display, sanne, anne, bram)

    await openPanel(sanne.page, 'voting')
    await sanne.page.locator('[data-testid="voting-votes"]').fill('2')
    await sanne.page.locator('[data-testid="voting-targets"]').selectOption('milestones')
    await sanne.page.locator('[data-testid="voting-results"]').selectOption('end')
    await sanne.page.locator('[data-testid="voting-open"]').click()

    for (const voter of [anne, bram]) {
      await voter.page.waitForSelector('[data-testid="votes-left"][data-left="2"]', { timeout: 10_000 })
    }
    await vote(anne.page, 'shape:data')
    await vote(anne.page, 'shape:loket')
    await vote(bram.page, 'shape:data')
    await vote(bram.page, 'shape:scholing')
    // Anne's votes are hers; Bram sees his own only, and no totals anywhere while it runs.
    expect(await anne.page.locator('[data-testid="vote-dot"][data-shape="shape:data"]').getAttribute('data-mine')).toBe(
      '1',
    )
    expect(
      await bram.page.locator('[data-testid="vote-dot"][data-shape="shape:loket"]').getAttribute('data-mine'),
    ).toBe('0')
    for (const page of [anne.page, bram.page]) {
      expect(await page.locator('[data-testid="vote-dot"][data-total]:not([data-total="0"])').count()).toBe(0)
    }
    expect(await display.page.locator('[data-testid="vote-count"]').count()).toBe(0)
    expect(await sanne.page.locator('[data-testid="vote-result-row"]').count()).toBe(0)

    await sanne.page.locator('[data-testid="voting-close"]').click()
    const expected: [string, number][] = [
      ['Data op orde', 2],
      ['Eén digitaal loket', 1],
      ['Iedereen digivaardig', 1],
    ]
    expect(await rankedRows(sanne.page)).toEqual(expected)
    expect(await rankedRows(anne.page)).toEqual(expected)
    expect(await rankedRows(display.page)).toEqual(expected)
    await display.page.waitForSelector('[data-testid="vote-count"][data-shape="shape:data"]:has-text("2")', {
      timeout: 5_000,
    })
    const shot = docsFile('vote-result.png')
    if (shot) await anne.page.screenshot({ path: shot })
  })
})
