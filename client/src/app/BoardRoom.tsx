/**
 * An open board: the tldraw editor bound to the board's Y.Doc, with Stip's own overlays
 * (connection, participants, name dialog, reload and licence notices, layer panel,
 * outline) beside it — not inside it, so they stay visible even if tldraw blanks itself.
 *
 * The board's outline address (`/b/<board>/outline`, `outlinePage`) is this same room with
 * the canvas hidden and the outline as the page [1].
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { createTLCurrentUser, type Editor, type TLComponents, type TLShape, Tldraw, useValue } from 'tldraw'
import type { ClientConfig } from '../../../shared/api.ts'
import type { LayerRecord } from '../../../shared/layers.ts'
import type { Role } from '../../../shared/roles.ts'
import { LicenseWarning } from '../board/LicenseWarning.tsx'
import { watchLicense } from '../board/license.ts'
import { NameDialog } from '../board/NameDialog.tsx'
import { Notices } from '../board/Notices.tsx'
import { StatusBar } from '../board/StatusBar.tsx'
import { CelebrationOverlay } from '../celebration/CelebrationOverlay.tsx'
import { useCelebrations } from '../celebration/useCelebrations.ts'
import { DisplayView } from '../display/DisplayView.tsx'
import { ExportButton } from '../export/ExportDialog.tsx'
import { FacilitatorToolsView } from '../facilitator/FacilitatorTools.tsx'
import { createFacilitatorTools } from '../facilitator/tools.ts'
import { VersionsPanel } from '../history/VersionsPanel.tsx'
import { useI18n } from '../i18n.ts'
import { KeptBanner } from '../kept/KeptBanner.tsx'
import { LayerFading } from '../layers/LayerFading.tsx'
import { LayerNav } from '../layers/LayerNav.tsx'
import { LayerPanel } from '../layers/LayerPanel.tsx'
import { LayerShapeWrapper } from '../layers/LayerShapeWrapper.tsx'
import { createLayerNavigation, type LayerNavigation } from '../layers/navigation.ts'
import { registerLayerRules } from '../layers/rules.ts'
import { OutlinePage, OutlinePanel } from '../outline/OutlineView.tsx'
import { IterationSettings } from '../paths/IterationSettings.tsx'
import { PathBar } from '../paths/PathBar.tsx'
import { usePublishRhythm, useRhythm } from '../paths/rhythm.ts'
import { stipShapeUtils } from '../shapes/index.ts'
import { MilestoneDialog } from '../shapes/MilestoneDialog.tsx'
import { NorthStarDialog } from '../shapes/NorthStarDialog.tsx'
import { NorthStarShapeUtil } from '../shapes/NorthStarShapeUtil.tsx'
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

/**
 * tldraw's default is 4,000 shapes per page, and it silently refuses to create more; a
 * board that lives for years, one page for the whole municipality, needs more (issue #13
 * asks for a 5,000-shape poster). Off-screen shapes are culled, so the canvas stays usable.
 */
const MAX_SHAPES_PER_PAGE = 20_000

/** One page only: layers structure the drawing instead (`PageMenu` hidden, `maxPages: 1`). */
const TLDRAW_OPTIONS = { maxPages: 1, maxShapesPerPage: MAX_SHAPES_PER_PAGE }
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
  /** The board's name, as the server (or the last visit) gave it. */
  boardName?: string
  /** The outline's own address: the outline is the page, the canvas hidden. */
  outlinePage?: boolean
}

