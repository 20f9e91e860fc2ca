/**
 * Asks a participant's name once; the browser remembers it for every board. Without a
 * name their cursor would say nothing, which is no fun in a room of 70.
 */
import { type FormEvent, useState } from 'react'
import { useValue } from 'tldraw'
import type { BoardState } from '../app/boardState.ts'
import { useI18n } from '../i18n.ts'
import { MAX_NAME_LENGTH } from '../identity.ts'

export function NameDialog({ board }: { board: BoardState }) {
  const { t } = useI18n()
  const saved = useValue('name', () => board.$preferences.get().name ?? '', [board])
  const editing = useValue(board.$editingName)
  const [draft, setDraft] = useState(saved)
  if (saved && !editing) return null

  const submit = (event: FormEvent) => {
    event.preventDefault()
    const name = draft.trim().slice(0, MAX_NAME_LENGTH)
    if (!name) return
    board.setName(name)
    board.$editingName.set(false)
  }

  return (
    <div className="stip-modal" role="dialog" aria-modal="true" aria-labelledby="stip-name-title">
      <form className="stip-card" data-testid="name-dialog" onSubmit={submit}>
        <h2 id="stip-name-title">{t('name.title')}</h2>
        <p>{t('name.help')}</p>
        <input
          // biome-ignore lint/a11y/noAutofocus: the dialog exists only to take this input
          autoFocus
          value={draft}
          maxLength={MAX_NAME_LENGTH}
          placeholder={t('name.placeholder')}
          aria-label={t('name.placeholder')}
          onChange={(event) => setDraft(event.target.value)}
          autoComplete="name"
        />
        <button type="submit" data-testid="name-submit" disabled={!draft.trim()}>
          {t('name.submit')}
        </button>
      </form>
    </div>
  )
}
