/**
 * `/`: create a board. A name (and the creation token, when the server asks for one),
 * then the three links — each with what it is for, since whoever holds a link has its
 * rights.
 */
import { type FormEvent, useEffect, useState } from 'react'
import type { BoardLinks, CreateBoardResponse } from '../../../shared/api.ts'
import { MAX_BOARD_NAME_LENGTH } from '../../../shared/board.ts'
import { createBoard } from '../api.ts'
import { loadConfig } from '../config.ts'
import { type MessageKey, useI18n } from '../i18n.ts'
import { CopyLink } from '../ui/CopyLink.tsx'
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx'

const KNOWN_ERRORS: Record<string, MessageKey> = {
  name_missing: 'error.name_missing',
  name_too_long: 'error.name_too_long',
}

export function HomePage() {
  const { t } = useI18n()
  const [tokenRequired, setTokenRequired] = useState(false)
  const [name, setName] = useState('')
  const [createToken, setCreateToken] = useState('')
  const [busy, setBusy] = useState(false)
  // The key, not the text, so the message follows a language switch.
  const [error, setError] = useState<{ key: MessageKey; values?: Record<string, string> } | null>(null)
  const [created, setCreated] = useState<CreateBoardResponse | null>(null)

  useEffect(() => {
    loadConfig().then(
      (config) => setTokenRequired(config.createTokenRequired),
      () => setError({ key: 'error.network' }),
    )
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    const result = await createBoard(name.trim(), tokenRequired ? createToken.trim() : null)
    setBusy(false)
    if (result.ok) return setCreated(result.value)
    if (result.kind === 'network') return setError({ key: 'error.network' })
    if (result.status === 401 || result.status === 403) return setError({ key: 'error.unauthorized' })
    const known = KNOWN_ERRORS[result.code]
    setError(known ? { key: known } : { key: 'error.generic', values: { message: result.message } })
  }

  return (
    <main className="stip-page">
      <header className="stip-header">
        <h1>Stip</h1>
        <LanguageSwitch />
      </header>
      <p className="stip-tagline">{t('app.tagline')}</p>
      {created ? (
        <section className="stip-card" data-testid="board-created">
          <p>{t('home.created', { name: created.name })}</p>
          <BoardLinkList links={created.links} />
          <button type="button" onClick={() => setCreated(null)}>
            {t('home.another')}
          </button>
        </section>
      ) : (
        <form className="stip-card stip-form" onSubmit={submit} data-testid="create-board">
          <h2>{t('home.title')}</h2>
          <label>
            {t('home.name')}
            <input
              name="name"
              required
              maxLength={MAX_BOARD_NAME_LENGTH}
              placeholder={t('home.namePlaceholder')}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          {tokenRequired && (
            <label>
              {t('home.createToken')}
              <input
                name="createToken"
                type="password"
                required
                autoComplete="off"
                value={createToken}
                onChange={(e) => setCreateToken(e.target.value)}
              />
              <small>{t('home.createTokenHelp')}</small>
            </label>
          )}
          {error && (
            <p className="stip-error" role="alert" data-testid="create-error">
              {t(error.key, error.values)}
            </p>
          )}
          <button type="submit" disabled={busy || !name.trim()}>
            {busy ? t('home.creating') : t('home.create')}
          </button>
        </form>
      )}
    </main>
  )
}

const ROLES_SHOWN = ['facilitator', 'participant', 'display'] as const

function BoardLinkList({ links }: { links: BoardLinks }) {
  const { t } = useI18n()
  return (
    <dl className="stip-links">
      {ROLES_SHOWN.map((role) => (
        <div key={role} data-testid={`link-${role}`}>
          <dt>{t(`home.link.${role}`)}</dt>
          <dd>
            <small>{t(`home.link.${role}Help`)}</small>
            <CopyLink url={links[role]} />
          </dd>
        </div>
      ))}
    </dl>
  )
}
