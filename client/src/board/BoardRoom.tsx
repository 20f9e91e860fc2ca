/**
 * An open board: the tldraw editor bound to the board's Y.Doc, with Stip's own overlays
 * (connection, participants, name dialog, reload and licence notices) beside it — not
 * inside it, so they stay visible even if tldraw blanks itself.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useMemo, useState } from 'react'
import { createTLCurrentUser, type Editor, Tldraw, useValue } from 'tldraw'
import type { ClientConfig } from '../../../shared/api.ts'
import type { Role } from '../../../shared/roles.ts'
import { useI18n } from '../i18n.ts'
import { createBoardState } from './boardState.ts'
import { keepFitted } from './display.ts'
import { LicenseWarning } from './LicenseWarning.tsx'
import { watchLicense } from './license.ts'
import { NameDialog } from './NameDialog.tsx'
import { Notices } from './Notices.tsx'
import { StatusBar } from './StatusBar.tsx'

// Fonts, icons, translations and embed icons bundled by Vite: served by Stip itself.
const assetUrls = getAssetUrlsByImport()

declare global {
  interface Window {
    /** The tldraw editor, for browser tests (read only). */
    __stipEditor?: Editor
    /** The board's Y.Doc, for browser tests (read only). */
    __stipDoc?: unknown
  }
}

export interface BoardRoomProps {
  boardId: string
  token: string
  role: Role
  config: ClientConfig
}

/** The board itself. Mount once per board and token. */
export function BoardRoom({ boardId, token, role, config }: BoardRoomProps) {
  const { t } = useI18n()
  const board = useMemo(() => createBoardState({ boardId, token, role }), [boardId, token, role])
  const user = useMemo(
    () => createTLCurrentUser({ userPreferences: board.$preferences, setUserPreferences: board.setPreferences }),
    [board],
  )
  const [editor, setEditor] = useState<Editor | null>(null)
  const [unlicensed, setUnlicensed] = useState(false)
  const ready = useValue(board.$ready)

  useEffect(() => {
    window.__stipDoc = board.connection.doc
    void board.start()
    return () => board.dispose()
  }, [board])

  useEffect(() => {
    if (!editor) return
    window.__stipEditor = editor
    // Sticky: once tldraw says it is unlicensed, keep explaining even after it unmounts.
    const stopLicense = watchLicense(editor, (blocked) => blocked && setUnlicensed(true))
    const stopFitting = board.isDisplay ? keepFitted(editor) : () => {}
    return () => {
      stopLicense()
      stopFitting()
    }
  }, [editor, board])

  return (
    <div className={`stip-board${board.isDisplay ? ' stip-board--display' : ''}`}>
      {ready ? (
        <Tldraw
          store={board.store}
          user={user}
          licenseKey={config.tldrawLicenseKey ?? undefined}
          assetUrls={assetUrls}
          hideUi={board.isDisplay}
          autoFocus={!board.isDisplay}
          onMount={(mounted) => {
            setEditor(mounted)
            return () => setEditor(null)
          }}
        />
      ) : (
        <p className="stip-center stip-loading">{t('board.loading')}</p>
      )}
      <StatusBar board={board} editor={editor} />
      <Notices board={board} />
      {!board.isDisplay && <NameDialog board={board} />}
      {unlicensed && <LicenseWarning />}
    </div>
  )
}
