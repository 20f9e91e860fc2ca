/**
 * The administrator's API answers only `STIP_ADMIN_TOKEN`: every call refuses a board's
 * facilitator, participant and display tokens, no token, and a wrong one, and changes
 * nothing; the administrator's token is answered. A server without `STIP_ADMIN_TOKEN` has no
 * administrator's API at all. The audit log it shows records link rotations with time and
 * role, never a token.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AdminBoardList, AuditResponse } from '../../shared/historyApi.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, createBoard, type TestBoard } from '../helpers/api.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

const ADMIN = `${'a'.repeat(24)}admin-token-of-the-test`

describe('the administrator’s API', () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer({ adminToken: ADMIN })
    board = await createBoard(server.url, 'Beheer')
  })

  afterEach(async () => {
    await server.stop()
  })

  const calls = () => [
    { method: 'GET', path: ROUTES.adminBoards },
    { method: 'GET', path: routePath(ROUTES.adminArchive, { boardId: board.id }) },
    { method: 'GET', path: ROUTES.adminAudit },
    { method: 'POST', path: ROUTES.adminImport, headers: { 'content-type': 'application/zip' }, rawBody: 'PK' },
    { method: 'DELETE', path: routePath(ROUTES.adminBoard, { boardId: board.id }), json: { confirm: 'Beheer' } },
  ]

  it('refuses the facilitator, participant and display tokens, none and a wrong one, and changes nothing', async () => {
    const refused: [string, string | undefined, number][] = [
      ['facilitator', board.tokens.facilitator, 403],
      ['participant', board.tokens.participant, 403],
      ['display', board.tokens.display, 403],
      ['none', undefined, 401],
      ['wrong', `${ADMIN}x`, 403],
      ['prefix', ADMIN.slice(0, -1), 403],
    ]
    for (const call of calls()) {
      for (const [who, token, status] of refused) {
        const response = await api<{ error: { code: string } }>(server.url, call.path, { ...call, token })
        expect(response.status, `${call.method} ${call.path} as ${who}`).toBe(status)
        expect(response.body.error.code).toBe(status === 401 ? 'token_missing' : 'token_invalid')
      }
    }
    expect(server.server.store.getBoard(board.id)).toBeDefined()
    expect(server.server.store.listBoards()).toHaveLength(1)
    expect(server.server.store.listAudit(10)).toEqual([])
  })

  it('answers the administrator: every board with its sizes, and the audit log without tokens', async () => {
    const listed = await api<AdminBoardList>(server.url, ROUTES.adminBoards, { token: ADMIN })
    expect(listed.status).toBe(200)
    expect(listed.body.boards).toEqual([
      {
        id: board.id,
        name: 'Beheer',
        created: expect.any(String),
        lastActivity: expect.any(String),
        bytes: expect.objectContaining({ total: expect.any(Number) }),
        versions: 0,
        connections: 0,
      },
    ])
    expect(listed.body.boards[0].bytes.total).toBeGreaterThan(0)
    const rotated = await api(server.url, routePath(ROUTES.rotateLink, { boardId: board.id, role: 'participant' }), {
      method: 'POST',
      token: board.tokens.facilitator,
    })
    expect(rotated.status).toBe(200)
    const audit = await api<AuditResponse>(server.url, ROUTES.adminAudit, { token: ADMIN })
    expect(audit.body.entries).toEqual([
      { at: expect.any(String), action: 'link-rotated', actor: 'facilitator', boardId: board.id },
    ])
    expect(audit.text).not.toContain(board.tokens.participant)
    expect(audit.text).not.toContain(board.tokens.facilitator)
  })

  it('does not exist on a server without STIP_ADMIN_TOKEN', async () => {
    const plain = await startTestServer()
    try {
      for (const call of calls()) {
        const response = await api<{ error: { code: string } }>(plain.url, call.path, { ...call, token: ADMIN })
        expect(response.status, `${call.method} ${call.path}`).toBe(404)
        expect(response.body.error.code).toBe('admin_disabled')
      }
    } finally {
      await plain.stop()
    }
  })
})
