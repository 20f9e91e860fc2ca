/**
 * Stip's own words, in Dutch and English: the one place every component gets its strings
 * from. Two dictionaries with the same typed keys (a missing translation is a type error),
 * grouped by feature through the key's first part (`home.`, `layers.`, `display.`…), a
 * language chosen from `navigator.language` unless the person picked one, and a hook that
 * re-renders when it changes. A new feature adds its keys under its own prefix, in both
 * dictionaries: here, or in a `messages.ts` of its own folder merged in below.
 */
import { useSyncExternalStore } from 'react'
import * as celebration from './celebration/messages.ts'
import * as exporting from './export/messages.ts'
import * as facilitator from './facilitator/messages.ts'
import * as history from './history/messages.ts'
import * as kept from './kept/messages.ts'
import * as outline from './outline/messages.ts'
import * as paths from './paths/messages.ts'
import { safeGet, safeSet } from './storage.ts'

export type Language = 'nl' | 'en'

const core = {
  'app.tagline': 'Samen één grote tekening van jullie missie.',
  'language.switch': 'English',
  'language.switchLabel': 'Switch to English',
  'home.title': 'Nieuw bord',
  'home.name': 'Naam van het bord',
  'home.namePlaceholder': 'Bijvoorbeeld: Voorbeeld Digitaal 2030',
  'home.createToken': 'Aanmaaktoken',
  'home.createTokenHelp': 'Dit token krijg je van de beheerder van deze Stip-server.',
  'home.create': 'Bord aanmaken',
  'home.creating': 'Bezig…',
  'home.created': 'Het bord "{name}" is klaar. Bewaar deze drie links goed: wie een link heeft, heeft toegang.',
  'home.link.facilitator': 'Facilitator',
  'home.link.facilitatorHelp': 'Voor jou: tekenen, begeleiden en het bord beheren. Deel deze link niet.',
  'home.link.participant': 'Deelnemers',
  'home.link.participantHelp': 'Voor iedereen die meetekent. Deel hem in de uitnodiging of als QR-code.',
  'home.link.display': 'Wandscherm',
  'home.link.displayHelp': 'Voor de beamer of het scherm in de hal: alleen kijken, past zich aan de tekening aan.',
  'home.copy': 'Kopiëren',
  'home.copied': 'Gekopieerd',
  'home.open': 'Openen',
  'home.another': 'Nog een bord aanmaken',
  'home.start': 'Waar begint het bord mee?',
  'home.template.horizon': "Start met de sjabloon 'Stip op de horizon'",
  'home.template.horizonHelp':
    'Een horizon, de stip met een missie om in te vullen, een vlak voor de strategie en iteraties van twee weken vanaf deze week.',
  'home.template.empty': 'Leeg bord',
  'home.template.emptyHelp': 'Alleen de stip op de horizon, zonder tekst.',
  'home.departments': 'Afdelingen (niet verplicht)',
  'home.departmentsHelp':
    'Eén naam per regel, hoogstens {max}. Elke afdeling krijgt een eigen laag met een leeg ontwikkelpad naar de stip.',
  'home.error.departmentName': 'Een afdelingsnaam is 1 tot {max} tekens lang.',
  'home.error.tooManyDepartments': 'Hoogstens {max} afdelingen; meer lagen maak je later op het bord.',
  'home.error.duplicateDepartment': 'De afdeling "{name}" staat er twee keer in.',
  'error.name_missing': 'Geef het bord een naam.',
  'error.name_too_long': 'Die naam is te lang.',
  'error.unauthorized': 'Het aanmaaktoken klopt niet.',
  'error.generic': 'Dat lukte niet: {message}',
  'error.network': 'De Stip-server is niet bereikbaar.',
  'board.loading': 'Bord laden…',
  'board.noToken':
    'Deze pagina heeft een uitnodigingslink nodig. Open de link die je hebt gekregen (hij eindigt op #token=…).',
  'board.denied': 'Deze link is niet (meer) geldig. Vraag de facilitator om een nieuwe link.',
  'board.notFound': 'Dit bord bestaat niet (meer).',
  'board.unreachable': 'De Stip-server is niet bereikbaar. We proberen het opnieuw…',
  'board.retry': 'Opnieuw proberen',
  'status.connecting': 'Verbinden…',
  'status.connected': 'Verbonden',
  'status.offline': 'Offline — je werk wordt bewaard en straks samengevoegd',
  'status.denied': 'Geen toegang meer',
  'status.invalidRecords': '{count} onleesbare wijziging(en) overgeslagen',
  'role.facilitator': 'facilitator',
  'role.participant': 'deelnemer',
  'role.display': 'wandscherm',
  'participants.title': 'Aanwezig',
  'participants.you': '(jij)',
  'participants.follow': 'Volgen',
  'participants.unfollow': 'Stop met volgen',
  'name.title': 'Hoe heet je?',
  'name.help': 'Anderen zien je naam bij je cursor.',
  'name.placeholder': 'Je naam',
  'name.submit': 'Meedoen',
  'name.change': 'Naam wijzigen',
  'display.name': 'Wandscherm',
  'reload.message': 'Stip is bijgewerkt — herlaad de pagina',
  'reload.button': 'Herladen',
  'license.title': 'De tekenfunctie heeft een licentiesleutel nodig',
  'license.body':
    'Stip gebruikt de tekenbibliotheek tldraw. Op een HTTPS-adres buiten localhost werkt die alleen met een geldige licentiesleutel, en die ontbreekt of past niet bij dit adres ({host}).',
  'license.admin':
    'Voor de beheerder: zet de sleutel in de omgevingsvariabele STIP_TLDRAW_LICENSE_KEY van de Stip-server en herstart de server. De sleutel moet geldig zijn voor {host}.',
  'northStar.empty': 'Dubbelklik om de missie te schrijven',
  'northStar.title': 'De stip op de horizon',
  'northStar.mission': 'Missie',
  'northStar.subtitle': 'Ondertitel',
  'northStar.save': 'Opslaan',
  'northStar.cancel': 'Annuleren',
  'northStar.banner': 'Ga naar de stip op de horizon',
  'nav.overview': 'Overzicht',
  'nav.overviewLabel': 'Terug naar het overzicht van de hele tekening',
  'nav.breadcrumb': 'Waar je bent',
  'layers.title': 'Lagen',
  'layers.togglePanel': 'Lagenpaneel tonen of verbergen',
  'layers.add': 'Laag toevoegen',
  'layers.addChild': 'Sublaag toevoegen aan {name}',
  'layers.nameLabel': 'Naam van de laag',
  'layers.namePlaceholder': 'Bijvoorbeeld: Sociaal domein',
  'layers.hideLocal': '{name} verbergen (alleen voor jou)',
  'layers.showLocal': '{name} tonen',
  'layers.open': '{name} openen',
  'layers.setActive': 'Tekenen in {name}',
  'layers.active': 'Je tekent in deze laag',
  'layers.menu': 'Meer acties voor {name}',
  'layers.rename': 'Naam wijzigen',
  'layers.color': 'Kleur',
  'layers.colorName': 'Kleur {color}',
  'layers.moveUp': 'Omhoog',
  'layers.moveDown': 'Omlaag',
  'layers.indent': 'Inspringen (onder de laag erboven)',
  'layers.outdent': 'Uitspringen (een niveau hoger)',
  'layers.lock': 'Vergrendelen',
  'layers.unlock': 'Ontgrendelen',
  'layers.hideAll': 'Verbergen voor iedereen',
  'layers.showAll': 'Tonen voor iedereen',
  'layers.hiddenAll': 'verborgen voor iedereen',
  'layers.locked': 'vergrendeld',
  'layers.link': 'Deelnemerslink voor deze laag',
  'layers.linkTitle': 'Deelnemerslink voor "{name}"',
  'layers.linkHelp': 'Wie deze link opent, kan tekenen in "{name}" en de lagen eronder, en ziet de rest van het bord.',
  'layers.linkError': 'De link kon niet worden gemaakt: {message}',
  'layers.delete': 'Verwijderen',
  'layers.deleteConfirm':
    'Laag "{name}" verwijderen, met {layers} sublaag/sublagen en {shapes} vorm(en)? Met Ctrl+Z maak je dit ongedaan.',
  'layers.cancel': 'Annuleren',
  'layers.close': 'Sluiten',
  'layers.count': '{count} vormen',
  'layers.readOnly': 'Je kunt in deze laag niet tekenen',
  'layers.keys': 'Alt+pijltjes verplaatsen een laag; slepen kan ook.',
  'rejected.notice':
    'De server weigerde een wijziging buiten jouw rechten. Die is teruggedraaid en het bord is opnieuw geladen.',
  'rejected.invalid':
    'De server kon een wijziging niet lezen (misschien was deze pagina ouder dan de server). Die is teruggedraaid en het bord is opnieuw geladen.',
  'rejected.tooLarge':
    'Een wijziging was te groot voor de server (bijvoorbeeld heel veel vormen tegelijk geplakt). Die is teruggedraaid; plak in kleinere delen.',
  'rejected.boardFull':
    'Het bord is vol: de server neemt geen nieuwe vormen meer aan. Je wijziging is teruggedraaid; vraag de beheerder om hulp.',
  'rejected.dismiss': 'Oké',
  'rejected.again':
    'De server blijft een wijziging van deze pagina weigeren. Je werkt nu offline; herlaad later of vraag de facilitator om hulp.',
  // The wall display and its remote (display/, facilitator/).
  'display.badge.connecting': 'Verbinden…',
  'display.badge.offline': 'Opnieuw verbinden…',
  'display.badge.denied': 'Deze schermlink werkt niet meer',
  'display.join.title': 'Doe mee!',
  'display.join.help': 'Scan de code met je telefoon',
  'display.join.qrLabel': 'QR-code om mee te tekenen',
  'display.tour.northStar': 'De stip op de horizon',
  'display.tour.progress': '{done} van {total} behaald',
  'display.tour.iteration': 'iteratie {number}',
  'display.header.noMission': 'Onze stip op de horizon',
  'display.controls.open': 'Wandscherm',
  'display.controls.title': 'Wandscherm bedienen',
  'display.controls.help': 'Geldt meteen voor elk scherm dat de schermlink van dit bord toont.',
  'display.controls.mode': 'Weergave',
  'display.controls.mode.overview': 'Overzicht (hele tekening)',
  'display.controls.mode.follow': 'Volg mijn beeld',
  'display.controls.mode.tour': 'Rondleiding langs de afdelingen',
  'display.controls.seconds': 'Seconden per stap',
  'display.controls.join': 'QR-code om mee te doen tonen',
  'display.controls.joinLink': 'Deelnemerslink achter de QR-code',
  'display.controls.joinLinkPlaceholder': 'Plak een deelnemerslink (…#token=…)',
  'display.controls.makeLink': 'Nieuwe link maken voor',
  'display.controls.make': 'Maken',
  'display.controls.linkError': 'De link kon niet worden gemaakt: {message}',
  'display.controls.cursors': 'Cursors van deelnemers tonen',
  'display.controls.contrast': 'Hoog contrast',
  'display.controls.close': 'Sluiten',
  // The facilitator's list of handed-out links (facilitator/LinksPanel.tsx).
  'links.title': 'Uitgedeelde links',
  'links.help':
    'Deelnemerslinks voor een laag en korte links achter een QR-code. Intrekken werkt meteen: wie de link gebruikt, is er direct uit.',
  'links.empty': 'Nog geen links voor een laag of QR-code.',
  'links.loading': 'Links laden…',
  'links.refresh': 'Vernieuwen',
  'links.kind.scoped': 'Deelnemerslink',
  'links.kind.join': 'QR-link',
  'links.layer': 'laag {layer}',
  'links.created': 'gemaakt {time}',
  'links.revoke': 'Intrekken',
  'links.confirm': 'Echt intrekken? Wie hem gebruikt, kan niet meer verder.',
  'links.confirmYes': 'Ja, intrekken',
  'links.cancel': 'Nee',
  'links.error': 'Dat lukte niet: {message}',
} as const

