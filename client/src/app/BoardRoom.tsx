/**
 * An open board: the tldraw editor bound to the board's Y.Doc, with Stip's own overlays
 * (connection, participants, name dialog, reload and licence notices) beside it — not
 * inside it, so they stay visible even if tldraw blanks itself.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { createTLCurrentUser, type Editor, type TLComponents, type TLShape, Tldraw, useValue } from 'tldraw'
import type { ClientConfig } from '../../../shared/api.ts'
import type { LayerRecord } from '../../../shared/layers.ts'
import type { Role } from '../../../shared/roles.ts'
import { LicenseWarning } from '../board/LicenseWarning.tsx'
import { watchLicense } from '../board/license.ts'
import { NameDialog } from '../board/NameDialog.tsx'
import { Notices } from '../board/Notices.tsx'
import { StatusBar } from '../board/StatusBar.tsx'
import { DisplayView } from '../display/DisplayView.tsx'
import { FacilitatorToolsView } from '../facilitator/FacilitatorTools.tsx'
import { createFacilitatorTools } from '../facilitator/tools.ts'
import { useI18n } from '../i18n.ts'
import { LayerNav } from '../layers/LayerNav.tsx'
import { LayerPanel } from '../layers/LayerPanel.tsx'
import { LayerShapeWrapper, LayerViewContext } from '../layers/LayerShapeWrapper.tsx'
import { createLayerNavigation, type LayerNavigation } from '../layers/navigation.ts'
import { registerLayerRules } from '../layers/rules.ts'
import { IterationSettings } from '../paths/IterationSettings.tsx'
import { PathBar } from '../paths/PathBar.tsx'
import { usePublishRhythm, useRhythm } from '../paths/rhythm.ts'
import { stipShapeUtils } from '../shapes/index.ts'
import { MilestoneDialog } from '../shapes/MilestoneDialog.tsx'
import { NorthStarDialog } from '../shapes/NorthStarDialog.tsx'
import { createBoardState } from './boardState.ts'

// Fonts, icons, translations and embed icons bundled by Vite: served by Stip itself.
const assetUrls = getAssetUrlsByImport()

declare global {
  interface Window {
    /** The tldraw editor, for browser tests (read only). */
    __stipEditor?: Editor
    /** The board's Y.Doc, for browser tests (read only). */
    __stipDoc?: unknown
    /** The board's layer records, for browser tests (read only). */
    __stipLayers?: () => LayerRecord[]
  }
}

/** One page only: layers structure the drawing instead (`PageMenu` hidden, `maxPages: 1`). */
const TLDRAW_OPTIONS = { maxPages: 1 }
const COMPONENTS: TLComponents = { PageMenu: null, ShapeWrapper: LayerShapeWrapper }

export interface BoardRoomProps {
  boardId: string
  token: string
  role: Role
  /** For a participant link scoped to a layer: that layer. */
  scopeLayerId: string | null
  /** The layer the URL opened, if any. */
  initialLayerId: string | null
  config: ClientConfig
}

/** The board itself. Mount once per board and token. */
export function BoardRoom({ boardId, token, role, scopeLayerId, initialLayerId, config }: BoardRoomProps) {
  const { t } = useI18n()
  // biome-ignore lint/correctness/useExhaustiveDependencies: the URL's layer only matters at mount
  const board = useMemo(
    () => createBoardState({ boardId, token, role, scopeLayerId, initialLayerId }),
    [boardId, token, role, scopeLayerId],
  )
  // Stable: tldraw makes a new editor when this prop changes.
  const getShapeVisibility = useCallback((shape: TLShape) => board.layers.shapeVisibility(shape), [board])
  const [navigation, setNavigation] = useState<LayerNavigation | null>(null)
  const user = useMemo(
    () => createTLCurrentUser({ userPreferences: board.$preferences, setUserPreferences: board.setPreferences }),
    [board],
  )
  const [editor, setEditor] = useState<Editor | null>(null)
  const [unlicensed, setUnlicensed] = useState(false)
  const ready = useValue(board.$ready)
  const tools = useMemo(() => createFacilitatorTools(board.connection), [board])
  useEffect(() => () => tools.dispose(), [tools])
  const rhythm = useRhythm(board.connection.doc)
  usePublishRhythm(rhythm.stored)

  useEffect(() => {
    window.__stipDoc = board.connection.doc
    void board.start()
    return () => board.dispose()
  }, [board])

  useEffect(() => {
    if (!editor) return
    window.__stipEditor = editor
    window.__stipLayers = () => [...board.layers.$layers.get().values()]
    const stopRules = registerLayerRules(editor, board.layers)
    const nav = createLayerNavigation(editor, board.layers, boardId)
    setNavigation(nav)
    // A layer's own address opens it; the overview opens at the whole drawing.
    const opened = board.layers.$focus.get()
    if (opened) nav.open(opened, 'replace')
    else nav.fitCamera(null, false)
    // Sticky: once tldraw says it is unlicensed, keep explaining even after it unmounts.
    const stopLicense = watchLicense(editor, (blocked) => blocked && setUnlicensed(true))
    // The display's camera is DisplayView's (client/src/display/camera.ts).
    return () => {
      stopLicense()
      stopRules()
      nav.dispose()
      setNavigation(null)
    }
  }, [editor, board, boardId])

  return (
    <div className={`stip-board${board.isDisplay ? ' stip-board--display' : ''}`}>
      {ready ? (
        <LayerViewContext.Provider value={board.layers}>
          <Tldraw
            store={board.store}
            user={user}
            licenseKey={config.tldrawLicenseKey ?? undefined}
            assetUrls={assetUrls}
            hideUi={board.isDisplay}
            autoFocus={!board.isDisplay}
            shapeUtils={stipShapeUtils}
            components={COMPONENTS}
            options={TLDRAW_OPTIONS}
            getShapeVisibility={getShapeVisibility}
            onMount={(mounted) => {
              setEditor(mounted)
              return () => setEditor(null)
            }}
          />
        </LayerViewContext.Provider>
      ) : (
        <p className="stip-center stip-loading">{t('board.loading')}</p>
      )}
      {!board.isDisplay && <StatusBar board={board} editor={editor} />}
      {editor && board.isDisplay && <DisplayView editor={editor} board={board} tools={tools} />}
      {editor && (
        <FacilitatorToolsView editor={editor} board={board} tools={tools} token={token} navigation={navigation} />
      )}
      {editor && navigation && !board.isDisplay && (
        <div className="stip-layer-column">
          <LayerNav editor={editor} view={board.layers} navigation={navigation} />
          <LayerPanel
            editor={editor}
            view={board.layers}
            navigation={navigation}
            boardId={boardId}
            token={token}
            rhythm={rhythm.effective}
          />
          {role === 'facilitator' && <IterationSettings {...rhythm} />}
          {role === 'facilitator' && <NorthStarDialog editor={editor} />}
        </div>
      )}
      {editor && !board.isDisplay && <PathBar editor={editor} view={board.layers} rhythm={rhythm.effective} />}
      {editor && !board.isDisplay && <MilestoneDialog editor={editor} view={board.layers} />}
      <Notices board={board} />
      {!board.isDisplay && <NameDialog board={board} />}
      {unlicensed && <LicenseWarning />}
    </div>
  )
}
