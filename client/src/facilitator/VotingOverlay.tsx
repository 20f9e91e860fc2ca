/**
 * Dot voting on the canvas: while a round is open, every item one may vote on gets a dot
 * at its corner — click to vote, Shift-click (or the context key) to take a vote back —
 * showing your own votes, and the total when results are live or the round has closed.
 * A bar says how many votes are left, and why the server refused one. A wall display shows
 * only the totals. Votes are signals to the server (`tools.send`), never document changes.
 */
import { useEffect, useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import type { BoardState } from '../app/boardState.ts'
import { useI18n } from '../i18n.ts'
import type { FacilitatorTools } from './tools.ts'
import { useShownResult } from './VoteResults.tsx'
import { itemTitle, votableShapes } from './votes.ts'

interface Dot {
  id: string
  x: number
  y: number
  title: string
}

export function VotingOverlay({
  editor,
  board,
  tools,
}: {
  editor: Editor
  board: BoardState
  tools: FacilitatorTools
}) {
  const { t } = useI18n()
  const round = useValue(tools.$round)
  const ballot = useValue(tools.$ballot)
  const refused = useValue(tools.$refused)
  const shown = useShownResult(editor, tools)
  const canVote = !board.isDisplay && round?.open === true
  const totals =
    shown && round && shown.roundId === round.id ? new Map(shown.entries.map((e) => [e.shapeId, e.votes])) : null
  const [message, setMessage] = useState<string | null>(null)

  useEffect(() => {
    if (!refused) return
    setMessage(t(`facilitator.vote.refused.${refused.reason}`))
    const timer = setTimeout(() => setMessage(null), 4000)
    return () => clearTimeout(timer)
  }, [refused, t])

  const dots = useValue('vote dots', () => {
    if (!round || (!round.open && !totals)) return [] as Dot[]
    const viewport = editor.getViewportPageBounds()
    const out: Dot[] = []
    for (const shape of votableShapes(editor, round, board.layers.$layers.get())) {
      const bounds = editor.getShapePageBounds(shape)
      if (!bounds || !viewport.collides(bounds)) continue
      const corner = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
      out.push({ id: shape.id, x: corner.x, y: corner.y, title: itemTitle(editor, shape.id) })
      if (out.length >= 400) break // a screenful; more would not be readable anyway
    }
    return out
  }, [editor, round, board, totals === null])

  if (!round || (!canVote && !totals)) return null
  const left = ballot?.roundId === round.id ? ballot.left : round.votesPerPerson
  return (
    <>
      <div className="stip-vote-dots">
        {dots.map((dot) => {
          const mine = ballot?.roundId === round.id ? (ballot.votes[dot.id] ?? 0) : 0
          const total = totals?.get(dot.id) ?? 0
          const label = totals ? String(total) : mine > 0 ? `●${mine > 1 ? mine : ''}` : '+'
          const style = { transform: `translate(${dot.x}px, ${dot.y}px)` }
          return canVote ? (
            <button
              key={dot.id}
              type="button"
              className={`stip-vote-dot${mine > 0 ? ' stip-vote-dot--mine' : ''}`}
              style={style}
              data-testid="vote-dot"
              data-shape={dot.id}
              data-mine={mine}
              data-total={total}
              title={t('facilitator.vote.add', { title: dot.title })}
              aria-label={t('facilitator.vote.add', { title: dot.title })}
              onPointerDown={(event) => event.stopPropagation()}
              onClick={(event) => tools.send({ kind: event.shiftKey ? 'unvote' : 'vote', itemId: dot.id })}
              onContextMenu={(event) => {
                event.preventDefault()
                tools.send({ kind: 'unvote', itemId: dot.id })
              }}
            >
              {label}
            </button>
          ) : (
            <span
              key={dot.id}
              className="stip-vote-dot stip-vote-dot--count"
              style={style}
              data-testid="vote-count"
              data-shape={dot.id}
            >
              {total}
            </span>
          )
        })}
      </div>
      {canVote && (
        <div className="stip-vote-bar" data-testid="vote-bar" role="status">
          <strong data-testid="votes-left" data-left={left}>
            {t('facilitator.vote.left', { left, total: round.votesPerPerson })}
          </strong>
          <span>{message ?? t('facilitator.vote.help')}</span>
        </div>
      )}
    </>
  )
}
