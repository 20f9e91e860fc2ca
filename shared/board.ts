/**
 * Board identity, names and capability tokens: the rules both sides check.
 */
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

export function scopedBoardLink(publicUrl: string, boardId: string, layerId: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${layerPath(boardId, layerId)}#${TOKEN_PARAM}=${token}`
}
