/**
 * The celebration itself, on every screen: a badge on the milestone just reached — "Behaald!",
 * the team, the step and its path's progress ("4 van 7 behaald") — with a short burst of
 * confetti in the layer's colour. It sits on the milestone's place on the screen, following
 * the camera, and stays inside the screen when the milestone is off it (a participant
 * looking elsewhere still sees it). `celebrations.ts` decides what shows and for how long.
 *
 * With `prefers-reduced-motion` there is no movement and no confetti, only a calm badge.
 * Screen readers hear the same words through a polite live region that is always present,
 * so the announcement is never lost to the region appearing with it.
 */
import { useEffect, useState } from 'react'
import { type Editor, getColorValue, type TLShape, useValue } from 'tldraw'
import { type Translate, useI18n } from '../i18n.ts'
import type { Celebration, CelebrationWatch } from './celebrations.ts'
import { reachedKey } from './remembered.ts'
import './celebration.css'

/** Screen pixels the badge keeps from the screen's edges (about half its size). */
const EDGE = { x: 170, top: 150, bottom: 24 }
const CONFETTI = 14

/** The words a screen reader hears (and the badge shows, in parts). */
export function announcement(t: Translate, celebration: Celebration): string {
  const title = celebration.title || t('celebration.untitled')
  const team = celebration.team || '—'
  return celebration.progress
    ? t('celebration.announceProgress', { team, title, ...celebration.progress })
    : t('celebration.announce', { team, title })
}

/** Whether the person asked their system for less motion, following changes live. */
function usePrefersReducedMotion(): boolean {
  const query = '(prefers-reduced-motion: reduce)'
  const [reduced, setReduced] = useState(() => window.matchMedia?.(query).matches ?? false)
  useEffect(() => {
    const list = window.matchMedia?.(query)
    if (!list) return
    const onChange = () => setReduced(list.matches)
    list.addEventListener('change', onChange)
    return () => list.removeEventListener('change', onChange)
  }, [])
  return reduced
}

export function CelebrationOverlay({
  editor,
  watch,
  badge = true,
}: {
  editor: Editor
  watch: CelebrationWatch
  /** False: only the live region's words (the outline's page, where no canvas shows). */
  badge?: boolean
}) {
  const { t } = useI18n()
  const current = useValue(watch.$current)
  const reducedMotion = usePrefersReducedMotion()
  const place = useValue('celebration place', () => {
    if (!current) return null
    const bounds = editor.getShapePageBounds(current.id as TLShape['id'])
    if (!bounds) return null
    const point = editor.pageToViewport({ x: bounds.midX, y: bounds.minY })
    const screen = editor.getViewportScreenBounds()
    const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max))
    return {
      x: clamp(point.x, EDGE.x, screen.w - EDGE.x),
      y: clamp(point.y, EDGE.top, screen.h - EDGE.bottom),
    }
  }, [editor, current])
  const accent = useValue('celebration colour', () => {
    if (!current?.color) return null
    const colors = editor.getCurrentTheme().colors[editor.getColorMode()]
    return getColorValue(colors, current.color, 'solid')
  }, [editor, current])

  return (
    <div className="stip-celebrations">
      <div className="stip-visually-hidden" aria-live="polite" data-testid="celebration-announcement">
        {current ? announcement(t, current) : ''}
      </div>
      {badge && current && place && (
        <div
          key={reachedKey(current)}
          className={`stip-celebration${reducedMotion ? ' stip-celebration--calm' : ''}`}
          data-testid="celebration"
          data-milestone={current.id}
          data-motion={reducedMotion ? 'reduced' : 'full'}
          aria-hidden="true"
          style={{
            transform: `translate(${place.x}px, ${place.y}px)`,
            ...(accent ? { ['--stip-celebration-accent' as string]: accent } : {}),
          }}
        >
          {!reducedMotion && (
            <div className="stip-celebration__confetti" data-testid="celebration-confetti">
              {Array.from({ length: CONFETTI }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a fixed set of decorations
                <span key={i} style={{ ['--i' as string]: i, ['--n' as string]: CONFETTI }} />
              ))}
            </div>
          )}
          <div className="stip-celebration__badge">
            <span className="stip-celebration__icon">★</span>
            <span className="stip-celebration__reached">{t('celebration.reached')}</span>
            {current.team && (
              <span className="stip-celebration__team" data-testid="celebration-team">
                {current.team}
              </span>
            )}
            <span className="stip-celebration__title" data-testid="celebration-title">
              {current.title || t('celebration.untitled')}
            </span>
            {current.progress && (
              <span className="stip-celebration__progress" data-testid="celebration-progress">
                {t('celebration.progress', current.progress)}
              </span>
            )}
          </div>
        </div>
      )}
    </div>
  )
}
