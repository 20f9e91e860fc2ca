/**
 * Stip has two pages, so the router is one function: `/b/<boardId>` is a board, anything
 * else is the home page. The server answers every `/b/…` path with index.html.
 */
import { isBoardId } from '../../shared/board.ts'

export type Route = { page: 'home' } | { page: 'board'; boardId: string }

/** The page for a path like `location.pathname`. */
export function parseRoute(pathname: string): Route {
  const match = /^\/b\/([^/]+)\/?$/.exec(pathname)
  if (match) {
    const boardId = decodeURIComponent(match[1])
    if (isBoardId(boardId)) return { page: 'board', boardId }
  }
  return { page: 'home' }
}