const nl = {
  ...core,
  ...paths.nl,
  ...outline.nl,
  ...celebration.nl,
  ...facilitator.nl,
  ...history.nl,
  ...exporting.nl,
  ...kept.nl,
}

export type MessageKey = keyof typeof nl

const coreEn: Record<keyof typeof core, string> = {
  'app.tagline': "Together, one giant drawing of your organisation's mission.",
  'language.switch': 'Nederlands',
  'language.switchLabel': 'Schakel naar Nederlands',
  'home.title': 'New board',
  'home.name': 'Board name',
  'home.namePlaceholder': 'For example: Voorbeeld Digitaal 2030',
  'home.createToken': 'Creation token',
  'home.createTokenHelp': "You get this token from this Stip server's administrator.",
  'home.create': 'Create board',
  'home.creating': 'Creating…',
  'home.created': 'The board "{name}" is ready. Keep these three links safe: whoever has a link has access.',
  'home.link.facilitator': 'Facilitator',
  'home.link.facilitatorHelp': 'For you: draw, lead the session and manage the board. Do not share it.',
  'home.link.participant': 'Participants',
  'home.link.participantHelp': 'For everyone who draws along. Share it in the invitation or as a QR code.',
  'home.link.display': 'Wall display',
  'home.link.displayHelp': 'For the projector or the lobby screen: view only, keeps the drawing in view.',
  'home.copy': 'Copy',
  'home.copied': 'Copied',
  'home.open': 'Open',
  'home.another': 'Create another board',
  'home.start': 'What does the board start with?',
  'home.template.horizon': "Start with the template 'Stip op de horizon'",
  'home.template.horizonHelp':
    'A horizon, the north star with a mission to fill in, an area for the strategy, and two-week iterations from this week.',
  'home.template.empty': 'Empty board',
  'home.template.emptyHelp': 'Only the north star, without text.',
  'home.departments': 'Departments (optional)',
  'home.departmentsHelp':
    'One name per line, at most {max}. Each department gets a layer of its own with an empty development path to the north star.',
  'home.error.departmentName': 'A department name is 1 to {max} characters long.',
  'home.error.tooManyDepartments': 'At most {max} departments; add more layers on the board later.',
  'home.error.duplicateDepartment': 'The department "{name}" is listed twice.',
  'error.name_missing': 'Give the board a name.',
  'error.name_too_long': 'That name is too long.',
  'error.unauthorized': 'The creation token is not right.',
  'error.generic': 'That did not work: {message}',
  'error.network': 'The Stip server cannot be reached.',
  'board.loading': 'Loading board…',
  'board.noToken': 'This page needs an invitation link. Open the link you were given (it ends in #token=…).',
  'board.denied': 'This link is no longer valid. Ask the facilitator for a new one.',
  'board.notFound': 'This board does not exist (any more).',
  'board.unreachable': 'The Stip server cannot be reached. Trying again…',
  'board.retry': 'Try again',
  'status.connecting': 'Connecting…',
  'status.connected': 'Connected',
  'status.offline': 'Offline — your work is kept and merged when the connection returns',
  'status.denied': 'Access ended',
  'status.invalidRecords': '{count} unreadable change(s) skipped',
  'role.facilitator': 'facilitator',
  'role.participant': 'participant',
  'role.display': 'display',
  'participants.title': 'Here now',
  'participants.you': '(you)',
  'participants.follow': 'Follow',
  'participants.unfollow': 'Stop following',
  'name.title': 'What is your name?',
  'name.help': 'Others see your name next to your cursor.',
  'name.placeholder': 'Your name',
  'name.submit': 'Join',
  'name.change': 'Change name',
  'display.name': 'Wall display',
  'reload.message': 'Stip was updated — reload the page',
  'reload.button': 'Reload',
  'license.title': 'The drawing canvas needs a licence key',
  'license.body':
    'Stip uses the tldraw drawing library. On an HTTPS address other than localhost it only works with a valid licence key, which is missing or does not match this address ({host}).',
  'license.admin':
    "For the administrator: put the key in the Stip server's STIP_TLDRAW_LICENSE_KEY environment variable and restart the server. The key must be valid for {host}.",
  'northStar.empty': 'Double-click to write the mission',
  'northStar.title': 'The dot on the horizon',
  'northStar.mission': 'Mission',
  'northStar.subtitle': 'Subtitle',
  'northStar.save': 'Save',
  'northStar.cancel': 'Cancel',
  'northStar.banner': 'Go to the dot on the horizon',
  'nav.overview': 'Overview',
  'nav.overviewLabel': 'Back to the overview of the whole drawing',
  'nav.breadcrumb': 'Where you are',
  'layers.title': 'Layers',
  'layers.togglePanel': 'Show or hide the layer panel',
  'layers.add': 'Add layer',
  'layers.addChild': 'Add a sub-layer to {name}',
  'layers.nameLabel': 'Layer name',
  'layers.namePlaceholder': 'For example: Social domain',
  'layers.hideLocal': 'Hide {name} (just for you)',
  'layers.showLocal': 'Show {name}',
  'layers.open': 'Open {name}',
  'layers.setActive': 'Draw in {name}',
  'layers.active': 'You draw in this layer',
  'layers.menu': 'More actions for {name}',
  'layers.rename': 'Rename',
  'layers.color': 'Colour',
  'layers.colorName': 'Colour {color}',
  'layers.moveUp': 'Move up',
  'layers.moveDown': 'Move down',
  'layers.indent': 'Indent (under the layer above)',
  'layers.outdent': 'Outdent (one level up)',
  'layers.lock': 'Lock',
  'layers.unlock': 'Unlock',
  'layers.hideAll': 'Hide for everyone',
  'layers.showAll': 'Show for everyone',
  'layers.hiddenAll': 'hidden for everyone',
  'layers.locked': 'locked',
  'layers.link': 'Participant link for this layer',
  'layers.linkTitle': 'Participant link for "{name}"',
  'layers.linkHelp':
    'Whoever opens this link can draw in "{name}" and the layers below it, and sees the rest of the board.',
  'layers.linkError': 'The link could not be made: {message}',
  'layers.delete': 'Delete',
  'layers.deleteConfirm': 'Delete layer "{name}" with {layers} sub-layer(s) and {shapes} shape(s)? Ctrl+Z undoes it.',
  'layers.cancel': 'Cancel',
  'layers.close': 'Close',
  'layers.count': '{count} shapes',
  'layers.readOnly': 'You cannot draw in this layer',
  'layers.keys': 'Alt+arrow keys move a layer; dragging works too.',
  'rejected.notice': 'The server refused a change outside your rights. It was undone and the board was reloaded.',
  'rejected.invalid':
    'The server could not read a change (perhaps this page was older than the server). It was undone and the board was reloaded.',
  'rejected.tooLarge':
    'A change was too large for the server (for example a great many shapes pasted at once). It was undone; paste in smaller parts.',
  'rejected.boardFull':
    'The board is full: the server takes no new shapes. Your change was undone; ask the administrator for help.',
  'rejected.dismiss': 'OK',
  'rejected.again':
    'The server keeps refusing a change from this page. You are offline now; reload later or ask the facilitator for help.',
  // The wall display and its remote (display/, facilitator/).
  'display.badge.connecting': 'Connecting…',
  'display.badge.offline': 'Reconnecting…',
  'display.badge.denied': 'This display link no longer works',
  'display.join.title': 'Join in!',
  'display.join.help': 'Scan the code with your phone',
  'display.join.qrLabel': 'QR code to draw along',
  'display.tour.northStar': 'The dot on the horizon',
  'display.tour.progress': '{done} of {total} reached',
  'display.tour.iteration': 'iteration {number}',
  'display.header.noMission': 'Our dot on the horizon',
  'display.controls.open': 'Wall display',
  'display.controls.title': 'Wall display controls',
  'display.controls.help': "Applies at once to every screen showing this board's display link.",
  'display.controls.mode': 'View',
  'display.controls.mode.overview': 'Overview (whole drawing)',
  'display.controls.mode.follow': 'Follow my view',
  'display.controls.mode.tour': 'Tour of the departments',
  'display.controls.seconds': 'Seconds per stop',
  'display.controls.join': 'Show the QR code to join',
  'display.controls.joinLink': 'Participant link behind the QR code',
  'display.controls.joinLinkPlaceholder': 'Paste a participant link (…#token=…)',
  'display.controls.makeLink': 'Make a new link for',
  'display.controls.make': 'Make',
  'display.controls.linkError': 'The link could not be made: {message}',
  'display.controls.cursors': "Show participants' cursors",
  'display.controls.contrast': 'High contrast',
  'display.controls.close': 'Close',
  // The facilitator's list of handed-out links (facilitator/LinksPanel.tsx).
  'links.title': 'Links handed out',
  'links.help':
    'Participant links for a layer and short links behind a QR code. Revoking works at once: whoever uses the link is out straight away.',
  'links.empty': 'No links for a layer or QR code yet.',
  'links.loading': 'Loading links…',
  'links.refresh': 'Refresh',
  'links.kind.scoped': 'Participant link',
  'links.kind.join': 'QR link',
  'links.layer': 'layer {layer}',
  'links.created': 'made {time}',
  'links.revoke': 'Revoke',
  'links.confirm': 'Really revoke? Whoever uses it cannot go on.',
  'links.confirmYes': 'Yes, revoke',
  'links.cancel': 'No',
  'links.error': 'That did not work: {message}',
}

