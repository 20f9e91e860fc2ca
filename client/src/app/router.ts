/**
 * Stip has two pages, so the router is one function: `/b/<boardId>` is a board (and
 * `/b/<boardId>/l/<layer>` one of its layers, opened), anything else is the home page.
 * The server answers every `/b/…` path with index.html.
 */
import { isBoardId, layerIdFromPathSegment } from '../../../shared/board.ts'

export type Route = { page: 'home' } | { page: 'board'; boardId: string; layerId: string | null }

/** The page for a path like `location.pathname`. */
export function parseRoute(pathname: string): Route {
  const match = /^\/b\/([^/]+)(?:\/l\/([^/]+))?\/?$/.exec(pathname)
  if (match) {
    try {
      const boardId = decodeURIComponent(match[1])
      const layerId = match[2] ? layerIdFromPathSegment(match[2]) : null
      if (isBoardId(boardId)) return { page: 'board', boardId, layerId }
    } catch {
      // A malformed escape: not a board address.
    }
  }
  return { page: 'home' }
}
