/** Calls to Stip's JSON API, and board creation with the three capability tokens. */
import type { CreateBoardResponse } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import { authorizationHeader, ROUTES, TOKEN_PARAM } from '../../shared/routes.ts'

export interface ApiResponse<T = unknown> {
  status: number
  headers: Headers
  /** The parsed JSON body, or undefined if the body was not JSON. */
  body: T
  text: string
}

export interface ApiRequest {
  method?: string
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string
  /** Serialized as JSON. */
  json?: unknown
  /** Sent as is (for malformed bodies). */
  rawBody?: string
  headers?: Record<string, string>
}

export async function api<T = unknown>(
  baseUrl: string,
  path: string,
  request: ApiRequest = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...request.headers }
  if (request.token !== undefined) headers.authorization = authorizationHeader(request.token)
  let body: string | undefined
  if (request.json !== undefined) {
    body = JSON.stringify(request.json)
    headers['content-type'] ??= 'application/json'
  } else if (request.rawBody !== undefined) {
    body = request.rawBody
    headers['content-type'] ??= 'application/json'
  }
  const response = await fetch(new URL(path, baseUrl), {
    method: request.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  })
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text }
}

/** The token in a capability link's fragment (`…/b/<id>#token=<token>`). */
export function tokenFromLink(link: string): string {
  const fragment = new URL(link).hash.replace(/^#/, '')
  const token = new URLSearchParams(fragment).get(TOKEN_PARAM)
  if (!token) throw new Error(`No token in link ${link}`)
  return token
}

export interface TestBoard extends CreateBoardResponse {
  tokens: Record<Role, string>
}

/** Creates a board through the API and extracts its tokens; fails the test on any error. */
export async function createBoard(
  baseUrl: string,
  name = 'Test board',
  { createToken }: { createToken?: string } = {},
): Promise<TestBoard> {
  const response = await api<CreateBoardResponse>(baseUrl, ROUTES.boards, { json: { name }, token: createToken })
  if (response.status !== 201) {
    throw new Error(`Creating a board failed: ${response.status} ${response.text}`)
  }
  const board = response.body
  return {
    ...board,
    tokens: {
      facilitator: tokenFromLink(board.links.facilitator),
      participant: tokenFromLink(board.links.participant),
      display: tokenFromLink(board.links.display),
    },
  }
}

/** A board id and a token that are well-formed but belong to nothing. */
export const UNKNOWN_BOARD_ID = 'unknownBoardId00000000'
export const UNKNOWN_TOKEN = 'notARealTokenButTokenShaped0000000000000000'
