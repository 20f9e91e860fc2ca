/**
 * The client's calls for versions and replay (`shared/historyApi.ts` has the shapes), each
 * with the facilitator's token, each a tagged result like `client/src/api.ts`. The board at
 * a moment comes as a Yjs update (bytes), applied to a document of the replay's own.
 */
import type {
  HistoryInfoResponse,
  RestoreResponse,
  VersionContentResponse,
  VersionInfo,
  VersionListResponse,
} from '../../../shared/historyApi.ts'
import { authorizationHeader, ROUTES, routePath } from '../../../shared/routes.ts'
import { type ApiResult, request } from '../api.ts'

const auth = (token: string) => ({ Authorization: authorizationHeader(token) })

export function listVersions(boardId: string, token: string): Promise<ApiResult<VersionListResponse>> {
  return request(routePath(ROUTES.versions, { boardId }), { headers: auth(token), cache: 'no-store' })
}

export function saveVersion(boardId: string, token: string, name: string): Promise<ApiResult<VersionInfo>> {
  return request(routePath(ROUTES.versions, { boardId }), {
    method: 'POST',
    headers: { ...auth(token), 'Content-Type': 'application/json' },
    body: JSON.stringify({ name }),
  })
}

export function fetchVersion(
  boardId: string,
  versionId: string,
  token: string,
): Promise<ApiResult<VersionContentResponse>> {
  return request(routePath(ROUTES.version, { boardId, versionId }), { headers: auth(token), cache: 'no-store' })
}

export function restoreVersion(boardId: string, versionId: string, token: string): Promise<ApiResult<RestoreResponse>> {
  return request(routePath(ROUTES.restoreVersion, { boardId, versionId }), { method: 'POST', headers: auth(token) })
}

export function fetchHistory(boardId: string, token: string): Promise<ApiResult<HistoryInfoResponse>> {
  return request(routePath(ROUTES.history, { boardId }), { headers: auth(token), cache: 'no-store' })
}

/** The board after moment `seq`, whole, or (with `from`) only what changed since `from`. */
export async function fetchHistoryState(
  boardId: string,
  token: string,
  seq: number,
  from?: number,
): Promise<Uint8Array | null> {
  const query = new URLSearchParams({ seq: String(seq) })
  if (from !== undefined) query.set('from', String(from))
  try {
    const response = await fetch(`${routePath(ROUTES.historyState, { boardId })}?${query}`, {
      headers: auth(token),
      cache: 'no-store',
    })
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null
  } catch {
    return null
  }
}