/** The board itself. Mount once per board and token. */
export function BoardRoom(props: BoardRoomProps) {
  const { boardId, token, role, scopeLayerId, initialLayerId, config, boardName = '', outlinePage = false } = props
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
  const celebrations = useCelebrations(editor, boardId)
  // Only a facilitator writes the mission, so only they are asked to; others (the wall
  // display above all) see the board's name in an empty north star instead.
  const shapeUtils = useMemo(
    () =>
      role === 'facilitator'
        ? stipShapeUtils
        : stipShapeUtils.map((util) =>
            util === NorthStarShapeUtil ? NorthStarShapeUtil.configure({ editHint: false }) : util,
          ),
    [role],
  )
  const [unlicensed, setUnlicensed] = useState(false)
  const ready = useValue(board.$ready)
  const tools = useMemo(() => createFacilitatorTools(board.connection), [board])
  useEffect(() => () => tools.dispose(), [tools])
  const [outlineOpen, setOutlineOpen] = useState(false)
  const outlineToggle = useRef<HTMLButtonElement>(null)
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
    // A layer's own address opens it; the overview opens at the whole drawing. The display's
    // camera is DisplayView's alone: fitting here (after its effect ran) undid its first move.
    const opened = board.layers.$focus.get()
    if (opened) nav.open(opened, 'replace')
    else if (!board.isDisplay) nav.fitCamera(null, false)
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

  const chrome = !board.isDisplay && !outlinePage
  const classes = ['stip-board', board.isDisplay && 'stip-board--display', outlinePage && 'stip-board--outline']
  return (
    <div className={classes.filter(Boolean).join(' ')}>
      {/* [1] Hidden and inert on the outline's page: nobody can see, reach or focus it. */}
      <div className="stip-canvas" inert={outlinePage} aria-hidden={outlinePage || undefined}>
        {ready ? (
          <>
            <LayerFading view={board.layers} />
            <Tldraw
              store={board.store}
              user={user}
              licenseKey={config.tldrawLicenseKey ?? undefined}
              assetUrls={assetUrls}
              hideUi={board.isDisplay || outlinePage}
              autoFocus={chrome}
              shapeUtils={shapeUtils}
              components={COMPONENTS}
              options={TLDRAW_OPTIONS}
              maxAssetSize={config.maxImageBytes}
              getShapeVisibility={getShapeVisibility}
              onMount={(mounted) => {
                setEditor(mounted)
                return () => setEditor(null)
              }}
            />
          </>
        ) : (
          !outlinePage && <p className="stip-center stip-loading">{t('board.loading')}</p>
        )}
      </div>
      {!board.isDisplay && <StatusBar board={board} editor={editor} />}
      {editor && board.isDisplay && !outlinePage && (
        <DisplayView editor={editor} board={board} celebrations={celebrations} tools={tools} />
      )}
      {/* On the outline's page only its words, for screen readers: the canvas is hidden there. */}
      {editor && celebrations && <CelebrationOverlay editor={editor} watch={celebrations} badge={!outlinePage} />}
      {editor && !outlinePage && (
        <FacilitatorToolsView editor={editor} board={board} tools={tools} token={token} navigation={navigation} />
      )}
      {editor && navigation && chrome && (
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
          <button
            type="button"
            className="stip-outline-toggle"
            ref={outlineToggle}
            data-testid="outline-toggle"
            aria-expanded={outlineOpen}
            aria-controls={outlineOpen ? 'stip-outline-panel' : undefined}
            title={t('outline.openLabel')}
            onClick={() => setOutlineOpen(!outlineOpen)}
          >
            {t('outline.open')}
          </button>
          <ExportButton editor={editor} view={board.layers} boardName={boardName} />
          {role === 'facilitator' && <VersionsPanel boardId={boardId} token={token} />}
          <IterationSettings {...rhythm} canEdit={role === 'facilitator'} />
          {role === 'facilitator' && <NorthStarDialog editor={editor} />}
        </div>
      )}
      {editor && chrome && <PathBar editor={editor} view={board.layers} rhythm={rhythm.effective} />}
      {editor && chrome && <MilestoneDialog editor={editor} view={board.layers} />}
      {editor && chrome && outlineOpen && (
        <OutlinePanel
          editor={editor}
          view={board.layers}
          doc={board.connection.doc}
          boardId={boardId}
          onClose={() => {
            setOutlineOpen(false)
            outlineToggle.current?.focus() // back where the keyboard user opened it
          }}
        />
      )}
      {outlinePage &&
        (editor ? (
          <OutlinePage
            editor={editor}
            view={board.layers}
            doc={board.connection.doc}
            boardId={boardId}
            boardName={boardName}
          />
        ) : (
          <p className="stip-center stip-loading">{t('outline.loading')}</p>
        ))}
      <Notices board={board} />
      {!board.isDisplay && <KeptBanner board={board} />}
      {!board.isDisplay && <NameDialog board={board} />}
      {unlicensed && <LicenseWarning />}
    </div>
  )
}

// [1] The outline needs what the canvas has: the live store, the layer rules that check each
//     change before it is sent (`registerLayerRules`), and the editor that writes a status
//     change as any change on the canvas. Mounting the same board room with the canvas
//     hidden gives the outline page all of it — the same connection, presence, notices and
//     name — without a second way to talk to the server. The hidden canvas still renders,
//     but tldraw culls what is off screen and the page stays as light as the board itself.