const en: Record<MessageKey, string> = {
  ...coreEn,
  ...paths.en,
  ...outline.en,
  ...celebration.en,
  ...facilitator.en,
  ...history.en,
  ...exporting.en,
  ...kept.en,
}

const dictionaries: Record<Language, Record<MessageKey, string>> = { nl, en }

const STORAGE_KEY = 'stip:language'

function initialLanguage(): Language {
  const saved = safeGet(STORAGE_KEY)
  if (saved === 'nl' || saved === 'en') return saved
  return navigator.language.toLowerCase().startsWith('nl') ? 'nl' : 'en'
}

let current: Language = initialLanguage()
const listeners = new Set<() => void>()

/** The language Stip speaks now. */
export function getLanguage(): Language {
  return current
}

/** Switches language everywhere and remembers the choice in this browser. */
export function setLanguage(language: Language): void {
  if (language === current) return
  current = language
  safeSet(STORAGE_KEY, language)
  document.documentElement.lang = language
  for (const listener of listeners) listener()
}

/** Calls `listener` whenever the language changes; returns the unsubscribe function. */
export function onLanguageChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Translates `key` into `language`, filling `{name}` placeholders from `values`. */
export function translate(language: Language, key: MessageKey, values?: Record<string, string | number>): string {
  const text = dictionaries[language][key]
  if (!values) return text
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole))
}

/** Translation function bound to a language. */
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string

/** React hook: the current language and a `t` that follows it. */
export function useI18n(): { language: Language; t: Translate } {
  const language = useSyncExternalStore(onLanguageChange, getLanguage)
  return { language, t: (key, values) => translate(language, key, values) }
}
