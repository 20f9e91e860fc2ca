/**
 * Board endpoints take the link's token as a bearer token: 401 without one, 403 with one
 * that does not open the board or whose role may not do this, 404 for an unknown board.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiError, BoardInfo, BoardSession } from '../../shared/api.ts'
import { ROLES } from '../../shared/roles.ts'
import { api, createBoard, type TestBoard, UNKNOWN_BOARD_ID, UNKNOWN_TOKEN } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

describe('the board API', () => {
  let server: TestServer
  let board: TestBoard
  let other: TestBoard

  beforeAll(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Tokens')
    other = await createBoard(server.url, 'Someone else')
  })

  afterAll(async () => {
    await server?.stop()
  })

  const endpoints = (boardId: string) => [
    { method: 'GET', path: `/api/boards/${boardId}` },
    { method: 'GET', path: `/api/boards/${boardId}/me` },
    { method: 'POST', path: `/api/boards/${boardId}/links/participant/rotate` },
  ]

  async function expectError(method: string, path: string, token: string | undefined, status: number) {
    const response = await api<ApiError>(server.url, path, { method, token })
    expect(response.status, `${method} ${path}`).toBe(status)
    expect(response.body.error).toEqual({ code: expect.any(String), message: expect.any(String) })
  }

  it('answers 401 without a token', async () => {
    for (const { method, path } of endpoints(board.id)) await expectError(method, path, undefined, 401)
  })

  it('answers 403 with a wrong token or another board’s token', async () => {
    for (const { method, path } of endpoints(board.id)) {
      await expectError(method, path, UNKNOWN_TOKEN, 403)
      await expectError(method, path, other.tokens.facilitator, 403)
      await expectError(method, path, 'x', 403)
    }
  })

  it('answers 404 for an unknown board', async () => {
    for (const { method, path } of endpoints(UNKNOWN_BOARD_ID))
      await expectError(method, path, board.tokens.facilitator, 404)
  })

  it('answers 403 when a participant or display token asks for what only a facilitator may do', async () => {
    for (const token of [board.tokens.participant, board.tokens.display]) {
      await expectError('GET', `/api/boards/${board.id}`, token, 403)
      await expectError('POST', `/api/boards/${board.id}/links/participant/rotate`, token, 403)
    }
  })

  it('tells every valid token its role', async () => {
    for (const role of ROLES) {
      const response = await api<BoardSession>(server.url, `/api/boards/${board.id}/me`, { token: board.tokens[role] })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ id: board.id, name: 'Tokens', role, layerId: null })
    }
  })

  it('gives the facilitator the board info', async () => {
    const response = await api<BoardInfo>(server.url, `/api/boards/${board.id}`, { token: board.tokens.facilitator })
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      id: board.id,
      name: 'Tokens',
      counts: {
        records: expect.any(Number),
        shapes: 1 /* the north star */,
        connections: { facilitator: 0, participant: 0, display: 0 },
      },
    })
    expect(Number.isNaN(Date.parse(response.body.created))).toBe(false)
  })
})
