/**
 * `/admin`: the administrator's page. With `STIP_ADMIN_TOKEN` (typed here, kept in this tab's
 * session storage only) it lists every board — name, created, last change, size on disk,
 * versions, connections now — with its archive (a ZIP of open formats; the page says
 * whether the board's PDF is in it, from `x-stip-archive-pdf`) and erasure after
 * the board's name is typed; an archive can be imported as a new board; the audit log
 * shows what was done, when and by whom. The server checks the token on every call.
 */
import { type FormEvent, useCallback, useEffect, useId, useState } from 'react'
import { ARCHIVE_PDF_HEADER, ARCHIVE_PDF_STATUSES, type ArchivePdfStatus } from '../../../shared/archivePdf.ts'
import type { AdminBoardList, AuditResponse, ImportResponse } from '../../../shared/historyApi.ts'
import { authorizationHeader, ROUTES, routePath } from '../../../shared/routes.ts'
import { request } from '../api.ts'
import { type MessageKey, useI18n } from '../i18n.ts'
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx'
import '../history/history.css'

const TOKEN_KEY = 'stip:admin-token'

function storedToken(): string {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? ''
  } catch {
    return ''
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`

export function AdminPage() {
  const { t, language } = useI18n()
  const [token, setToken] = useState(storedToken)
  const [typed, setTyped] = useState('')
  const [boards, setBoards] = useState<AdminBoardList['boards'] | null>(null)
  const [audit, setAudit] = useState<AuditResponse['entries']>([])
  const [notice, setNotice] = useState<string | null>(null)
  const tokenId = useId()
  const importId = useId()
  const headers = useCallback(() => ({ Authorization: authorizationHeader(token) }), [token])
  const time = (iso: string | null) =>
    iso
      ? new Date(iso).toLocaleString(language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' })
      : t('admin.never')

  const refresh = useCallback(async () => {
    if (!token) return
    const [list, log] = await Promise.all([
      request<AdminBoardList>(ROUTES.adminBoards, { headers: headers(), cache: 'no-store' }),
      request<AuditResponse>(ROUTES.adminAudit, { headers: headers(), cache: 'no-store' }),
    ])
    if (!list.ok) {
      setBoards(null)
      setNotice(list.kind === 'http' && list.code === 'admin_disabled' ? t('admin.off') : t('admin.refused'))
      return
    }
    setBoards(list.value.boards)
    if (log.ok) setAudit(log.value.entries)
  }, [token, headers, t])
  useEffect(() => {
    void refresh()
  }, [refresh])

  const signIn = (event: FormEvent) => {
    event.preventDefault()
    try {
      sessionStorage.setItem(TOKEN_KEY, typed)
    } catch {
      // Kept for this page only, then.
    }
    setNotice(null)
    setToken(typed)
  }

  const archive = async (boardId: string) => {
    setNotice(t('admin.archiving'))
    const response = await fetch(routePath(ROUTES.adminArchive, { boardId }), { headers: headers() })
    if (!response.ok) return setNotice(t('admin.refused'))
    const link = document.createElement('a')
    link.href = URL.createObjectURL(await response.blob())
    link.download = `stip-archief-${boardId}.zip`
    link.click()
    URL.revokeObjectURL(link.href)
    const pdf = response.headers.get(ARCHIVE_PDF_HEADER) as ArchivePdfStatus | null
    setNotice(
      pdf === 'included'
        ? t('admin.archived')
        : t('admin.archivedNoPdf', {
            reason: t(`admin.pdf.${pdf && ARCHIVE_PDF_STATUSES.includes(pdf) ? pdf : 'failed'}` as MessageKey),
          }),
    )
    void refresh()
  }

  const erase = async (boardId: string) => {
    const confirm = window.prompt(t('admin.eraseConfirm'))
    if (confirm === null) return
    const result = await request(routePath(ROUTES.adminBoard, { boardId }), {
      method: 'DELETE',
      headers: { ...headers(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ confirm }),
    })
    setNotice(result.ok ? t('admin.erased') : t('admin.eraseWrong'))
    void refresh()
  }

  const importArchive = async (file: File) => {
    const result = await request<ImportResponse>(ROUTES.adminImport, {
      method: 'POST',
      headers: { ...headers(), 'Content-Type': 'application/zip' },
      body: file,
    })
    setNotice(
      result.ok
        ? t('admin.imported', { name: result.value.name, link: result.value.links.facilitator })
        : t('history.error', { message: result.message }),
    )
    void refresh()
  }

  return (
    <main className="stip-page stip-admin" data-testid="admin-page">
      <LanguageSwitch />
      <h1>{t('admin.title')}</h1>
      <form onSubmit={signIn}>
        <label htmlFor={tokenId}>{t('admin.token')}</label>{' '}
        <input
          id={tokenId}
          type="password"
          autoComplete="off"
          data-testid="admin-token"
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />{' '}
        <button type="submit">{t('admin.signIn')}</button>
        <p>
          <small>{t('admin.tokenHelp')}</small>
        </p>
      </form>
      {notice && (
        <p role="status" data-testid="admin-notice">
          {notice}
        </p>
      )}
      {boards && (
        <>
          <h2>{t('admin.boards')}</h2>
          <table data-testid="admin-boards">
            <thead>
              <tr>
                <th>{t('admin.name')}</th>
                <th>{t('admin.created')}</th>
                <th>{t('admin.lastActivity')}</th>
                <th>{t('admin.size')}</th>
                <th>{t('admin.versions')}</th>
                <th>{t('admin.connections')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {boards.map((board) => (
                <tr key={board.id} data-board={board.id}>
                  <td>{board.name}</td>
                  <td>{time(board.created)}</td>
                  <td>{time(board.lastActivity)}</td>
                  <td
                    title={`document ${board.bytes.document}, history ${board.bytes.history}, checkpoints ${board.bytes.checkpoints}, versions ${board.bytes.versions}`}
                  >
                    {mib(board.bytes.total)}
                  </td>
                  <td>{board.versions}</td>
                  <td>{board.connections}</td>
                  <td>
                    <button type="button" onClick={() => void archive(board.id)}>
                      {t('admin.archive')}
                    </button>{' '}
                    <button type="button" onClick={() => void erase(board.id)}>
                      {t('admin.erase')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <label htmlFor={importId}>{t('admin.import')}</label>{' '}
            <input
              id={importId}
              type="file"
              accept=".zip,application/zip"
              onChange={(event) => {
                const file = event.target.files?.[0]
                if (file) void importArchive(file)
              }}
            />
          </p>
          <h2>{t('admin.audit')}</h2>
          <ul data-testid="admin-audit">
            {audit.map((entry, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines have no id; the log only grows at the top
              <li key={i}>
                {time(entry.at)} · {entry.action} · {entry.actor} · {entry.boardId ?? ''}
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  )
}
