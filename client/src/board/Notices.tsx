/**
 * Banners that change what the person can do: "reload, Stip was updated" and "this link
 * no longer works". The wall display has nobody to press a button, so it reloads itself.
 */
import { useEffect, useState } from 'react'
import { useValue } from 'tldraw'
import { CloseCode } from '../../../shared/protocol.ts'
import { type BoardState, rejectedNoticeKey } from '../app/boardState.ts'
import { type MessageKey, useI18n } from '../i18n.ts'

/**
 * If the last page load was the reload after a refused change: what to tell the person,
 * by the close code the server refused it with (read once).
 */
function takeRejectedNotice(boardId: string): MessageKey | null {
  try {
    const key = rejectedNoticeKey(boardId)
    const value = sessionStorage.getItem(key)
    sessionStorage.removeItem(key)
    return value === null ? null : rejectionMessage(Number(value))
  } catch {
    return null
  }
}

function rejectionMessage(code: number): MessageKey {
  switch (code) {
    case CloseCode.InvalidRecord:
      return 'rejected.invalid'
    case CloseCode.UpdateTooComplex:
    case CloseCode.RecordTooLarge:
      return 'rejected.tooLarge'
    case CloseCode.BoardTooLarge:
      return 'rejected.boardFull'
    default:
      return 'rejected.notice'
  }
}

/** How long a display waits before reloading itself after an update (the server may still be busy). */
const DISPLAY_RELOAD_MS = 30_000

export function Notices({ board }: { board: BoardState }) {
  const { t } = useI18n()
  const tooNew = useValue(board.$schemaTooNew)
  const denied = useValue(board.$deniedReason)
  const [rejected, setRejected] = useState(() => takeRejectedNotice(board.boardId))
  const rejectedAgain = useValue(board.$rejectedAgain)
  // Kept work the server will never take (`client/src/kept/`): said the same way.
  const dropped = useValue(board.kept.$dropped)
  useEffect(() => {
    if (dropped) setRejected(rejectionMessage(dropped.code))
  }, [dropped])

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
      {rejectedAgain && (
        <div className="stip-banner stip-banner--error" role="alert" data-testid="change-rejected-again">
          <span>{t('rejected.again')}</span>
          <button type="button" onClick={() => location.reload()}>
            {t('reload.button')}
          </button>
        </div>
      )}
      {rejected && !rejectedAgain && (
        <div className="stip-banner" role="alert" data-testid="change-rejected" data-message={rejected}>
          <span>{t(rejected)}</span>
          <button type="button" onClick={() => setRejected(null)}>
            {t('rejected.dismiss')}
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
