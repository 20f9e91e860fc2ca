/**
 * The facilitator's versions, beside the layer panel: save the board as it is under a name,
 * see every version (named, automatic, before a restore) with its time and who saved it,
 * open one read-only, or replay the board's whole life. Opening goes to a page of its own
 * (`HistoryPages.tsx`); the board here stays live.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react'
import type { VersionInfo } from '../../../shared/historyApi.ts'
import { historyPath, MAX_VERSION_NAME_LENGTH, versionPath } from '../../../shared/versions.ts'
import { type Translate, useI18n } from '../i18n.ts'
import { listVersions, saveVersion } from './api.ts'
import './history.css'

export function versionKind(t: Translate, version: VersionInfo): string {
  if (version.kind === 'named')
    return t('history.kind.named', { role: t(`history.role.${version.createdByRole ?? 'facilitator'}`) })
  if (version.kind === 'pre-restore') return t('history.kind.pre-restore')
  return t(version.trigger === 'iteration' ? 'history.kind.iteration' : 'history.kind.session')
}

export function VersionsPanel({ boardId, token }: { boardId: string; token: string }) {
  const { t, language } = useI18n()
  const [open, setOpen] = useState(false)
  const [versions, setVersions] = useState<VersionInfo[]>([])
  const [name, setName] = useState('')
  const [notice, setNotice] = useState<string | null>(null)
  const nameId = useId()

  const refresh = useCallback(() => {
    void listVersions(boardId, token).then((result) => {
      if (result.ok) setVersions(result.value.versions)
    })
  }, [boardId, token])
  useEffect(() => {
    if (open) refresh()
  }, [open, refresh])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const result = await saveVersion(boardId, token, name)
    if (!result.ok) return setNotice(t('history.error', { message: result.message }))
    setNotice(t('history.saved', { name: result.value.name }))
    setName('')
    refresh()
  }
  const time = (iso: string) =>
    new Date(iso).toLocaleString(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })

  return (
    <>
      <button
        type="button"
        className="stip-outline-toggle"
        data-testid="versions-toggle"
        aria-expanded={open}
        title={t('history.versionsLabel')}
        onClick={() => setOpen(!open)}
      >
        {t('history.versions')}
      </button>
      {open && (
        <section className="stip-versions" data-testid="versions-panel" aria-label={t('history.title')}>
          <p>{t('history.help')}</p>
          <form onSubmit={(event) => void submit(event)}>
            <label htmlFor={nameId}>{t('history.name')}</label>{' '}
            <input
              id={nameId}
              data-testid="version-name"
              value={name}
              maxLength={MAX_VERSION_NAME_LENGTH}
              placeholder={t('history.namePlaceholder')}
              onChange={(event) => setName(event.target.value)}
            />{' '}
            <button type="submit" data-testid="version-save" disabled={name.trim() === ''}>
              {t('history.save')}
            </button>
          </form>
          {notice && (
            <p role="status" data-testid="versions-notice">
              {notice}
            </p>
          )}
          {versions.length === 0 ? (
            <p>{t('history.none')}</p>
          ) : (
            <ul data-testid="versions-list">
              {[...versions].reverse().map((version) => (
                <li key={version.id}>
                  <a href={versionPath(boardId, version.id)} data-testid="version-open">
                    {version.name}
                  </a>
                  <small>
                    {time(version.created)} · {versionKind(t, version)}
                  </small>
                </li>
              ))}
            </ul>
          )}
          <a href={historyPath(boardId)} data-testid="replay-open">
            {t('history.replay')}
          </a>
        </section>
      )}
    </>
  )
}
