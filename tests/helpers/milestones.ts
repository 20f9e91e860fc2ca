/**
 * Development paths for the celebration and display tests, drawn in a browser page through
 * its tldraw editor (`window.__stipEditor`) as the path actions would: a start point ("Nu"),
 * milestones, and arrows bound at both ends from the start through the milestones to the
 * north star. The shapes go into the page's active layer, like anything a person draws.
 * And a milestone set to done the way the shape's status control sets it: `doneAt` now.
 */
import type { Page } from 'playwright-core'
import { addDays, today } from '../../shared/dates.ts'
import { MILESTONE_SIZE, NORTH_STAR_ID, PATH_START_SIZE } from '../../shared/schema/index.ts'
import type { StipWindow } from './browser.ts'

export interface PathSpec {
  /** Ids without the `shape:` prefix are given one. */
  prefix: string
  /** Where the start point goes (page space); milestones follow to the right. */
  x: number
  y: number
  titles: string[]
  owner?: string
  /** Milestones (by position) already done, and when (ms since 1970). */
  done?: { index: number; doneAt: number }[]
}

export interface DrawnPath {
  startId: string
  milestoneIds: string[]
  arrowIds: string[]
}

interface PathArgs {
  prefix: string
  x: number
  y: number
  titles: string[]
  owner: string
  done: { index: number; doneAt: number }[]
  start: string
  end: string
  northStarId: string
  milestoneSize: { w: number; h: number }
  startSize: { w: number; h: number }
}

/** Draws a path in `page`'s active layer and waits until the page holds all of it. */
export async function drawPath(page: Page, spec: PathSpec): Promise<DrawnPath> {
  const start = today()
  const args: PathArgs = {
    ...spec,
    owner: spec.owner ?? '',
    done: spec.done ?? [],
    start,
    end: addDays(start, 13),
    northStarId: NORTH_STAR_ID,
    milestoneSize: { ...MILESTONE_SIZE },
    startSize: { ...PATH_START_SIZE },
  }
  return page.evaluate((a: PathArgs) => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const startId = `shape:${a.prefix}-start`
    const milestoneIds = a.titles.map((_, i) => `shape:${a.prefix}-m${i + 1}`)
    const nodes = [startId, ...milestoneIds, a.northStarId]
    const arrowIds = nodes.slice(1).map((_, i) => `shape:${a.prefix}-arrow${i + 1}`)
    editor.run(() => {
      editor.createShape({ id: startId, type: 'path-start', x: a.x, y: a.y, props: { ...a.startSize } })
      a.titles.forEach((title, i) => {
        const done = a.done.find((entry) => entry.index === i)
        editor.createShape({
          id: milestoneIds[i],
          type: 'milestone',
          x: a.x + 220 + i * (a.milestoneSize.w + 120),
          y: a.y - 25,
          props: {
            ...a.milestoneSize,
            title,
            description: '',
            owner: a.owner,
            start: a.start,
            end: a.end,
            status: done ? 'done' : 'planned',
            doneAt: done ? done.doneAt : null,
          },
        })
      })
      arrowIds.forEach((arrowId, i) => {
        editor.createShape({ id: arrowId, type: 'arrow', x: a.x, y: a.y })
        for (const [terminal, toId] of [
          ['start', nodes[i]],
          ['end', nodes[i + 1]],
        ]) {
          editor.createBinding({
            type: 'arrow',
            fromId: arrowId,
            toId,
            props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
          })
        }
      })
    })
    for (const id of [startId, ...milestoneIds, ...arrowIds]) {
      if (!editor.getShape(id)) throw new Error(`${id} was not created (a layer rule refused it?)`)
    }
    return { startId, milestoneIds, arrowIds }
  }, args)
}

/** Sets a milestone to done from `page`, as its status control does: `doneAt` is now. */
export function markDone(page: Page, milestoneId: string): Promise<number> {
  return page.evaluate((id) => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const doneAt = Date.now()
    editor.updateShape({ id, type: 'milestone', props: { status: 'done', doneAt } })
    return doneAt
  }, milestoneId)
}

/** Waits until `page`'s editor holds milestone `id` with this status (and `doneAt`, if given). */
export async function waitForMilestone(
  page: Page,
  id: string,
  status: string,
  doneAt?: number,
  timeoutMs = 10_000,
): Promise<void> {
  await page.waitForFunction(
    ({ id, status, doneAt }) => {
      const shape = (window as unknown as StipWindow).__stipEditor?.getShape(id)
      return shape?.props.status === status && (doneAt === undefined || shape.props.doneAt === doneAt)
    },
    { id, status, doneAt },
    { timeout: timeoutMs, polling: 50 },
  )
}

/** What the celebration on `page` shows now, or null when none does. */
export async function celebrationOn(
  page: Page,
): Promise<{ milestone: string; team: string; title: string; progress: string; motion: string } | null> {
  return page.evaluate(() => {
    const badge = document.querySelector('[data-testid="celebration"]')
    if (!badge) return null
    const text = (id: string) => badge.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''
    return {
      milestone: badge.getAttribute('data-milestone') ?? '',
      team: text('celebration-team'),
      title: text('celebration-title'),
      progress: text('celebration-progress'),
      motion: badge.getAttribute('data-motion') ?? '',
    }
  })
}

/** Waits for the celebration of milestone `id` on `page`. */
export async function waitForCelebration(page: Page, id: string, timeoutMs = 10_000): Promise<void> {
  await page.waitForSelector(`[data-testid="celebration"][data-milestone="${id}"]`, {
    state: 'attached',
    timeout: timeoutMs,
  })
}
