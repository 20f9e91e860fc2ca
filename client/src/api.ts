/**
 * Calls to Stip's JSON API (`shared/api.ts` has the shapes). Each returns a tagged result
 * instead of throwing, so pages can tell "wrong token" from "server unreachable".
 */
import type {
  ApiError,
  BoardSession,
  CreateBoardRequest,
  CreateBoardResponse,
  CreateJoinLinkRequest,
  CreateJoinLinkResponse,
  CreateLinkRequest,
  CreateLinkResponse,
  LinkListResponse,
  RevokeLinkResponse,
} from '../../shared/api.ts'
import { isRole } from '../../shared/roles.ts'
import { authorizationHeader, ROUTES, routePath } from '../../shared/routes.ts'

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: 'http'; status: number; code: string; message: string }
  | { ok: false; kind: 'network'; message: string }

export async function request<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...init.headers } })
  } catch (error) {
    return { ok: false, kind: 'network', message: String(error) }
  }
  const body: unknown = await response.json().catch(() => null)
  if (response.ok) return { ok: true, value: body as T }
  const error = (body as Partial<ApiError> | null)?.error
  return {
    ok: false,
    kind: 'http',
    status: response.status,
    code: typeof error?.code === 'string' ? error.code : String(response.status),
    message: typeof error?.message === 'string' ? error.message : response.statusText,
  }
}

/** `POST /api/boards`: creates a board (empty, or from a template) and returns its three links. */
export function createBoard(
  board: CreateBoardRequest,
  createToken: string | null,
): Promise<ApiResult<CreateBoardResponse>> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' }
  if (createToken) headers.Authorization = authorizationHeader(createToken)
  return request(ROUTES.boards, { method: 'POST', headers, body: JSON.stringify(board) })
}

/** `GET /api/boards/:id/me`: which board and role this token opens. */
export async function fetchSession(boardId: string, token: string): Promise<ApiResult<BoardSession>> {
  const result = await request<BoardSession>(routePath(ROUTES.me, { boardId }), {
    headers: { Authorization: authorizationHeader(token) },
    cache: 'no-store',
  })
  if (result.ok && !isRole(result.value?.role)) {
    return { ok: false, kind: 'http', status: 500, code: 'bad_response', message: 'No role in /me answer.' }
  }
  return result
}

/** `POST /api/boards/:id/join-links` (facilitator): a short participant link for a QR code. */
export function createJoinLink(
  boardId: string,
  token: string,
  layerId: string,
): Promise<ApiResult<CreateJoinLinkResponse>> {
  const body: CreateJoinLinkRequest = { layerId }
  return request(routePath(ROUTES.joinLinks, { boardId }), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorizationHeader(token) },
    body: JSON.stringify(body),
  })
}

/** `POST /api/boards/:id/links` (facilitator): a participant link scoped to a layer. */
export function createScopedLink(
  boardId: string,
  token: string,
  layerId: string,
): Promise<ApiResult<CreateLinkResponse>> {
  const body: CreateLinkRequest = { role: 'participant', layerId }
  return request(routePath(ROUTES.links, { boardId }), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: authorizationHeader(token) },
    body: JSON.stringify(body),
  })
}

/** `GET /api/boards/:id/links` (facilitator): every scoped and join link, never a token. */
export function listLinks(boardId: string, token: string): Promise<ApiResult<LinkListResponse>> {
  return request(routePath(ROUTES.links, { boardId }), {
    headers: { Authorization: authorizationHeader(token) },
    cache: 'no-store',
  })
}

/** `DELETE /api/boards/:id/links/:linkId` (facilitator): the link stops and its sockets close. */
export function revokeLink(boardId: string, token: string, linkId: string): Promise<ApiResult<RevokeLinkResponse>> {
  return request(routePath(ROUTES.link, { boardId, linkId }), {
    method: 'DELETE',
    headers: { Authorization: authorizationHeader(token) },
  })
}
