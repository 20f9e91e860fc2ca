/**
 * A browser set to Dutch gets Stip's own texts (name dialog, connection status) and
 * tldraw's UI (toolbar labels) in Dutch; the language switch turns both to English.
 * tldraw's words come from its own translation files (@tldraw/assets/translations), so the
 * expected labels are read from there rather than typed here.
 */
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  answerNameDialog,
  launchBrowser,
  newPerson,
  waitForConnectionState,
  waitForEditor,
} from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'

type Translations = Record<string, string>
const readTranslations = (file: string): Translations =>
  JSON.parse(readFileSync(new URL(`../../node_modules/@tldraw/assets/translations/${file}`, import.meta.url), 'utf8'))
const tldrawNl = readTranslations('nl.json')
const tldrawEn = readTranslations('main.json')

describe('the Dutch UI', () => {
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

  it('shows Dutch labels, and the language switch changes them to English', async () => {
    expect(tldrawNl['tool.select']).not.toBe(tldrawEn['tool.select'])
    expect(tldrawNl['tool.rectangle']).not.toBe(tldrawEn['tool.rectangle'])

    const person = await newPerson(browser, 'Sanne', { locale: 'nl-NL' })
    const { page } = person
    await page.goto(env.board.links.participant)

    // Stip's own texts, before anything else: the name dialog.
    const dialog = page.locator('[data-testid="name-dialog"]')
    await dialog.waitFor({ state: 'visible', timeout: 30_000 })
    await expect.poll(() => dialog.locator('h2').textContent()).toBe('Hoe heet je?')
    expect(await dialog.locator('[data-testid="name-submit"]').textContent()).toBe('Meedoen')
    expect(await answerNameDialog(page, 'Sanne')).toBe(true)

    await waitForEditor(page)
    await waitForConnectionState(page, 'connected')
    const status = page.locator('[data-testid="connection-status"]')
    expect(await status.textContent()).toBe('Verbonden')
    expect(await page.locator('[data-testid="language-switch"]').textContent()).toBe('English')

    // tldraw's toolbar, in tldraw's own Dutch.
    await expectToolLabels(page, 'nl', tldrawNl)

    await page.locator('[data-testid="language-switch"]').click()

    await expect.poll(() => status.textContent(), { timeout: 5_000 }).toBe('Connected')
    expect(await page.locator('[data-testid="language-switch"]').textContent()).toBe('Nederlands')
    await expectToolLabels(page, 'en', tldrawEn)
  })
})

/**
 * The select and rectangle tool buttons are labelled from `translations`: tldraw's
 * aria-label is the label, then the keyboard shortcut ("Selecteer — V").
 */
async function expectToolLabels(page: Page, language: string, translations: Translations): Promise<void> {
  for (const tool of ['select', 'rectangle']) {
    const button = page.locator(`[data-testid="tools.${tool}"]`)
    await expect
      .poll(async () => (await button.getAttribute('aria-label'))?.split(' — ')[0], {
        timeout: 10_000,
        message: `the ${tool} tool's label in ${language}`,
      })
      .toBe(translations[`tool.${tool}`])
  }
}
