/**
 * The wall display's own words, in Dutch and English, kept apart from `i18n.ts` so the
 * display can grow without touching the shared dictionary. The language is the one the
 * rest of Stip uses (`useI18n`), so the lobby screen follows the kiosk browser's language.
 */
import { type Language, useI18n } from '../i18n.ts'

const nl = {
  'badge.connecting': 'Verbinden…',
  'badge.offline': 'Opnieuw verbinden…',
  'badge.denied': 'Deze schermlink werkt niet meer',
  'join.title': 'Doe mee!',
  'join.help': 'Scan de code met je telefoon',
  'join.qrLabel': 'QR-code om mee te tekenen',
  'tour.northStar': 'De stip op de horizon',
  'header.noMission': 'Onze stip op de horizon',
  'controls.open': 'Wandscherm',
  'controls.title': 'Wandscherm bedienen',
  'controls.help': 'Geldt meteen voor elk scherm dat de schermlink van dit bord toont.',
  'controls.mode': 'Weergave',
  'controls.mode.overview': 'Overzicht (hele tekening)',
  'controls.mode.follow': 'Volg mijn beeld',
  'controls.mode.tour': 'Rondleiding langs de afdelingen',
  'controls.seconds': 'Seconden per stap',
  'controls.join': 'QR-code om mee te doen tonen',
  'controls.joinLink': 'Deelnemerslink achter de QR-code',
  'controls.joinLinkPlaceholder': 'Plak een deelnemerslink (…#token=…)',
  'controls.makeLink': 'Nieuwe link maken voor',
  'controls.make': 'Maken',
  'controls.linkError': 'De link kon niet worden gemaakt: {message}',
  'controls.cursors': 'Cursors van deelnemers tonen',
  'controls.contrast': 'Hoog contrast',
  'controls.close': 'Sluiten',
} as const

export type DisplayMessageKey = keyof typeof nl

const en: Record<DisplayMessageKey, string> = {
  'badge.connecting': 'Connecting…',
  'badge.offline': 'Reconnecting…',
  'badge.denied': 'This display link no longer works',
  'join.title': 'Join in!',
  'join.help': 'Scan the code with your phone',
  'join.qrLabel': 'QR code to draw along',
  'tour.northStar': 'The dot on the horizon',
  'header.noMission': 'Our dot on the horizon',
  'controls.open': 'Wall display',
  'controls.title': 'Wall display controls',
  'controls.help': "Applies at once to every screen showing this board's display link.",
  'controls.mode': 'View',
  'controls.mode.overview': 'Overview (whole drawing)',
  'controls.mode.follow': 'Follow my view',
  'controls.mode.tour': 'Tour of the departments',
  'controls.seconds': 'Seconds per stop',
  'controls.join': 'Show the QR code to join',
  'controls.joinLink': 'Participant link behind the QR code',
  'controls.joinLinkPlaceholder': 'Paste a participant link (…#token=…)',
  'controls.makeLink': 'Make a new link for',
  'controls.make': 'Make',
  'controls.linkError': 'The link could not be made: {message}',
  'controls.cursors': "Show participants' cursors",
  'controls.contrast': 'High contrast',
  'controls.close': 'Close',
}

const dictionaries: Record<Language, Record<DisplayMessageKey, string>> = { nl, en }

export type DisplayTranslate = (key: DisplayMessageKey, values?: Record<string, string | number>) => string

export function translateDisplay(
  language: Language,
  key: DisplayMessageKey,
  values?: Record<string, string | number>,
): string {
  const text = dictionaries[language][key]
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

/** React hook: a `t` for the display's words in the current language. */
export function useDisplayStrings(): DisplayTranslate {
  const { language } = useI18n()
  return (key, values) => translateDisplay(language, key, values)
}
