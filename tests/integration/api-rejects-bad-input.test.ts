/**
 * Creating a board validates its input: every refusal is a 400 with the documented error
 * body `{ error: { code, message } }`, and nothing is created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ApiError, CreateBoardResponse } from '../../shared/api.ts'
import { MAX_BOARD_NAME_LENGTH } from '../../shared/board.ts'
import { type ApiRequest, api, tokenFromLink } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

const BAD_REQUESTS: [string, ApiRequest][] = [
  ['invalid JSON', { rawBody: '{"name": "unterminated' }],
  ['an empty body', { rawBody: '' }],
  ['a missing name', { json: {} }],
  ['an empty name', { json: { name: '' } }],
  ['a name of spaces', { json: { name: '   ' } }],
  ['a name that is too long', { json: { name: 'x'.repeat(MAX_BOARD_NAME_LENGTH + 1) } }],
  ['a name that is a number', { json: { name: 42 } }],
  ['a name that is an object', { json: { name: { first: 'Mission' } } }],
  ['a JSON array', { json: [{ name: 'Mission' }] }],
  ['a JSON string', { json: 'Mission' }],
  ['JSON null', { rawBody: 'null' }],
]

describe('POST /api/boards', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await server?.stop()
  })

  it.each(BAD_REQUESTS)('answers 400 with an error body for %s', async (_case, request) => {
    const response = await api<ApiError>(server.url, '/api/boards', { method: 'POST', ...request })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(response.body.error).toEqual({ code: expect.any(String), message: expect.any(String) })
    expect(response.body.error.code).not.toBe('')
  })

  it('accepts a name of exactly the maximum length, trimmed', async () => {
    const name = 'y'.repeat(MAX_BOARD_NAME_LENGTH)
    const response = await api<CreateBoardResponse>(server.url, '/api/boards', { json: { name: `  ${name}  ` } })
    expect(response.status).toBe(201)
    expect(response.body.name).toBe(name)
  })

  it('creates a board with three different capability links to it', async () => {
    const response = await api<CreateBoardResponse>(server.url, '/api/boards', { json: { name: 'Mission' } })
    expect(response.status).toBe(201)
    const { id, name, links } = response.body
    expect(name).toBe('Mission')
    for (const link of [links.facilitator, links.participant, links.display]) {
      expect(link.startsWith(`${server.url}/b/${id}#token=`)).toBe(true)
    }
    const tokens = new Set([links.facilitator, links.participant, links.display].map(tokenFromLink))
    expect(tokens.size).toBe(3)
  })
})
