/**
 * Paths and the outline in a browser test: a facilitator's page builds a development path
 * through its tldraw editor (`window.__stipEditor`: start point, milestones, arrows and
 * their bindings, exactly the records the path actions make), and the tests read the
 * milestone records and the outline back. Every wait is bounded and says what it waited for.
 */
import type { Page } from 'playwright-core'
import { META_ROOT } from '../../shared/doc.ts'
import { META_ITERATIONS_KEY } from '../../shared/iterations.ts'
import { MILESTONE_SIZE, MILESTONE_TYPE, NORTH_STAR_ID, PATH_START_TYPE } from '../../shared/schema/index.ts'
import type { StipWindow } from './browser.ts'

export interface MilestoneFields {
  id: string
  title: string
  owner?: string
  start: string
  end: string
  status?: 'planned' | 'in-progress' | 'done'
}

/**
 * Draws a path in the page's active layer: a start point `startId`, then `milestones` left
 * to right, each joined to the next by an arrow bound at both ends, and (if `toNorthStar`)
 * one more arrow from the last to the north star. Returns the arrow ids in order.
 */
export async function drawPath(
  page: Page,
  {
    startId,
    milestones,
    toNorthStar = true,
    x = -900,
    y = 600,
  }: {
    startId: string
    milestones: MilestoneFields[]
    toNorthStar?: boolean
    x?: number
    y?: number
  },
): Promise<string[]> {
  return page.evaluate(
    ({ startId, milestones, toNorthStar, x, y, types, size, northStarId }) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      editor.createShapes([
        { id: startId, type: types.start, x, y },
        ...milestones.map((m, i) => ({
          id: m.id,
          type: types.milestone,
          x: x + 200 + i * (size.w + 120),
          y,
          props: {
            title: m.title,
            description: '',
            owner: m.owner ?? '',
            start: m.start,
            end: m.end,
            status: m.status ?? 'planned',
            doneAt: m.status === 'done' ? Date.now() : null,
          },
        })),
      ])
      const nodes = [startId, ...milestones.map((m) => m.id), ...(toNorthStar ? [northStarId] : [])]
      const arrowIds: string[] = []
      for (let i = 0; i + 1 < nodes.length; i++) {
        const arrowId = `${startId}-arrow-${i}`
        arrowIds.push(arrowId)
        editor.createShapes([
          { id: arrowId, type: 'arrow', x, y, props: { start: { x: 0, y: 0 }, end: { x: 100, y: 0 } } },
        ])
        editor.createBindings([
          { type: 'arrow', fromId: arrowId, toId: nodes[i], props: { terminal: 'start' } },
          { type: 'arrow', fromId: arrowId, toId: nodes[i + 1], props: { terminal: 'end' } },
        ])
      }
      return arrowIds
    },
    {
      startId,
      milestones,
      toNorthStar,
      x,
      y,
      types: { start: PATH_START_TYPE, milestone: MILESTONE_TYPE },
      size: { w: MILESTONE_SIZE.w },
      northStarId: String(NORTH_STAR_ID),
    },
  )
}

/** Creates one milestone on no path in the page's active layer. */
export async function drawLooseMilestone(page: Page, milestone: MilestoneFields, at = { x: 600, y: 900 }) {
  await page.evaluate(
    ({ m, at, type }) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      editor.createShapes([
        {
          id: m.id,
          type,
          x: at.x,
          y: at.y,
          props: { title: m.title, description: '', owner: m.owner ?? '', start: m.start, end: m.end },
        },
      ])
    },
    { m: milestone, at, type: MILESTONE_TYPE },
  )
}

/** Sets the north star's mission and subtitle as its facilitator's dialog does. */
export async function setMission(page: Page, mission: string, subtitle = ''): Promise<void> {
  await page.evaluate(
    ({ mission, subtitle, id }) => {
      const editor = (window as unknown as StipWindow).__stipEditor
      const richText = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: mission }] }] }
      editor.updateShape({ id, type: 'north-star', props: { mission: richText, subtitle } })
    },
    { mission, subtitle, id: String(NORTH_STAR_ID) },
  )
}

/** Writes the board's iteration rhythm (a facilitator's setting) into the page's document. */
export async function setRhythm(page: Page, rhythm: { weeks: 2 | 3 | 4; firstStart: string }): Promise<void> {
  await page.evaluate(
    ({ rhythm, root, key }) => {
      const doc = (window as unknown as StipWindow).__stipDoc
      doc.transact(() => doc.getMap(root).set(key, rhythm))
    },
    { rhythm, root: META_ROOT, key: META_ITERATIONS_KEY },
  )
}

/** A milestone record's status and done time as the page's store has it. */
export function milestoneState(page: Page, id: string): Promise<{ status: string; doneAt: number | null } | null> {
  return page.evaluate((shapeId) => {
    const shape = (window as unknown as StipWindow).__stipEditor.getShape(shapeId)
    return shape ? { status: String(shape.props.status), doneAt: shape.props.doneAt ?? null } : null
  }, id)
}

/** Waits until the page's store has the milestone in `status`. */
export async function waitForMilestoneStatus(page: Page, id: string, status: string, timeoutMs = 10_000) {
  try {
    await page.waitForFunction(
      ({ shapeId, status }) =>
        (window as unknown as StipWindow).__stipEditor.getShape(shapeId)?.props.status === status,
      { shapeId: id, status },
      { timeout: timeoutMs, polling: 50 },
    )
  } catch (error) {
    throw new Error(
      `Milestone ${id} never became "${status}" (it is ${JSON.stringify(await milestoneState(page, id))}): ${String(error)}`,
    )
  }
  return milestoneState(page, id)
}

/**
 * Presses Tab until `selector` has the focus, as a keyboard user does; fails after
 * `maxPresses`. Returns how many presses it took.
 */
export async function tabTo(page: Page, selector: string, maxPresses = 200): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate((wanted) => document.activeElement?.matches(wanted) === true, selector)
    if (focused) return presses
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200) ?? 'nothing')
  throw new Error(`Tab never reached ${selector} in ${maxPresses} presses (the focus is on ${at})`)
}
