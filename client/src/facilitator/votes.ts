/**
 * What the voting UI reads from the board: which shapes the open round lets one vote on,
 * an item's title, and the latest result (the server's `vote-result` record, or the live
 * tally while a live round runs).
 */
import type { Editor, TLShape } from 'tldraw'
import type { Layers } from '../../../shared/layers.ts'
import { isVoteResult, type TLVoteResult, VOTE_RESULT_TYPE } from '../../../shared/schema/voteResult.ts'
import { isVotable, type TallyEntry, type VotingRound } from '../../../shared/voting.ts'
import { richTextToPlain } from '../display/richText.ts'

/** A shape's title for lists and CSV: its text, its milestone title, or its kind. */
export function itemTitle(editor: Editor, shapeId: string): string {
  const shape = editor.getShape(shapeId as TLShape['id'])
  if (!shape) return shapeId
  const props = shape.props as { title?: unknown; richText?: unknown; text?: unknown; name?: unknown }
  if (typeof props.title === 'string' && props.title.trim()) return props.title.trim()
  const text = richTextToPlain(props.richText) || (typeof props.text === 'string' ? props.text : '')
  if (text) return text.slice(0, 120)
  if (typeof props.name === 'string' && props.name) return props.name
  return shape.type
}

/** The shapes of the current page one may vote on in `round`. */
export function votableShapes(editor: Editor, round: VotingRound, layers: Layers): TLShape[] {
  return editor
    .getCurrentPageShapes()
    .filter((shape) => isVotable(shape as never, round, layers) && !editor.isShapeHidden(shape))
}

/** The newest result record on the board, if any. */
export function latestResult(editor: Editor): TLVoteResult | null {
  let latest: TLVoteResult | null = null
  for (const record of editor.store.query.records(VOTE_RESULT_TYPE).get()) {
    if (isVoteResult(record) && (!latest || record.closedAt > latest.closedAt)) latest = record
  }
  return latest
}

export interface ShownResult {
  roundId: string
  entries: readonly TallyEntry[]
  voters: number
  /** True for a live count of a round still open. */
  live: boolean
}
