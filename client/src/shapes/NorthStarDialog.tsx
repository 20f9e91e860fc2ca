/**
 * The facilitator's dialog for the north star's text: the mission and its subtitle. Opens
 * on a double-click of the north star (`EDIT_NORTH_STAR_EVENT`). A plain dialog rather
 * than tldraw's in-place rich text editor: the mission is agreed on together and typed
 * once, and a dialog is easy to reach by keyboard and screen reader.
 */
import { useEffect, useState } from 'react'
import { type Editor, renderPlaintextFromRichText, toRichText } from 'tldraw'
import { NORTH_STAR_ID, NORTH_STAR_TYPE, type NorthStarShape } from '../../../shared/schema/index.ts'
import { useI18n } from '../i18n.ts'
import { EDIT_NORTH_STAR_EVENT } from './NorthStarShapeUtil.tsx'

export function NorthStarDialog({ editor }: { editor: Editor }) {
  const { t } = useI18n()
  const [draft, setDraft] = useState<{ mission: string; subtitle: string } | null>(null)

  useEffect(() => {
    const open = () => {
      const shape = editor.getShape<NorthStarShape>(NORTH_STAR_ID)
      if (!shape) return
      setDraft({ mission: renderPlaintextFromRichText(editor, shape.props.mission), subtitle: shape.props.subtitle })
    }
    window.addEventListener(EDIT_NORTH_STAR_EVENT, open)
    return () => window.removeEventListener(EDIT_NORTH_STAR_EVENT, open)
  }, [editor])

  if (!draft) return null
  const save = () => {
    editor.markHistoryStoppingPoint('edit north star')
    editor.updateShape({
      id: NORTH_STAR_ID,
      type: NORTH_STAR_TYPE,
      props: { mission: toRichText(draft.mission.trim()), subtitle: draft.subtitle.trim() },
    })
    setDraft(null)
  }
  return (
    <div className="stip-modal" role="dialog" aria-modal="true" aria-labelledby="stip-north-star-title">
      <form
        className="stip-card stip-form"
        data-testid="north-star-dialog"
        onSubmit={(event) => {
          event.preventDefault()
          save()
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setDraft(null)
          event.stopPropagation()
        }}
      >
        <h2 id="stip-north-star-title">{t('northStar.title')}</h2>
        <label>
          {t('northStar.mission')}
          <textarea
            // biome-ignore lint/a11y/noAutofocus: the dialog exists to type the mission
            autoFocus
            rows={4}
            value={draft.mission}
            data-testid="north-star-mission"
            onChange={(event) => setDraft({ ...draft, mission: event.target.value })}
          />
        </label>
        <label>
          {t('northStar.subtitle')}
          <input
            value={draft.subtitle}
            data-testid="north-star-subtitle"
            onChange={(event) => setDraft({ ...draft, subtitle: event.target.value })}
          />
        </label>
        <div className="stip-form__actions">
          <button type="button" onClick={() => setDraft(null)}>
            {t('northStar.cancel')}
          </button>
          <button type="submit" className="stip-primary">
            {t('northStar.save')}
          </button>
        </div>
      </form>
    </div>
  )
}
