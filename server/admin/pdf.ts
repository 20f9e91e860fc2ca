/**
 * The board's PDF for its archive, rendered by the same client code that makes the
 * Export dialog's PDFs (`client/src/export/pdf.ts`), in headless Chromium on this machine:
 * tldraw draws only in a browser, so the server drives one (playwright-core, the system's
 * Chromium: `STIP_CHROMIUM`, default `/usr/bin/chromium`; Debian's package `chromium`).
 *
 * One render, start to end [1]:
 * 1. a short-lived internal grant for the board (`grants.ts`: read-only, in memory only);
 * 2. Chromium with a fresh profile (a temporary user-data dir that playwright makes and
 *    removes once the browser has exited) opens Stip's own internal page for the board
 *    (`/b/<board>/archive-pdf#token=…`) over loopback; every request that would leave this
 *    server's origin is aborted [2];
 * 3. the page registers `window.__stipBuildPdf` once the board is drawn; the server calls
 *    it and gets the PDF's bytes back;
 * 4. the browser is closed (its profile with it) and the grant revoked, whatever happened.
 *
 * Bounded: one Chromium at a time (renders wait in a queue), each render at most
 * `timeoutMs` (120 s) from launch to bytes. Without Chromium, or when it fails or times
 * out, the archive is made without the PDF and says why (`ArchivePdfStatus`).
 *
 * [1] Why a page and not the editor in Node: tldraw renders through the DOM (SVG,
 *     foreignObject text, canvas rasters); only a real browser draws it as people see it.
 * [2] The page is Stip's own and fetches only from its origin (the Content-Security-Policy
 *     says so too); aborting the rest makes "no request leaves the building" hold even if a
 *     dependency of the page one day tried.
 */
import fs from 'node:fs'
import type { Browser } from 'playwright-core'
import {
  ARCHIVE_PDF_HOOK,
  type ArchivePdfAnswer,
  type ArchivePdfRequest,
  type ArchivePdfStatus,
  archivePdfPath,
} from '../../shared/archivePdf.ts'
import { TOKEN_PARAM } from '../../shared/routes.ts'
import type { Logger } from '../log.ts'
import type { InternalGrants } from './grants.ts'

/** How long one render may take, launch to bytes. */
export const DEFAULT_PDF_TIMEOUT_MS = 120_000

/** Chromium's flags: no sandbox (a service account in a VM), nothing fetched on its own behalf. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export type PdfResult =
  | { status: 'included'; bytes: Uint8Array; ms: number }
  | { status: Exclude<ArchivePdfStatus, 'included'>; detail: string; ms: number }

export interface PdfRendererOptions {
  /** The Chromium executable, or null: no PDFs (`STIP_CHROMIUM=off`). */
  chromium: string | null
  timeoutMs: number
  grants: InternalGrants
  log: Logger
  /** This server on loopback, `http://127.0.0.1:<port>`; known once it listens. */
  baseUrl: () => string
}

class Timeout extends Error {}

export class ArchivePdfRenderer {
  /** The render running now; the next one starts after it. */
  private queue: Promise<unknown> = Promise.resolve()
  /** The last render's browser work, which may outlive its answer after a timeout. */
  private lingering: Promise<unknown> = Promise.resolve()
  /** The browser of the render running now, to close it when the server stops. */
  private browser: Browser | undefined

  constructor(private readonly options: PdfRendererOptions) {}

  /** Whether a Chromium is configured and present: an archive without one is made at once. */
  get available(): boolean {
    const { chromium } = this.options
    return chromium !== null && fs.existsSync(chromium)
  }

  /** Closes a browser that is rendering (its archive is made without the PDF) and waits for it to be gone. */
  async close(): Promise<void> {
    await this.browser?.close().catch(() => undefined)
    await this.lingering
  }

  /** The board's PDF as its archive holds it, or why there is none. Never throws. */
  render(boardId: string, request: ArchivePdfRequest): Promise<PdfResult> {
    const run = this.queue.then(() => this.renderNow(boardId, request))
    // The next render waits for this one's browser to be gone, even one that timed out.
    this.queue = run.catch(() => undefined).then(() => this.lingering)
    return run
  }

  private async renderNow(boardId: string, request: ArchivePdfRequest): Promise<PdfResult> {
    const started = Date.now()
    const ms = () => Date.now() - started
    const { chromium: executablePath, timeoutMs, grants, log } = this.options
    if (!executablePath || !this.available)
      return { status: 'no-chromium', detail: executablePath ? `no Chromium at ${executablePath}` : 'off', ms: 0 }
    const grant = grants.mint(boardId)
    let browser: Browser | undefined
    let finished = false
    /** Closes the browser; again when the work was late (a timeout). */
    const cleanUp = async () => {
      if (this.browser === browser) this.browser = undefined
      await browser?.close().catch(() => undefined)
    }
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Timeout(`no PDF within ${timeoutMs / 1000} s`)), timeoutMs)
    })
    const steps = async (): Promise<ArchivePdfAnswer> => {
      // Loaded when first needed: importing playwright-core cost every server start 0.3 s.
      const { chromium } = await import('playwright-core')
      browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: timeoutMs })
      this.browser = browser
      if (finished) throw new Timeout('launched too late')
      const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 1280, height: 800 } })
      const base = new URL(this.options.baseUrl())
      await context.route('**/*', (route) =>
        new URL(route.request().url()).origin === base.origin ? route.continue() : route.abort('blockedbyclient'),
      )
      const page = await context.newPage()
      page.setDefaultTimeout(timeoutMs)
      const address = new URL(archivePdfPath(boardId), base)
      address.hash = `${TOKEN_PARAM}=${grant.token}`
      await page.goto(address.href)
      await page.waitForFunction((hook) => hook in window, ARCHIVE_PDF_HOOK, { polling: 100 })
      return page.evaluate(
        ({ hook, request }) =>
          (window as unknown as Record<string, (request: ArchivePdfRequest) => Promise<ArchivePdfAnswer>>)[hook](
            request,
          ),
        { hook: ARCHIVE_PDF_HOOK, request },
      )
    }
    // Work that ends after the render gave up (a timeout) cleans up after itself.
    const work = () =>
      steps().catch(async (error: unknown) => {
        if (finished) await cleanUp()
        throw error
      })
    const working = work()
    this.lingering = working.catch(() => undefined)
    try {
      const answer = await Promise.race([working, timeout])
      if (!answer.ok) {
        log.warn('archive pdf not made', { board: boardId, reason: answer.reason, detail: answer.detail })
        return { status: answer.reason, detail: answer.detail, ms: ms() }
      }
      const bytes = new Uint8Array(Buffer.from(answer.base64, 'base64'))
      log.info('archive pdf made', { board: boardId, bytes: bytes.length, ms: ms() })
      return { status: 'included', bytes, ms: ms() }
    } catch (error) {
      const status = error instanceof Timeout ? 'timeout' : 'failed'
      log.warn('archive pdf not made', { board: boardId, reason: status, error: String(error) })
      return { status, detail: String(error instanceof Error ? error.message : error), ms: ms() }
    } finally {
      finished = true
      clearTimeout(timer)
      grant.revoke()
      // The browser is closed even when the work is still waiting on it (a timeout).
      await cleanUp()
    }
  }
}
