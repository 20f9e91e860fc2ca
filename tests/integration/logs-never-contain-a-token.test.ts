/**
 * Tokens never reach a log: not from a request's `Authorization` header, not from a
 * `?token=` query (the sync socket's, or one a script puts on an API call by mistake), not
 * when the request is refused. The redaction is pino configuration, so a field named after
 * a token is censored even when some code logs one.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger } from '../../server/log.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, createBoard, type TestBoard, UNKNOWN_TOKEN } from '../helpers/api.ts'
import { attemptUpgrade, newBrowserSecret, RawClient, syncUrl } from '../helpers/raw-client.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

describe('the logs', () => {
  let lines: string[]
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    lines = []
    server = await startTestServer({ log: createLogger({ write: (line) => void lines.push(line) }) })
    board = await createBoard(server.url, 'Logged')
  })

  afterEach(async () => {
    await server?.stop()
  })

  it('never contain a token from a query or an Authorization header', async () => {
    const { facilitator, participant } = board.tokens
    const boardPath = routePath(ROUTES.board, { boardId: board.id })
    await api(server.url, boardPath, { token: facilitator })
    await api(server.url, `${boardPath}?token=${facilitator}`)
    await api(server.url, `${routePath(ROUTES.me, { boardId: board.id })}?token=${participant}`, { token: participant })
    await api(server.url, `/api/nothing?token=${facilitator}`, { token: facilitator })
    await api(server.url, `/b/${board.id}?token=${facilitator}`)
    await api(server.url, ROUTES.boards, { json: {}, token: UNKNOWN_TOKEN })

    // A browser's secret is as secret as a token: on the sync socket, and refused with it.
    const secret = newBrowserSecret()
    const client = await RawClient.connect(server.wsUrl, board.id, participant, { secret })
    await client.waitForSync()
    await client.close()
    await attemptUpgrade(syncUrl(server.wsUrl, board.id, UNKNOWN_TOKEN, secret))
    await attemptUpgrade(syncUrl(server.wsUrl, board.id, UNKNOWN_TOKEN))
    await attemptUpgrade(`${server.wsUrl}/nowhere?token=${facilitator}`)

    // Requests and sockets were logged, or this test proves nothing.
    const messages = lines.map((line) => JSON.parse(line).msg)
    expect(messages).toEqual(expect.arrayContaining(['request', 'connected', 'disconnected', 'sync refused']))
    for (const token of [facilitator, participant, UNKNOWN_TOKEN, secret]) {
      expect(lines.filter((line) => line.includes(token))).toEqual([])
    }
  })

  it('censor a token in the fields pino is configured to redact, whoever logs them', () => {
    const written: string[] = []
    const log = createLogger({ write: (line) => void written.push(line) })
    log.info('careless', { token: UNKNOWN_TOKEN, headers: { authorization: `Bearer ${UNKNOWN_TOKEN}` } })
    expect(written).toHaveLength(1)
    expect(written[0]).not.toContain(UNKNOWN_TOKEN)
    expect(JSON.parse(written[0])).toMatchObject({ level: 'info', msg: 'careless', token: '[redacted]' })
  })
})
