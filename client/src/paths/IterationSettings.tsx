/**
 * The board's current iteration, for everyone, and the facilitator's setting of the rhythm: two, three or four weeks, and
 * the day the first iteration starts. Shows which iteration is current, so the numbers on
 * every milestone can be checked at a glance. Stored in `meta.iterations` (facilitators
 * only, `shared/meta.ts`); every screen renumbers at once.
 */
import { useState } from 'react'
import { isIsoDate, mondayOf, today } from '../../../shared/dates.ts'
import {
  formatIteration,
  ITERATION_WEEKS,
  type IterationRhythm,
  type IterationWeeks,
  iterationOf,
} from '../../../shared/iterations.ts'
import { useI18n } from '../i18n.ts'
import type { MetaBinding } from '../sync/meta.ts'

export function IterationSettings(props: {
  stored: IterationRhythm | null
  effective: IterationRhythm
  binding: MetaBinding<IterationRhythm>
  /** Facilitators only: everyone else sees the current iteration, not the setting. */
  canEdit: boolean
}) {
  const { t, language } = useI18n()
  const [open, setOpen] = useState(false)
  const [draft, setDraft] = useState<IterationRhythm>(props.stored ?? props.effective)
  const current = iterationOf(props.effective, today())
  return (
    <section
      className="stip-card stip-iterations"
      data-testid="iteration-settings"
      aria-label={t('paths.rhythm.title')}
      onKeyDown={(event) => event.stopPropagation()}
    >
      {props.canEdit ? (
        <button
          type="button"
          className="stip-iterations__toggle"
          aria-expanded={open}
          onClick={() => {
            setDraft(props.stored ?? props.effective)
            setOpen(!open)
          }}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {t('paths.rhythm.title')}
        </button>
      ) : (
        <span className="stip-iterations__toggle">{t('paths.rhythm.title')}</span>
      )}
      <p className="stip-iterations__current" data-testid="iteration-current">
        {t('paths.rhythm.current', { iteration: formatIteration(current, language) })}
      </p>
      {open && props.canEdit && (
        <form
          className="stip-form"
          onSubmit={(event) => {
            event.preventDefault()
            if (isIsoDate(draft.firstStart)) props.binding.write(draft)
            setOpen(false)
          }}
        >
          {!props.stored && <p className="stip-form__note">{t('paths.rhythm.notSet')}</p>}
          <label>
            {t('paths.rhythm.weeks')}
            <select
              value={draft.weeks}
              data-testid="iteration-weeks"
              onChange={(event) => setDraft({ ...draft, weeks: Number(event.target.value) as IterationWeeks })}
            >
              {ITERATION_WEEKS.map((weeks) => (
                <option key={weeks} value={weeks}>
                  {t('paths.rhythm.weeksOption', { weeks })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('paths.rhythm.firstStart')}
            <input
              type="date"
              value={draft.firstStart}
              data-testid="iteration-first-start"
              onChange={(event) =>
                setDraft({
                  ...draft,
                  firstStart: isIsoDate(event.target.value) ? event.target.value : mondayOf(today()),
                })
              }
            />
          </label>
          <div className="stip-form__actions">
            <button type="submit" className="stip-primary" data-testid="iteration-save">
              {t('paths.rhythm.save')}
            </button>
          </div>
        </form>
      )}
    </section>
  )
}
