/**
 * The banner that tells a person their work is kept on this device: how many changes wait,
 * in which layers, and why; "discard" (after a confirmation) gives them up, "try again"
 * offers what the full board could not take once more. It goes when nothing waits.
 */
import { useValue } from 'tldraw'
import type { BoardState } from '../app/boardState.ts'
import { useI18n } from '../i18n.ts'

export function KeptBanner({ board }: { board: BoardState }) {
  const { t } = useI18n()
  const state = useValue(board.kept.$state)
  const layers = useValue(board.layers.$layers)
  if (state.parked === 0 && state.held === 0) return null
  const names = state.layerIds.map((id) => layers.get(id)?.name).filter((name): name is string => Boolean(name))
  const discard = () => {
    if (window.confirm(t('kept.discardConfirm'))) board.kept.discard()
  }
  return (
    <div className="stip-banner stip-banner--kept" role="status" data-testid="kept-work" data-parked={state.parked}>
      {state.parked > 0 && (
        <span>
          {names.length > 0
            ? t('kept.parked', { count: state.parked, layers: names.join(', ') })
            : t('kept.parkedNoLayer', { count: state.parked })}
        </span>
      )}
      {state.held > 0 && <span>{t('kept.held', { count: state.held })}</span>}
      {state.held > 0 && (
        <button type="button" onClick={() => board.kept.tryHeldAgain()} data-testid="kept-try-again">
          {t('kept.tryAgain')}
        </button>
      )}
      <button type="button" onClick={discard} data-testid="kept-discard">
        {t('kept.discard')}
      </button>
    </div>
  )
}
