/**
 * axe-core in a browser test: injects axe into the page (`axe.source`, from our own
 * node_modules — no request leaves the machine) and runs it, failing with every serious or
 * critical violation it finds, each with the elements it found it on. Minor and moderate
 * findings are returned for the curious but do not fail a test (the issue asks for no
 * serious or critical ones).
 *
 * Stip's pages forbid inline scripts (Content-Security-Policy `script-src 'self'`), so axe
 * is evaluated through the DevTools protocol (`page.evaluate`), which CSP does not govern,
 * rather than added as a `<script>` tag: the page under test keeps its real policy.
 */
import axe from 'axe-core'
import type { Page } from 'playwright-core'

/** What axe's `run` takes as its context: the parts of the page to check, and to skip. */
export interface AxeContext {
  include?: string[][]
  exclude?: string[][]
}

export interface AxeFinding {
  id: string
  impact: string | null
  help: string
  nodes: { target: string[]; summary: string }[]
}

const FAILING_IMPACTS = new Set(['serious', 'critical'])

/** Runs axe on `page` (within `context`, if given) and returns every violation. */
export async function axeViolations(page: Page, context?: AxeContext): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object')
  if (!loaded) await page.evaluate(axe.source)
  return page.evaluate(async (scope) => {
    const runner = (window as unknown as { axe: typeof import('axe-core') }).axe
    const results = await runner.run((scope ?? document) as import('axe-core').ElementContext, {
      resultTypes: ['violations'],
    })
    return results.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact ?? null,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({
        target: node.target.map(String),
        summary: node.failureSummary ?? '',
      })),
    }))
  }, context ?? null)
}

/** Fails, naming each one, if axe finds a serious or critical violation; `what` names the page state. */
export async function expectNoSeriousViolations(page: Page, what: string, context?: AxeContext): Promise<void> {
  const violations = await axeViolations(page, context)
  const failing = violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ''))
  if (failing.length === 0) return
  const report = failing
    .map(
      (violation) =>
        `- ${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes
          .slice(0, 5)
          .map((node) => `    ${node.target.join(' ')}: ${node.summary.replace(/\s+/g, ' ')}`)
          .join('\n')}`,
    )
    .join('\n')
  throw new Error(`axe-core found ${failing.length} serious or critical violation(s) on ${what}:\n${report}`)
}

/**
 * Stip's own chrome on a board page: everything but the tldraw canvas and its UI (inside
 * `.stip-canvas`), which is tldraw's to make accessible, not ours [1].
 *
 * [1] tldraw draws shapes as SVG and HTML we do not write, and its toolbar and menus are
 *     its own components. Checking them here would fail Stip's tests on tldraw's choices and
 *     hide our own findings among theirs; the outline is Stip's accessible alternative to
 *     the canvas, and it is checked.
 */
export const STIP_CHROME: AxeContext = { exclude: [['.stip-canvas']] }
