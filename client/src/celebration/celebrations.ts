/**
 * When a milestone is set to done, every screen celebrates it: this watches the board's
 * milestones and hands out the celebrations one after another, each for a few seconds.
 *
 * Driven by the records, not by a message: a milestone whose status is `done` and whose
 * `doneAt` lies within the last hour is a step to celebrate, whenever this screen learns of
 * it — the moment someone marks it, when the page loads, or when a display that was
 * offline reconnects and the change arrives with the sync. `remembered.ts` keeps the steps
 * already celebrated, so none is celebrated twice, even across reloads.
 *
 * Several steps reached at once are queued; each is checked again when its turn comes (it
 * may have been set back, or deleted) and only then described and remembered, so a reload
 * during the queue still shows the ones not yet seen.
 */
import { atom, type Editor, react, type Signal, type TLShape, unsafe__withoutCapture } from 'tldraw'
import { layerOfShape, ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { milestonesOn, type PathRecord, pathOfMilestone, readPaths } from '../../../shared/paths.ts'
import { MILESTONE_TYPE, type MilestoneProps } from '../../../shared/schema/index.ts'
import {
  isCelebratable,
  MAX_REMEMBERED,
  type Reached,
  type Remembered,
  reachedKey,
  rememberCelebrated,
} from './remembered.ts'

/** How long one celebration shows. */
export const CELEBRATION_MS = 6_000

/** One step reached, as a screen tells it. */
export interface Celebration extends Reached {
  /** The milestone's layer (a department or team), or its owner when it is in the root. */
  team: string
  title: string
  /** The layer's colour (a tldraw colour name), for the badge. */
  color: string | null
  /** Its path's milestones done of total, after this one; null when it is on no path. */
  progress: { done: number; total: number } | null
}

export interface CelebrationWatch {
  /** The celebration showing now, or null. */
  readonly $current: Signal<Celebration | null>
  /** Stops watching and showing (listeners, timers). */
  dispose(): void
}

export interface WatchOptions {
  durationMs?: number
  now?: () => number
  remembered?: Remembered
}

type MilestoneRecord = TLShape & { props: MilestoneProps }

/** What the screen says about milestone `id`, from the editor's records now. */
export function describeCelebration(editor: Editor, step: Reached): Celebration | null {
  const shape = editor.getShape(step.id as TLShape['id']) as MilestoneRecord | undefined
  if (!shape || shape.type !== MILESTONE_TYPE) return null
  const layerId = layerOfShape(shape)
  const layer = editor.store.get(layerId as never) as { name?: unknown; color?: unknown } | undefined
  const layerName = layerId !== ROOT_LAYER_ID && typeof layer?.name === 'string' ? layer.name.trim() : ''
  const graph = readPaths(editor.store.allRecords() as unknown as PathRecord[])
  const path = pathOfMilestone(graph, shape.id)
  // [1] The progress this step made: the path's steps done by then, this one included.
  const progress = path && {
    done: milestonesOn(graph, path).filter(
      (milestone) => milestone.status === 'done' && (milestone.doneAt === null || milestone.doneAt <= step.doneAt),
    ).length,
    total: path.milestoneIds.length,
  }
  return {
    ...step,
    team: layerName || shape.props.owner.trim(),
    title: shape.props.title.trim(),
    color: typeof layer?.color === 'string' ? layer.color : null,
    progress: progress ?? null,
  }
}

/** Watches `editor`'s milestones of board `boardId` and shows their celebrations in turn. */
export function watchCelebrations(
  editor: Editor,
  boardId: string,
  { durationMs = CELEBRATION_MS, now = Date.now, remembered = rememberCelebrated(boardId, now) }: WatchOptions = {},
): CelebrationWatch {
  const $current = atom<Celebration | null>('stip celebration', null)
  const milestones = editor.store.query.records('shape', () => ({ type: { eq: MILESTONE_TYPE } }))
  const queue: Reached[] = []
  /**
   * Steps this page already queued, showed or found remembered (key → doneAt), so dragging
   * a milestone does not ask localStorage again on every frame. Pruned like the stored
   * list: a display runs for months.
   */
  const handled = new Map<string, number>()
  let timer: ReturnType<typeof setTimeout> | undefined

  const stillDone = (step: Reached) => {
    const shape = editor.getShape(step.id as TLShape['id']) as MilestoneRecord | undefined
    return shape?.type === MILESTONE_TYPE && shape.props.status === 'done' && shape.props.doneAt === step.doneAt
  }

  /** Shows the next step in the queue that is still one to celebrate, or nothing. */
  const showNext = () => {
    timer = undefined
    for (let step = queue.shift(); step; step = queue.shift()) {
      if (!stillDone(step) || !isCelebratable('done', step.doneAt, now()) || remembered.has(step)) continue
      const celebration = describeCelebration(editor, step)
      if (!celebration) continue
      remembered.add(step)
      $current.set(celebration)
      timer = setTimeout(showNext, durationMs)
      return
    }
    $current.set(null)
  }

  const stopReacting = react('stip celebrations', () => {
    const at = now()
    let added = false
    for (const shape of milestones.get() as MilestoneRecord[]) {
      const { status, doneAt } = shape.props
      if (!isCelebratable(status, doneAt, at)) continue
      const step = { id: shape.id, doneAt }
      const key = reachedKey(step)
      if (handled.has(key)) continue
      handled.set(key, doneAt)
      if (handled.size > MAX_REMEMBERED) {
        for (const [old, oldDoneAt] of handled) if (!isCelebratable('done', oldDoneAt, at)) handled.delete(old)
      }
      if (remembered.has(step)) continue
      queue.push(step)
      added = true
    }
    // What the showing reads (all records, for the path) is not what this reaction follows.
    if (added && timer === undefined) unsafe__withoutCapture(showNext)
  })

  return {
    $current,
    dispose() {
      stopReacting()
      clearTimeout(timer)
      timer = undefined
      queue.length = 0
      $current.set(null)
    },
  }
}

// [1] Two steps marked done together are celebrated one after the other, and each says
//     what it added: "2 van 3", then "3 van 3", not the final count twice.
