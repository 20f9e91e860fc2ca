/**
 * Board identity, names and capability tokens: the rules both sides check.
 */
import { MAX_LAYER_NAME_LENGTH } from './layers.ts'
import { BOARD_PATH_PREFIX, JOIN_PATH_PREFIX, TOKEN_PARAM } from './routes.ts'

/** Board ids are 22 url-safe characters (128 random bits); we accept 8–64 to stay flexible. */
const BOARD_ID = /^[A-Za-z0-9_-]{8,64}$/

export function isBoardId(value: unknown): value is string {
  return typeof value === 'string' && BOARD_ID.test(value)
}

/** Tokens are 43 url-safe characters (256 random bits). */
const TOKEN = /^[A-Za-z0-9_-]{22,128}$/

export function isTokenShaped(value: unknown): value is string {
  return typeof value === 'string' && TOKEN.test(value)
}

export const MAX_BOARD_NAME_LENGTH = 200
export const BOARD_NAME_MISSING_MESSAGE = 'A board needs a name ("name": "…").'

/** Returns the trimmed name, or an error message (English; clients translate by `code`). */
export function validateBoardName(
  value: unknown,
): { ok: true; name: string } | { ok: false; code: 'name_missing' | 'name_too_long'; message: string } {
  if (typeof value !== 'string' || value.trim() === '') {
    return { ok: false, code: 'name_missing', message: BOARD_NAME_MISSING_MESSAGE }
  }
  const name = value.trim()
  if (name.length > MAX_BOARD_NAME_LENGTH) {
    return {
      ok: false,
      code: 'name_too_long',
      message: `A board name is at most ${MAX_BOARD_NAME_LENGTH} characters.`,
    }
  }
  return { ok: true, name }
}

/** The path a capability link opens: `/b/<boardId>#token=<token>`. The token sits in the
 * fragment so it never reaches server logs or a Referer header. */
export function boardPath(boardId: string): string {
  return `${BOARD_PATH_PREFIX}${encodeURIComponent(boardId)}`
}

export function boardLink(publicUrl: string, boardId: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${boardPath(boardId)}#${TOKEN_PARAM}=${token}`
}

/** A layer's own URL path: `/b/<boardId>/l/<layer id without "layer:">`. */
export function layerPath(boardId: string, layerId: string): string {
  return `${boardPath(boardId)}/l/${encodeURIComponent(layerId.replace(/^layer:/, ''))}`
}

/** The last segment of a board's outline address: `/b/<boardId>/outline`. */
export const OUTLINE_SEGMENT = 'outline'

/** The board's outline (the drawing as text) as a page of its own: `/b/<boardId>/outline`. */
export function outlinePath(boardId: string): string {
  return `${boardPath(boardId)}/${OUTLINE_SEGMENT}`
}

/** The layer id in a layer URL segment (`jeugd` → `layer:jeugd`). */
export function layerIdFromPathSegment(segment: string): string {
  return `layer:${decodeURIComponent(segment)}`
}

export function joinLink(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${JOIN_PATH_PREFIX}${token}`
}

/** The token in a join link (`<public url>/j/<token>`), or null if `link` is none. */
export function joinLinkToken(link: unknown): string | null {
  if (typeof link !== 'string') return null
  const at = link.lastIndexOf(JOIN_PATH_PREFIX)
  if (at < 0) return null
  const token = link.slice(at + JOIN_PATH_PREFIX.length)
  return isTokenShaped(token) ? token : null
}

export function scopedBoardLink(publicUrl: string, boardId: string, layerId: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${layerPath(boardId, layerId)}#${TOKEN_PARAM}=${token}`
}

// --- What a new board starts with.

/**
 * The first documents a board can start from: `empty` (the north star alone on the root
 * layer) or `horizon`, "Stip op de horizon" (a horizon line, the north star with a mission
 * to replace, a strategy area, two-week iterations from this week, and optionally a layer
 * with an empty path per department). The API's default is `empty`, so a caller that sends
 * only a name gets what it always got; the home page preselects `horizon`.
 */
export const BOARD_TEMPLATES = ['empty', 'horizon'] as const
export type BoardTemplate = (typeof BOARD_TEMPLATES)[number]
export const DEFAULT_BOARD_TEMPLATE: BoardTemplate = 'empty'

/** The language of a template's words (the placeholder mission, "Strategie"). */
export const BOARD_LANGUAGES = ['nl', 'en'] as const
export type BoardLanguage = (typeof BOARD_LANGUAGES)[number]

/** Departments a template lays out around the north star: one sector each, one colour each. */
export const MAX_TEMPLATE_DEPARTMENTS = 12

export type DepartmentsCheck =
  | { ok: true; names: string[] }
  | {
      ok: false
      code: 'department_name_invalid' | 'too_many_departments' | 'duplicate_department' | 'departments_need_template'
      message: string
    }

/**
 * The department names a new board's template gets, trimmed: each a layer name (1–80
 * characters), at most `MAX_TEMPLATE_DEPARTMENTS`, no name twice, and only
 * with the `horizon` template (the empty board has no place for their paths).
 */
export function validateDepartments(names: readonly string[] | undefined, template: BoardTemplate): DepartmentsCheck {
  if (names === undefined || names.length === 0) return { ok: true, names: [] }
  if (template !== 'horizon') {
    return {
      ok: false,
      code: 'departments_need_template',
      message: 'Departments come with a template that lays out their paths: "template": "horizon".',
    }
  }
  if (names.length > MAX_TEMPLATE_DEPARTMENTS) {
    return {
      ok: false,
      code: 'too_many_departments',
      message: `A template lays out at most ${MAX_TEMPLATE_DEPARTMENTS} departments; add more layers on the board.`,
    }
  }
  const trimmed = names.map((name) => name.trim())
  const bad = trimmed.findIndex((name) => name.length === 0 || name.length > MAX_LAYER_NAME_LENGTH)
  if (bad >= 0) {
    return {
      ok: false,
      code: 'department_name_invalid',
      message: `Department ${bad + 1} needs a name of 1–${MAX_LAYER_NAME_LENGTH} characters.`,
    }
  }
  const seen = new Set<string>()
  for (const name of trimmed) {
    const key = name.toLocaleLowerCase('nl')
    if (seen.has(key)) return { ok: false, code: 'duplicate_department', message: `"${name}" is named twice.` }
    seen.add(key)
  }
  return { ok: true, names: trimmed }
}
