/**
 * The small bar at the top of a board: connection state, who is here, language.
 * The display shows only the connection dot, so the lobby screen stays a drawing.
 */
import { type Editor, useValue } from 'tldraw'
import type { BoardState } from '../app/boardState.ts'
import { type MessageKey, useI18n } from '../i18n.ts'
import type { ConnectionStatus } from '../sync/connection.ts'
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx'
import { Participants } from './Participants.tsx'

const STATUS_TEXT: Record<ConnectionStatus, MessageKey> = {
  connecting: 'status.connecting',
  connected: 'status.connected',
  offline: 'status.offline',
  denied: 'status.denied',
}

export function StatusBar({ board, editor }: { board: BoardState; editor: Editor | null }) {
  const { t } = useI18n()
  const status = useValue(board.$status)
  const invalid = useValue(board.$invalidRecords)
  return (
    <div className="stip-bar">
      <div className="stip-bar__row">
        <span
          className={`stip-status stip-status--${status}`}
          data-testid="connection-status"
          data-state={status}
          role="status"
          title={t(STATUS_TEXT[status])}
        >
          <span className="stip-status__dot" aria-hidden="true" />
          <span className="stip-status__text">{t(STATUS_TEXT[status])}</span>
        </span>
        {invalid > 0 && (
          <span className="stip-warning" data-testid="invalid-records" data-count={invalid}>
            {t('status.invalidRecords', { count: invalid })}
          </span>
        )}
        {!board.isDisplay && <LanguageSwitch />}
      </div>
      <Participants board={board} editor={editor} hidden={board.isDisplay} />
    </div>
  )
}
