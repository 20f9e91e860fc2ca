/**
 * Kept work's words in Dutch and English, merged into the one dictionary by
 * `client/src/i18n.ts`. Keys start with `kept.`; a missing translation is a type error.
 */
export const nl = {
  'kept.parked':
    '{count} van je wijzigingen staan in een laag waarin je nu niet mag tekenen ({layers}). Ze blijven op dit apparaat bewaard en komen op het bord zodra dat weer mag.',
  'kept.parkedNoLayer':
    '{count} van je wijzigingen kan de server nu niet aannemen. Ze blijven op dit apparaat bewaard en komen op het bord zodra dat weer mag.',
  'kept.held':
    '{count} van je wijzigingen passen niet meer op het bord: het is vol. Ze blijven op dit apparaat bewaard; vraag de beheerder om ruimte en probeer het dan opnieuw.',
  'kept.tryAgain': 'Opnieuw proberen',
  'kept.discard': 'Weggooien',
  'kept.discardConfirm': 'Deze wijzigingen echt weggooien? Dat kan niet ongedaan worden.',
} as const

export const en: Record<keyof typeof nl, string> = {
  'kept.parked':
    '{count} of your changes are in a layer you may not draw in right now ({layers}). They are kept on this device and go on the board as soon as that is allowed again.',
  'kept.parkedNoLayer':
    '{count} of your changes cannot be taken by the server right now. They are kept on this device and go on the board as soon as that is allowed again.',
  'kept.held':
    '{count} of your changes no longer fit on the board: it is full. They are kept on this device; ask the administrator for room, then try again.',
  'kept.tryAgain': 'Try again',
  'kept.discard': 'Discard',
  'kept.discardConfirm': 'Really discard these changes? This cannot be undone.',
}
