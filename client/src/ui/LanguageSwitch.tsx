/** The Dutch/English toggle shown on every page. */
import { setLanguage, useI18n } from '../i18n.ts'

export function LanguageSwitch() {
  const { language, t } = useI18n()
  return (
    <button
      type="button"
      className="stip-language"
      data-testid="language-switch"
      data-language={language}
      aria-label={t('language.switchLabel')}
      onClick={() => setLanguage(language === 'nl' ? 'en' : 'nl')}
    >
      {t('language.switch')}
    </button>
  )
}
