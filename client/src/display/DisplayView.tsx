/**
 * The wall display: what the display link shows on a projector or a lobby screen, hands-
 * free, for months. Mounted by `BoardRoom` for the `display` role, over a tldraw editor
 * that has no UI and is read-only. It adds:
 * - the camera for the chosen mode (`camera.ts`), chosen in the URL and switchable live
 *   by a facilitator (`settings.ts`);
 * - a header strip with the board's name and the mission, always legible;
 * - a caption naming the tour's stop, with its progress and the iteration (or the
 *   facilitator followed);
 * - during a celebration (`client/src/celebration/`), in overview and tour, the camera on
 *   the milestone reached; the mode's controller is stopped meanwhile and resumes after;
 * - a soft glow where the drawing just changed (`highlights.ts`);
 * - the join code, when asked for;
 * - a discreet badge, only when not connected (reconnecting is automatic, forever);
 * - a screen wake lock;
 * - the facilitator's spotlight: a spotlit layer overrides the mode until it is released
 *   (the timer, results and reactions are `FacilitatorToolsView`'s, shown on displays too).
 */
import { type Ref, useEffect, useRef, useState } from 'react'
import { type Editor, type Signal, type TLRichText, useValue } from 'tldraw'
import type { DisplaySettings } from '../../../shared/display.ts'
import { NORTH_STAR_ID } from '../../../shared/schema/index.ts'
import type { BoardState } from '../app/boardState.ts'
import type { CelebrationWatch } from '../celebration/celebrations.ts'
import type { FacilitatorTools } from '../facilitator/tools.ts'
import { useI18n } from '../i18n.ts'
import { useRhythm } from '../paths/rhythm.ts'
import { type ScreenArea, showMilestone, startFollow, startOverview, startTour, type TourStop } from './camera.ts'
import { type StopProgress, stopProgress } from './caption.ts'
import { type Highlight, type Highlights, trackHighlights } from './highlights.ts'
import { JoinCode } from './JoinCode.tsx'
import { richTextToPlain } from './richText.ts'
import { createDisplaySettings } from './settings.ts'
import { keepScreenAwake } from './wakeLock.ts'
import './display.css'

declare global {
  interface Window {
    /** The display's effective settings, for browser tests (read only). */
    __stipDisplaySettings?: () => DisplaySettings
    /**
     * Bench only (`bench/scenarios/display-heap.ts` sets it before the page loads): seconds
     * per tour stop below the 5 s a link or a facilitator may ask for, so that a heap bench
     * sees hundreds of stops in minutes. Nothing in the product sets it.
     */
    __stipBenchTourSeconds?: number
  }
}

/** What the caption strip says: a tour stop, or whom the display follows. */
type Caption = { kind: 'tour'; stop: TourStop; progress: StopProgress | null } | { kind: 'follow'; name: string } | null

/** How long the camera takes to reach a milestone being celebrated. */
const CELEBRATION_MOVE_MS = 900

