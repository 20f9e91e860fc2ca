/**
 * The facilitator's list of links handed out on this board: every participant link scoped
 * to a layer and every short QR link, with its kind, role, layer and when it was made, and a
 * Revoke button. Links are named by id: the server never gives a token back, so the list
 * cannot leak one. Revoking works at once (the server closes the link's sockets and the
 * person sees "this link is no longer valid"); it asks once more first, because a revoked
 * link cannot come back and may be the QR code on the wall.
 */
import { useCallback, useEffect, useState } from 'react'
import type { LinkInfo } from '../../../shared/api.ts'
import { listLinks, revokeLink } from '../api.ts'
import { useI18n } from '../i18n.ts'
import './links.css'

export interface LinksPanelProps {
  boardId: string
  /** The facilitator's token. */
  token: string
  /** A layer's name for a layer id (the id itself for one no longer on the board). */
  layerName: (layerId: string) => string
  /** Changes whenever a link was made elsewhere on this page, to list it. */
  refreshKey?: number
}

export function LinksPanel({ boardId, token, layerName, refreshKey = 0 }: LinksPanelProps) {
  const { t, language } = useI18n()
  const [links, setLinks] = useState<LinkInfo[] | null>(null)
  /** The server's or the network's message; translated when shown. */
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const [reloads, setReloads] = useState(0)

  const load = useCallback(
    async (isCurrent: () => boolean) => {
      const result = await listLinks(boardId, token)
      if (!isCurrent()) return
      if (result.ok) {
        setLinks(result.value.links)
        setError(null)
      } else setError(result.message)
    },
    [boardId, token],
  )

  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey and reloads only ask for a new list
  useEffect(() => {
    let current = true
    void load(() => current)
    return () => {
      current = false
    }
  }, [load, refreshKey, reloads])

  async function revoke(linkId: string) {
    setConfirming(null)
    const result = await revokeLink(boardId, token, linkId)
    // Already revoked elsewhere (404) ends the same way: the link is gone.
    if (result.ok || (result.kind === 'http' && result.status === 404)) {
      setLinks((before) => before?.filter((link) => link.id !== linkId) ?? null)
    } else setError(result.message)
  }

  const time = new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' })
  return (
    // Folded by default: the control stays small on a laptop, the list is one click away.
    <details className="stip-links" data-testid="links-panel">
      <summary data-testid="links-open">
        <strong>{t('links.title')}</strong>
        {links && ` (${links.length})`}
      </summary>
      <p className="stip-links__help">{t('links.help')}</p>
      <button type="button" data-testid="links-refresh" onClick={() => setReloads((count) => count + 1)}>
        {t('links.refresh')}
      </button>
      {error && <p className="stip-warning">{t('links.error', { message: error })}</p>}
      {links === null && !error && <p>{t('links.loading')}</p>}
      {links?.length === 0 && <p data-testid="links-empty">{t('links.empty')}</p>}
      {links && links.length > 0 && (
        <ul>
          {links.map((link) => (
            <li key={link.id} data-testid="links-row" data-link-id={link.id} data-kind={link.kind}>
              <span className="stip-links__what">
                <strong>{t(link.kind === 'join' ? 'links.kind.join' : 'links.kind.scoped')}</strong> (
                {t(`role.${link.role}`)})
                {link.layerId !== null && <> · {t('links.layer', { layer: layerName(link.layerId) })}</>}
                <br />
                <time dateTime={link.created}>{t('links.created', { time: time.format(new Date(link.created)) })}</time>
              </span>
              {confirming === link.id ? (
                <span className="stip-links__confirm" role="alert">
                  {t('links.confirm')}
                  <button type="button" data-testid="links-confirm" onClick={() => void revoke(link.id)}>
                    {t('links.confirmYes')}
                  </button>
                  <button type="button" onClick={() => setConfirming(null)}>
                    {t('links.cancel')}
                  </button>
                </span>
              ) : (
                <button type="button" data-testid="links-revoke" onClick={() => setConfirming(link.id)}>
                  {t('links.revoke')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}
