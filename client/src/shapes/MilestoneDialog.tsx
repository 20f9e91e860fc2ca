/**
 * The dialog for one milestone: what it reaches, its description, who carries it, its
 * dates (with a warning outside the method's two to four weeks) and its status. Opens when
 * a milestone enters tldraw's editing state — a double-click, or Enter with it selected —
 * so it is reachable by keyboard; it closes that state again when done. Someone who may
 * not write the milestone's layer sees it read-only.
 */
import { useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import { isIsoDate } from '../../../shared/dates.ts'
import { spanWarning } from '../../../shared/iterations.ts'
import { layerOfShape } from '../../../shared/layers.ts'
import {
  MAX_MILESTONE_DESCRIPTION_LENGTH,
  MAX_MILESTONE_OWNER_LENGTH,
  MAX_MILESTONE_TITLE_LENGTH,
  MILESTONE_STATUSES,
  MILESTONE_TYPE,
  type MilestoneShape,
} from '../../../shared/schema/index.ts'
import { useI18n } from '../i18n.ts'
import type { LayerView } from '../layers/layerView.ts'
import { STATUS_ICON, STATUS_WORD, statusProps } from '../paths/status.ts'

export function MilestoneDialog({ editor, view }: { editor: Editor; view: LayerView }) {
  const editing = useValue('editing milestone', () => {
    const shape = editor.getEditingShape()
    return shape?.type === MILESTONE_TYPE ? (shape as MilestoneShape) : null
  }, [editor])
  if (!editing) return null
  // Keyed by shape: a different milestone starts a fresh draft.
  return <MilestoneForm key={editing.id} editor={editor} view={view} shape={editing} />
}

function MilestoneForm({ editor, view, shape }: { editor: Editor; view: LayerView; shape: MilestoneShape }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState(() => ({ ...shape.props }))
  const mayWrite = view.canWriteIn(layerOfShape(shape))
  const close = () => editor.setEditingShape(null)
  const save = () => {
    if (!mayWrite) return close()
    const props = {
      title: draft.title.trim(),
      description: draft.description.trim(),
      owner: draft.owner.trim(),
      start: isIsoDate(draft.start) ? draft.start : shape.props.start,
      end: isIsoDate(draft.end) && draft.end >= draft.start ? draft.end : shape.props.end,
      ...(draft.status === shape.props.status ? {} : statusProps(draft.status)),
    }
    editor.markHistoryStoppingPoint('edit milestone')
    editor.updateShape<MilestoneShape>({ id: shape.id, type: MILESTONE_TYPE, props })
    close()
  }
  const warning = spanWarning(draft.start, draft.end)
  const field = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => setDraft({ ...draft, [key]: value })

  return (
    <div className="stip-modal" role="dialog" aria-modal="true" aria-labelledby="stip-milestone-title">
      <form
        className="stip-card stip-form"
        data-testid="milestone-dialog"
        onSubmit={(event) => {
          event.preventDefault()
          save()
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') close()
          event.stopPropagation()
        }}
      >
        <h2 id="stip-milestone-title">{t('paths.dialog.title')}</h2>
        {!mayWrite && <p className="stip-form__note">{t('paths.dialog.readOnly')}</p>}
        <fieldset disabled={!mayWrite} className="stip-form__fields">
          <label>
            {t('paths.dialog.name')}
            <input
              // biome-ignore lint/a11y/noAutofocus: the dialog exists to name the step
              autoFocus
              maxLength={MAX_MILESTONE_TITLE_LENGTH}
              value={draft.title}
              data-testid="milestone-title"
              onChange={(event) => field('title', event.target.value)}
            />
          </label>
          <label>
            {t('paths.dialog.description')}
            <textarea
              rows={3}
              maxLength={MAX_MILESTONE_DESCRIPTION_LENGTH}
              value={draft.description}
              data-testid="milestone-description"
              onChange={(event) => field('description', event.target.value)}
            />
          </label>
          <label>
            {t('paths.dialog.owner')}
            <input
              maxLength={MAX_MILESTONE_OWNER_LENGTH}
              value={draft.owner}
              data-testid="milestone-owner"
              onChange={(event) => field('owner', event.target.value)}
            />
          </label>
          <div className="stip-form__row">
            <label>
              {t('paths.dialog.start')}
              <input
                type="date"
                value={draft.start}
                data-testid="milestone-start"
                onChange={(event) => field('start', event.target.value)}
              />
            </label>
            <label>
              {t('paths.dialog.end')}
              <input
                type="date"
                value={draft.end}
                min={draft.start}
                data-testid="milestone-end"
                onChange={(event) => field('end', event.target.value)}
              />
            </label>
          </div>
          {warning && (
            <p className="stip-form__warning" role="status" data-testid="milestone-warning">
              {t(`paths.warning.${warning}`)}
            </p>
          )}
          <fieldset className="stip-form__choices">
            <legend>{t('paths.dialog.status')}</legend>
            {MILESTONE_STATUSES.map((status) => (
              <label key={status} className="stip-form__choice">
                <input
                  type="radio"
                  name="milestone-status"
                  value={status}
                  checked={draft.status === status}
                  data-testid={`milestone-status-${status}`}
                  onChange={() => field('status', status)}
                />
                <span aria-hidden="true">{STATUS_ICON[status]}</span> {t(STATUS_WORD[status])}
              </label>
            ))}
          </fieldset>
        </fieldset>
        <div className="stip-form__actions">
          <button type="button" onClick={close}>
            {mayWrite ? t('paths.dialog.cancel') : t('paths.dialog.close')}
          </button>
          {mayWrite && (
            <button type="submit" className="stip-primary" data-testid="milestone-save">
              {t('paths.dialog.save')}
            </button>
          )}
        </div>
      </form>
    </div>
  )
}