export function DisplayView({
  editor,
  board,
  celebrations,
  tools,
}: {
  editor: Editor
  board: BoardState
  celebrations: CelebrationWatch | null
  tools: FacilitatorTools
}) {
  const { t } = useI18n()
  const [live] = useState(() => createDisplaySettings(board.connection.doc))
  const settings = useValue(live.$settings)
  const spotlight = useValue(tools.$spotlight)
  const status = useValue(board.$status)
  const [caption, setCaption] = useState<Caption>(null)
  const [highlights, setHighlights] = useState<Highlights | null>(null)
  const headerRef = useRef<HTMLElement>(null)
  const joinRef = useRef<HTMLDivElement>(null)
  const joinLink = settings.showJoinCode ? settings.joinLink : null
  // Read at each tour stop: a ref, so a new rhythm does not restart the camera.
  const { effective } = useRhythm(board.connection.doc)
  const rhythm = useRef(effective)
  rhythm.current = effective
  const celebrating = useValue('display celebrating', () => celebrations?.$current.get()?.id ?? null, [celebrations])
  /** The tour's stop when it was paused, to resume there. */
  const tourStop = useRef(0)

  useEffect(() => {
    window.__stipDisplaySettings = () => live.$settings.get()
    return () => {
      live.dispose()
      window.__stipDisplaySettings = undefined
    }
  }, [live])

  useEffect(() => keepScreenAwake(), [])

  useEffect(() => {
    const tracked = trackHighlights(editor)
    setHighlights(tracked)
    return () => tracked.dispose()
  }, [editor])

  // A spotlit layer: the display drills into it (the layer in focus, the rest not drawn) and
  // keeps it fitted, whatever its mode, until the facilitator releases it.
  useEffect(() => {
    const before = board.layers.$focus.get()
    if (!spotlight) return
    board.layers.$focus.set(spotlight)
    return () => {
      board.layers.$focus.set(before)
    }
  }, [board, spotlight])

  // One camera controller at a time; a mode change stops the old one (timers, listeners).
  const { tourSeconds } = settings
  const mode = spotlight ? 'overview' : settings.mode
  const northStarName = t('display.tour.northStar')
  // Follow stays with the facilitator; overview and tour go to the milestone and come back.
  const showing = mode === 'follow' ? null : celebrating
  // biome-ignore lint/correctness/useExhaustiveDependencies: a join panel appearing changes the safe area
  useEffect(() => {
    const getArea = () => safeArea(editor, headerRef.current, joinRef.current)
    if (showing) {
      const calm = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches
      showMilestone(editor, showing, getArea, calm ? 0 : CELEBRATION_MOVE_MS)
      return
    }
    if (mode === 'tour') {
      const benchSeconds = window.__stipBenchTourSeconds
      return startTour(editor, {
        seconds: typeof benchSeconds === 'number' && benchSeconds > 0 ? benchSeconds : tourSeconds,
        getArea,
        northStarName,
        firstStop: tourStop.current,
        onStop: (stop) => {
          if (stop) tourStop.current = stop.index
          setCaption(stop ? { kind: 'tour', stop, progress: stopProgress(editor, stop.layerId, rhythm.current) } : null)
        },
      })
    }
    if (mode === 'follow') {
      return startFollow(editor, {
        awareness: board.connection.provider.awareness,
        getArea,
        onLeader: (leader) => setCaption(leader ? { kind: 'follow', name: leader.name } : null),
      })
    }
    return startOverview(editor, getArea)
  }, [editor, board, mode, tourSeconds, northStarName, joinLink, showing, spotlight])

  const classes = [
    'stip-display',
    settings.highContrast ? 'stip-display--contrast' : '',
    settings.showCursors ? '' : 'stip-display--no-cursors',
  ]
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid="display-view"
      data-mode={mode}
      data-spotlight={spotlight ?? ''}
    >
      {highlights && <HighlightOverlay editor={editor} highlights={highlights.$highlights} />}
      <Header editor={editor} ref={headerRef} />
      {caption && (
        <div
          className="stip-display__caption"
          data-testid="display-caption"
          data-layer={caption.kind === 'tour' ? (caption.stop.layerId ?? '') : ''}
          key={caption.kind === 'tour' ? `${caption.stop.layerId}:${caption.stop.index}` : 'follow'}
        >
          {caption.kind === 'tour' ? caption.stop.name : `→ ${caption.name}`}
          {caption.kind === 'tour' && caption.progress && (
            <span className="stip-display__caption-progress" data-testid="display-caption-progress">
              {' · '}
              {t('display.tour.progress', { done: caption.progress.done, total: caption.progress.total })}
              {' · '}
              {t('display.tour.iteration', { number: caption.progress.iteration })}
            </span>
          )}
          {caption.kind === 'tour' && caption.stop.total > 1 && (
            <span className="stip-display__caption-count">
              {caption.stop.index + 1} / {caption.stop.total}
            </span>
          )}
        </div>
      )}
      {joinLink && (
        <div ref={joinRef}>
          <JoinCode link={joinLink} />
        </div>
      )}
      {/* Always in the DOM (tests and monitoring read it), visible only when not connected. */}
      <div
        className={`stip-display__badge stip-display__badge--${status}`}
        data-testid="connection-status"
        data-state={status}
        role="status"
      >
        {status === 'connected'
          ? ''
          : t(
              status === 'denied'
                ? 'display.badge.denied'
                : status === 'offline'
                  ? 'display.badge.offline'
                  : 'display.badge.connecting',
            )}
      </div>
    </div>
  )
}

/** The board's name and the mission: large, on every screen size, whatever the zoom. */
function Header({ editor, ref }: { editor: Editor; ref: Ref<HTMLElement> }) {
  const { t } = useI18n()
  const boardName = useValue('display board name', () => editor.getDocumentSettings().name, [editor])
  const star = useValue('display north star', () => {
    const shape = editor.getShape(NORTH_STAR_ID) as { props: { mission?: TLRichText; subtitle?: string } } | undefined
    return { mission: richTextToPlain(shape?.props.mission), subtitle: shape?.props.subtitle ?? '' }
  }, [editor])
  const mission = star.mission || t('display.header.noMission')
  return (
    <header className="stip-display__header" ref={ref} data-testid="display-header">
      <div className="stip-display__board">{boardName || star.subtitle}</div>
      <div className="stip-display__mission" data-testid="display-mission">
        <span aria-hidden="true" className="stip-display__dot" />
        {mission}
      </div>
    </header>
  )
}

/** Glows where shapes changed in the last two seconds; follows the camera. */
function HighlightOverlay({ editor, highlights }: { editor: Editor; highlights: Signal<readonly Highlight[]> }) {
  const rects = useValue('display highlight rects', () => {
    const list = highlights.get()
    if (list.length === 0) return []
    const zoom = editor.getZoomLevel()
    const out: { key: string; x: number; y: number; w: number; h: number }[] = []
    for (const { id, changedAt } of list) {
      const bounds = editor.getShapePageBounds(id)
      if (!bounds || editor.isShapeHidden(id)) continue
      const topLeft = editor.pageToViewport(bounds.point)
      out.push({ key: `${id}:${changedAt}`, x: topLeft.x, y: topLeft.y, w: bounds.w * zoom, h: bounds.h * zoom })
    }
    return out
  }, [editor, highlights])
  return (
    <div className="stip-display__highlights" aria-hidden="true" data-testid="display-highlights">
      {rects.map((rect) => (
        <div
          key={rect.key}
          className="stip-display__glow"
          style={{ transform: `translate(${rect.x}px, ${rect.y}px)`, width: rect.w, height: rect.h }}
        />
      ))}
    </div>
  )
}

/** The part of the screen the drawing may use: below the header, left of the join panel. */
function safeArea(editor: Editor, header: HTMLElement | null, join: HTMLElement | null): ScreenArea {
  const screen = editor.getViewportScreenBounds()
  const top = header ? Math.max(0, header.getBoundingClientRect().bottom - screen.y) : 0
  const joinBox = join?.firstElementChild?.getBoundingClientRect()
  const right = joinBox && joinBox.width > 0 ? Math.max(0, joinBox.left - screen.x) : screen.w
  return { x: 0, y: top, w: Math.max(1, right), h: Math.max(1, screen.h - top) }
}
