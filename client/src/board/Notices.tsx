/**
 * Banners that change what the person can do: "reload, Stip was updated" and "this link
 * no longer works". The wall display has nobody to press a button, so it reloads itself.
 */
import { useEffect } from 'react'
import { useValue } from 'tldraw'
import { useI18n } from '../i18n.ts'
import type { BoardState } from './boardState.ts'

/** How long a display waits before reloading itself after an update (the server may still be busy). */
const DISPLAY_RELOAD_MS = 30_000

export function Notices({ board }: { board: BoardState }) {
  const { t } = useI18n()
  const tooNew = useValue(board.$schemaTooNew)
  const denied = useValue(board.$deniedReason)

  useEffect(() => {
    if (!tooNew || !board.isDisplay) return
    const timer = setTimeout(() => location.reload(), DISPLAY_RELOAD_MS)
    return () => clearTimeout(timer)
  }, [tooNew, board])

  return (
    <>
      {tooNew && (
        <div className="stip-banner" role="alert" data-testid="reload-required">
          <span>{t('reload.message')}</span>
          <button type="button" onClick={() => location.reload()}>
            {t('reload.button')}
          </button>
        </div>
      )}
      {denied && (
        <div className="stip-banner stip-banner--error" role="alert" data-testid="access-denied" data-reason={denied}>
          <span>{t(denied === 'board-not-found' ? 'board.notFound' : 'board.denied')}</span>
        </div>
      )}
    </>
  )
}
