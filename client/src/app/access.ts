/**
 * A board's capability token: taken from the link's fragment (`#token=…`), remembered per
 * board so that a reload or a bookmark without the fragment still opens the board, and
 * wiped from the address bar so it is not shoulder-surfed, screenshotted or re-shared.
 * Works the same on a layer's address (`/b/<board>/l/<layer>#token=…`): the path stays.
 */
import type { BoardSession } from '../../../shared/api.ts'
import { isTokenShaped } from '../../../shared/board.ts'
import { isRole } from '../../../shared/roles.ts'
import { TOKEN_PARAM } from '../../../shared/routes.ts'
import { safeGet, safeSet } from '../storage.ts'

const tokenKey = (boardId: string) => `stip:token:${boardId}`
const sessionKey = (boardId: string) => `stip:session:${boardId}`

/**
 * Returns the token for `boardId`: the one in the fragment if any (then remembered and
 * removed from the URL), else the remembered one, else null.
 */
export function takeBoardToken(boardId: string): string | null {
  const fromFragment = new URLSearchParams(location.hash.replace(/^#/, '')).get(TOKEN_PARAM)
  if (fromFragment !== null) {
    history.replaceState(history.state, '', location.pathname + location.search)
    if (isTokenShaped(fromFragment)) {
      // A new link replaces an old one (e.g. after the facilitator rotated it).
      if (safeGet(tokenKey(boardId)) !== fromFragment) forgetSession(boardId)
      safeSet(tokenKey(boardId), fromFragment)
      return fromFragment
    }
  }
  const remembered = safeGet(tokenKey(boardId))
  return isTokenShaped(remembered) ? remembered : null
}

/** Remembers who this token made us, so a reload while offline can still open the board. */
export function rememberSession(session: BoardSession): void {
  safeSet(sessionKey(session.id), JSON.stringify(session))
}

/** The last session the server confirmed for this board, if any. */
export function rememberedSession(boardId: string): BoardSession | null {
  try {
    const value = JSON.parse(safeGet(sessionKey(boardId)) ?? 'null') as Partial<BoardSession> | null
    if (value && value.id === boardId && isRole(value.role)) {
      const layerId = typeof value.layerId === 'string' ? value.layerId : null
      return { id: boardId, name: String(value.name ?? ''), role: value.role, layerId }
    }
  } catch {
    // Corrupt entry: treat as unknown.
  }
  return null
}

function forgetSession(boardId: string): void {
  try {
    localStorage.removeItem(sessionKey(boardId))
  } catch {
    // Nothing remembered then.
  }
}
