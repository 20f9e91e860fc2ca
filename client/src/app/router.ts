/**
 * Stip has two pages, so the router is one function: `/b/<boardId>` is a board (and
 * `/b/<boardId>/l/<layer>` one of its layers, opened; `/b/<boardId>/outline` its outline,
 * the drawing as text), anything else is the home page. The server answers every `/b/…`
 * path with index.html.
 */
import { isBoardId, layerIdFromPathSegment, OUTLINE_SEGMENT } from '../../../shared/board.ts'

export type Route = { page: 'home' } | { page: 'board'; boardId: string; layerId: string | null; outline: boolean }

const BOARD_ROUTE = new RegExp(`^/b/([^/]+)(?:/l/([^/]+)|/(${OUTLINE_SEGMENT}))?/?$`)

/** The page for a path like `location.pathname`. */
export function parseRoute(pathname: string): Route {
  const match = BOARD_ROUTE.exec(pathname)
  if (match) {
    try {
      const boardId = decodeURIComponent(match[1])
      const layerId = match[2] ? layerIdFromPathSegment(match[2]) : null
      if (isBoardId(boardId)) return { page: 'board', boardId, layerId, outline: match[3] !== undefined }
    } catch {
      // A malformed escape: not a board address.
    }
  }
  return { page: 'home' }
}
