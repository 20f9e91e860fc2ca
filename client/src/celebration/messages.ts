/**
 * The celebration feature's words in Dutch and English, merged into the one dictionary by
 * `client/src/i18n.ts`. Keys start with `celebration.`; a missing translation is a type error.
 */
export const nl = {
  'celebration.reached': 'Behaald!',
  'celebration.progress': '{done} van {total} behaald',
  'celebration.announce': 'Mijlpaal behaald door {team}: {title}.',
  'celebration.announceProgress': 'Mijlpaal behaald door {team}: {title}. {done} van {total} behaald.',
  'celebration.untitled': 'Mijlpaal zonder titel',
} as const

export const en: Record<keyof typeof nl, string> = {
  'celebration.reached': 'Reached!',
  'celebration.progress': '{done} of {total} reached',
  'celebration.announce': 'Milestone reached by {team}: {title}.',
  'celebration.announceProgress': 'Milestone reached by {team}: {title}. {done} of {total} reached.',
  'celebration.untitled': 'Untitled milestone',
}
