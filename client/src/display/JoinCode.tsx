/**
 * The corner panel that invites passers-by to draw along: a QR code of the participant
 * link the facilitator chose, and the link itself. Drawn as one SVG path by
 * `qrcode-generator` in the browser — no image service, no network.
 */
import { useMemo } from 'react'
import { useI18n } from '../i18n.ts'
import { qrPath } from './qr.ts'

/** The link as people read it: without the scheme. */
function readableLink(link: string): string {
  return link.replace(/^https?:\/\//, '')
}

export function JoinCode({ link }: { link: string }) {
  const { t } = useI18n()
  const { d, size } = useMemo(() => qrPath(link), [link])
  return (
    <aside className="stip-display__join" data-testid="display-join">
      <div className="stip-display__join-title">{t('display.join.title')}</div>
      <svg
        className="stip-display__qr"
        data-testid="display-qr"
        viewBox={`0 0 ${size} ${size}`}
        role="img"
        aria-label={t('display.join.qrLabel')}
        shapeRendering="crispEdges"
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
      <div className="stip-display__join-help">{t('display.join.help')}</div>
      <div className="stip-display__join-link" data-testid="display-join-link">
        {readableLink(link)}
      </div>
    </aside>
  )
}
