/**
 * A link in a read-only field with "copy" and "open" buttons. The Clipboard API only
 * exists on HTTPS or localhost; on a plain-http intranet address we fall back to
 * selecting the text and the old `execCommand('copy')`.
 */
import { useRef, useState } from 'react'
import { useI18n } from '../i18n.ts'

export function CopyLink({ url }: { url: string }) {
  const { t } = useI18n()
  const input = useRef<HTMLInputElement>(null)
  const [copied, setCopied] = useState(false)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url)
    } catch {
      input.current?.select()
      document.execCommand('copy')
    }
    setCopied(true)
    setTimeout(() => setCopied(false), 2000)
  }

  return (
    <div className="stip-copy">
      <input ref={input} readOnly value={url} onFocus={(e) => e.target.select()} aria-label={url} />
      <button type="button" data-testid="copy" onClick={copy}>
        {copied ? t('home.copied') : t('home.copy')}
      </button>
      <a href={url} target="_blank" rel="noopener noreferrer">
        {t('home.open')}
      </a>
    </div>
  )
}
