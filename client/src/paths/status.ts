/**
 * A milestone's status, as every screen shows it and every control sets it. Readable
 * without colour: each status has an icon and a word. Setting "done" stamps `doneAt` with
 * this moment (every screen celebrates from it, `client/src/celebration/`); any other
 * status clears it, so a step marked done again later is celebrated again.
 */
import type { Editor, TLShapeId } from 'tldraw'
import { MILESTONE_TYPE, type MilestoneShape, type MilestoneStatus } from '../../../shared/schema/index.ts'
import type { MessageKey } from '../i18n.ts'

export const STATUS_ICON: Record<MilestoneStatus, string> = {
  planned: '○',
  'in-progress': '◐',
  done: '✓',
}

export const STATUS_WORD: Record<MilestoneStatus, MessageKey> = {
  planned: 'paths.status.planned',
  'in-progress': 'paths.status.in-progress',
  done: 'paths.status.done',
}

/** The status after `status` when someone clicks it: planned → in progress → done → planned. */
export function nextStatus(status: MilestoneStatus): MilestoneStatus {
  return status === 'planned' ? 'in-progress' : status === 'in-progress' ? 'done' : 'planned'
}

/** The props a status change writes. */
export function statusProps(
  status: MilestoneStatus,
  now = Date.now(),
): { status: MilestoneStatus; doneAt: number | null } {
  return { status, doneAt: status === 'done' ? now : null }
}

/** Sets a milestone's status as one undo step; nothing if it already has it. */
export function setMilestoneStatus(editor: Editor, id: string, status: MilestoneStatus): void {
  const shape = editor.getShape<MilestoneShape>(id as TLShapeId)
  if (!shape || shape.type !== MILESTONE_TYPE || shape.props.status === status) return
  editor.markHistoryStoppingPoint('milestone status')
  editor.updateShape<MilestoneShape>({ id: shape.id, type: MILESTONE_TYPE, props: statusProps(status) })
}
