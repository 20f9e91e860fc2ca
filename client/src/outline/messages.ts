/**
 * The outline feature's words in Dutch and English, merged into the one dictionary by
 * `client/src/i18n.ts`. Keys start with `outline.`; a missing translation is a type error.
 */
export const nl = {} as const

export const en: Record<keyof typeof nl, string> = {}
