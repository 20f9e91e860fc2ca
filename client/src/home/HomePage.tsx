/**
 * `/`: create a board. A name, what it starts with — the template "Stip op de horizon"
 * (preselected, with optional department names, one per line) or an empty board — and the
 * creation token when the server asks for one; then the three links, each with what it is
 * for, since whoever holds a link has its rights. Department names are checked with the
 * server's own rules (`validateDepartments`) before anything is sent.
 */
import { type FormEvent, useEffect, useState } from 'react'
import type { BoardLinks, CreateBoardResponse } from '../../../shared/api.ts'
import {
  type BoardTemplate,
  type DepartmentsCheck,
  MAX_BOARD_NAME_LENGTH,
  MAX_TEMPLATE_DEPARTMENTS,
  validateDepartments,
} from '../../../shared/board.ts'
import { MAX_LAYER_NAME_LENGTH } from '../../../shared/layers.ts'
import { createBoard } from '../api.ts'
import { loadConfig } from '../config.ts'
import { type MessageKey, useI18n } from '../i18n.ts'
import { CopyLink } from '../ui/CopyLink.tsx'
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx'

const KNOWN_ERRORS: Record<string, MessageKey> = {
  name_missing: 'error.name_missing',
  name_too_long: 'error.name_too_long',
}

type ShownError = { key: MessageKey; values?: Record<string, string> }

/** The message of a department check that failed, in the person's language. */
function departmentsError(check: Extract<DepartmentsCheck, { ok: false }>, names: string[]): ShownError {
  switch (check.code) {
    case 'too_many_departments':
      return { key: 'home.error.tooManyDepartments', values: { max: String(MAX_TEMPLATE_DEPARTMENTS) } }
    case 'duplicate_department': {
      const seen = new Set<string>()
      const twice = names.find((name) => {
        const key = name.toLocaleLowerCase('nl')
        if (seen.has(key)) return true
        seen.add(key)
        return false
      })
      return { key: 'home.error.duplicateDepartment', values: { name: twice ?? '' } }
    }
    default:
      return { key: 'home.error.departmentName', values: { max: String(MAX_LAYER_NAME_LENGTH) } }
  }
}

/** The names in the departments field: one per line, blank lines left out. */
function departmentLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

export function HomePage() {
  const { t, language } = useI18n()
  const [tokenRequired, setTokenRequired] = useState(false)
  const [name, setName] = useState('')
  const [createToken, setCreateToken] = useState('')
  const [template, setTemplate] = useState<BoardTemplate>('horizon')
  const [departments, setDepartments] = useState('')
  const [busy, setBusy] = useState(false)
  // The key, not the text, so the message follows a language switch.
  const [error, setError] = useState<ShownError | null>(null)
  const [created, setCreated] = useState<CreateBoardResponse | null>(null)

  useEffect(() => {
    loadConfig().then(
      (config) => setTokenRequired(config.createTokenRequired),
      () => setError({ key: 'error.network' }),
    )
  }, [])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setError(null)
    const names = template === 'horizon' ? departmentLines(departments) : []
    const check = validateDepartments(names, template)
    if (!check.ok) return setError(departmentsError(check, names))
    setBusy(true)
    const result = await createBoard(
      { name: name.trim(), template, departments: check.names, language },
      tokenRequired ? createToken.trim() : null,
    )
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
          <fieldset className="stip-choice" data-testid="template-choice">
            <legend>{t('home.start')}</legend>
            <label>
              <input
                type="radio"
                name="template"
                value="horizon"
                checked={template === 'horizon'}
                onChange={() => setTemplate('horizon')}
              />
              <span>
                {t('home.template.horizon')}
                <small>{t('home.template.horizonHelp')}</small>
              </span>
            </label>
            <label>
              <input
                type="radio"
                name="template"
                value="empty"
                checked={template === 'empty'}
                onChange={() => setTemplate('empty')}
              />
              <span>
                {t('home.template.empty')}
                <small>{t('home.template.emptyHelp')}</small>
              </span>
            </label>
          </fieldset>
          {template === 'horizon' && (
            <label>
              {t('home.departments')}
              <textarea
                name="departments"
                rows={4}
                placeholder={'Sociaal domein\nPubliekszaken\nRuimte\nBedrijfsvoering'}
                value={departments}
                onChange={(e) => setDepartments(e.target.value)}
                aria-describedby="departments-help"
              />
              <small id="departments-help">{t('home.departmentsHelp', { max: MAX_TEMPLATE_DEPARTMENTS })}</small>
            </label>
          )}
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
