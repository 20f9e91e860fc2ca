/**
 * Stip has a handful of pages, so the router is one function: `/b/<boardId>` is a board (and
 * `/b/<boardId>/l/<layer>` one of its layers, opened; `/b/<boardId>/outline` its outline,
 * the drawing as text; `/b/<boardId>/history` its replay; `/b/<boardId>/versions/<id>` one
 * version; `/b/<boardId>/archive-pdf` the internal page the server's own browser renders an
 * archive's PDF on), `/admin` the administrator's page, anything else is the home page. The
 * server answers every `/b/…` path and `/admin` with index.html.
 */
import { ARCHIVE_PDF_SEGMENT } from '../../../shared/archivePdf.ts'
import { isBoardId, layerIdFromPathSegment, OUTLINE_SEGMENT } from '../../../shared/board.ts'
import { ROUTES } from '../../../shared/routes.ts'
import { HISTORY_SEGMENT, isVersionId, VERSIONS_SEGMENT } from '../../../shared/versions.ts'

export type Route =
  | { page: 'home' }
  | { page: 'board'; boardId: string; layerId: string | null; outline: boolean }
  /** `/b/<board>/history`: the replay; `/b/<board>/versions/<id>`: one version, read-only. */
  | { page: 'history'; boardId: string }
  | { page: 'version'; boardId: string; versionId: string }
  /** `/admin`: the administrator's page. */
  | { page: 'admin' }
  /** `/b/<board>/archive-pdf`: internal, for the server's archive render only. */
  | { page: 'archive-pdf'; boardId: string }

const PAST_ROUTE = new RegExp(`^/b/([^/]+)/(?:(${HISTORY_SEGMENT})|${VERSIONS_SEGMENT}/([^/]+))/?$`)

const ARCHIVE_PDF_ROUTE = new RegExp(`^/b/([^/]+)/${ARCHIVE_PDF_SEGMENT}/?$`)

const BOARD_ROUTE = new RegExp(`^/b/([^/]+)(?:/l/([^/]+)|/(${OUTLINE_SEGMENT}))?/?$`)

/** The page for a path like `location.pathname`. */
export function parseRoute(pathname: string): Route {
  if (pathname === ROUTES.adminPage || pathname === `${ROUTES.adminPage}/`) return { page: 'admin' }
  const archive = ARCHIVE_PDF_ROUTE.exec(pathname)
  if (archive) return isBoardId(archive[1]) ? { page: 'archive-pdf', boardId: archive[1] } : { page: 'home' }
  const past = PAST_ROUTE.exec(pathname)
  if (past) {
    const boardId = decodeURIComponent(past[1])
    if (isBoardId(boardId) && past[2]) return { page: 'history', boardId }
    if (isBoardId(boardId) && isVersionId(past[3])) return { page: 'version', boardId, versionId: past[3] }
    return { page: 'home' }
  }
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
