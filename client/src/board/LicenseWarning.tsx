/**
 * Shown instead of a blank page when tldraw refuses to run for lack of a licence key:
 * the person in the room learns it is not their fault, the administrator what to do.
 */
import { useI18n } from '../i18n.ts'

export function LicenseWarning() {
  const { t } = useI18n()
  const host = location.hostname
  return (
    <div className="stip-modal" role="alert" data-testid="license-warning">
      <div className="stip-card">
        <h2>{t('license.title')}</h2>
        <p>{t('license.body', { host })}</p>
        <p>{t('license.admin', { host })}</p>
      </div>
    </div>
  )
}
