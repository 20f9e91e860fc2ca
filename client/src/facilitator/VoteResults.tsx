/**
 * A voting round's result as a ranked list (equal votes share a rank), with a CSV
 * download made in the browser (`resultCsv`): the closed round's `vote-result` record, or
 * the live count while a round with live results runs. Shown in the facilitator's panel,
 * and to everyone once a round has closed (`VoteResultsCard`), until they hide it.
 */
import { useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import { ranks, resultCsv } from '../../../shared/voting.ts'
import { useI18n } from '../i18n.ts'
import type { FacilitatorTools } from './tools.ts'
import { itemTitle, latestResult, type ShownResult } from './votes.ts'

/** The result to show now: a live count of the open round, else the newest closed one. */
export function useShownResult(editor: Editor, tools: FacilitatorTools): ShownResult | null {
  const tally = useValue(tools.$tally)
  const round = useValue(tools.$round)
  const result = useValue('latest vote result', () => latestResult(editor), [editor])
  if (round?.open && round.results === 'live' && tally?.roundId === round.id) {
    return { roundId: tally.roundId, entries: tally.entries, voters: tally.voters, live: true }
  }
  return result ? { roundId: result.roundId, entries: result.entries, voters: result.voters, live: false } : null
}

export function VoteResultsList({ editor, tools }: { editor: Editor; tools: FacilitatorTools }) {
  const { t } = useI18n()
  const shown = useShownResult(editor, tools)
  if (!shown) return null
  return (
    <RankedList
      editor={editor}
      shown={shown}
      title={shown.live ? t('facilitator.results.live') : t('facilitator.results.title')}
    />
  )
}

function RankedList({ editor, shown, title }: { editor: Editor; shown: ShownResult; title: string }) {
  const { t } = useI18n()
  const rankOf = ranks(shown.entries)
  const download = () => {
    const csv = resultCsv(shown.entries, (id) => itemTitle(editor, id))
    const url = URL.createObjectURL(new Blob([`\ufeff${csv}`], { type: 'text/csv;charset=utf-8' }))
    const link = document.createElement('a')
    link.href = url
    link.download = `stemronde-${shown.roundId}.csv`
    link.click()
    setTimeout(() => URL.revokeObjectURL(url), 1000)
  }
  return (
    <div className="stip-vote-results" data-testid="vote-results">
      <strong>{title}</strong>
      <p className="stip-facilitator__help">{t('facilitator.results.voters', { voters: shown.voters })}</p>
      {shown.entries.length === 0 ? (
        <p>{t('facilitator.results.empty')}</p>
      ) : (
        <ol className="stip-vote-results__list">
          {shown.entries.map((entry, index) => (
            <li key={entry.shapeId} data-testid="vote-result-row" data-shape={entry.shapeId} data-votes={entry.votes}>
              <span className="stip-vote-results__rank">{rankOf[index]}.</span>
              <span className="stip-vote-results__title">{itemTitle(editor, entry.shapeId)}</span>
              <span className="stip-vote-results__votes">
                {entry.votes === 1
                  ? t('facilitator.results.vote')
                  : t('facilitator.results.votes', { votes: entry.votes })}
              </span>
            </li>
          ))}
        </ol>
      )}
      {!shown.live && (
        <button type="button" data-testid="vote-results-csv" onClick={download}>
          {t('facilitator.results.csv')}
        </button>
      )}
    </div>
  )
}

/** The newest closed result, for participants and displays, until hidden. */
export function VoteResultsCard({ editor, tools }: { editor: Editor; tools: FacilitatorTools }) {
  const { t } = useI18n()
  const shown = useShownResult(editor, tools)
  const [hidden, setHidden] = useState<string | null>(null)
  if (!shown || shown.live || hidden === shown.roundId) return null
  return (
    <section className="stip-vote-results-card" aria-label={t('facilitator.results.title')}>
      <RankedList editor={editor} shown={shown} title={t('facilitator.results.title')} />
      <button type="button" onClick={() => setHidden(shown.roundId)}>
        {t('facilitator.results.close')}
      </button>
    </section>
  )
}
