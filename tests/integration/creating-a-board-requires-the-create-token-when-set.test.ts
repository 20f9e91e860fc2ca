/**
 * With a creation token configured (`STIP_CREATE_TOKEN`), only those who have it may create
 * boards: 401 without it, 403 with a wrong one. The client learns this from /api/config.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { ApiError, ClientConfig } from '../../shared/api.ts'
import { api, createBoard } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

const CREATE_TOKEN = 'create-token-for-tests-0123456789abcdefghij'

describe('creating a board', () => {
  let server: TestServer | undefined

  afterEach(async () => {
    await server?.stop()
    server = undefined
  })

  it('requires the creation token when one is set', async () => {
    server = await startTestServer({ createToken: CREATE_TOKEN })
    const config = await api<ClientConfig>(server.url, '/api/config')
    expect(config.body.createTokenRequired).toBe(true)

    const missing = await api<ApiError>(server.url, '/api/boards', { json: { name: 'Mission' } })
    expect(missing.status).toBe(401)
    expect(missing.body.error.code).toEqual(expect.any(String))
    const wrong = await api<ApiError>(server.url, '/api/boards', {
      json: { name: 'Mission' },
      token: `${CREATE_TOKEN}x`,
    })
    expect(wrong.status).toBe(403)
    expect(wrong.body.error.code).toEqual(expect.any(String))

    const board = await createBoard(server.url, 'Mission', { createToken: CREATE_TOKEN })
    expect(board.name).toBe('Mission')
  })

  it('needs no token when none is set', async () => {
    server = await startTestServer({ createToken: null })
    const config = await api<ClientConfig>(server.url, '/api/config')
    expect(config.body.createTokenRequired).toBe(false)
    const board = await createBoard(server.url, 'Open')
    expect(board.name).toBe('Open')
  })
})
