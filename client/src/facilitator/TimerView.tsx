/**
 * The session timer as everyone sees it — participants, facilitators and wall displays:
 * the remaining time from the server's clock (`tools.now()`), so every screen shows the
 * same second whatever its own clock says. The last `FINAL_SECONDS` are emphasised; the end
 * is announced politely to screen readers, and a soft sound plays where it is wanted (the
 * facilitator's `sound` choice; a display only with `?sound=1` in its URL).
 */
import { useEffect, useRef, useState } from 'react'
import { useValue } from 'tldraw'
import { FINAL_SECONDS, formatSeconds, remainingSeconds } from '../../../shared/timer.ts'
import { useI18n } from '../i18n.ts'
import { playSoftChime } from './sound.ts'
import type { FacilitatorTools } from './tools.ts'

/** How often the shown second is recomputed: well within a second, so it never lags one. */
const TICK_MS = 200

export function TimerView({ tools, isDisplay }: { tools: FacilitatorTools; isDisplay: boolean }) {
  const { t } = useI18n()
  const timer = useValue(tools.$timer)
  useValue(tools.$offset) // a new offset is a new reading
  const [, setTick] = useState(0)
  const chimedFor = useRef<number | null>(null)

  useEffect(() => {
    if (!timer || timer.endsAt === null) return
    const interval = setInterval(() => setTick((tick) => tick + 1), TICK_MS)
    return () => clearInterval(interval)
  }, [timer])

  const seconds = timer ? remainingSeconds(timer, tools.now()) : 0
  const over = timer !== null && timer.endsAt !== null && seconds === 0
  const soundWanted = isDisplay ? new URLSearchParams(location.search).get('sound') === '1' : !!timer?.sound

  useEffect(() => {
    if (!over || !timer?.endsAt || chimedFor.current === timer.endsAt) return
    chimedFor.current = timer.endsAt
    // Only a timer that ran out while we watched chimes, not one that was over at load.
    if (soundWanted && tools.now() - timer.endsAt < 5_000) playSoftChime()
  }, [over, timer, soundWanted, tools])

  if (!timer) return null
  const final = !over && timer.endsAt !== null && seconds <= FINAL_SECONDS
  const classes = [
    'stip-timer',
    isDisplay ? 'stip-timer--display' : '',
    final ? 'stip-timer--final' : '',
    over ? 'stip-timer--over' : '',
  ]
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-testid="timer"
      data-remaining={seconds}
      data-paused={timer.endsAt === null ? 'true' : 'false'}
    >
      <span className="stip-timer__label">{t('facilitator.timer.label')}</span>
      <span className="stip-timer__time" aria-hidden={over ? 'true' : undefined}>
        {formatSeconds(seconds)}
      </span>
      {timer.endsAt === null && <span className="stip-timer__paused">{t('facilitator.timer.paused')}</span>}
      <span className="stip-visually-hidden" role="status" aria-live="polite">
        {over ? t('facilitator.timer.over') : ''}
      </span>
    </div>
  )
}
