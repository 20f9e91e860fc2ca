/**
 * The sync endpoint checks the board and the token before the WebSocket upgrade: a refused
 * client gets a plain HTTP status and never a frame of the document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBoard, type TestBoard, UNKNOWN_BOARD_ID, UNKNOWN_TOKEN } from '../helpers/api.ts'
import { attemptUpgrade, RawClient, syncUrl } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

/** A record id that must not appear in any refusal. */
const SECRET_ID = 'shape:secretShapeThatMustNotLeak'

describe('the sync endpoint', () => {
  let server: TestServer
  let board: TestBoard
  let other: TestBoard

  beforeAll(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Private board')
    other = await createBoard(server.url, 'Other board')
    const writer = await RawClient.connect(server.wsUrl, board.id, board.tokens.facilitator)
    await writer.waitForSync()
    putRecords(writer.doc, [shapeRecord(SECRET_ID)])
    await writer.roundTrip()
    await writer.close()
  })

  afterAll(async () => {
    await server?.stop()
  })

  async function expectRefused(url: string, status: number): Promise<void> {
    const answer = await attemptUpgrade(url)
    expect(answer.status).toBe(status)
    expect(answer.frames).toEqual([])
    expect(answer.body).not.toContain(SECRET_ID)
  }

  it('refuses an upgrade without a token with 401', async () => {
    await expectRefused(syncUrl(server.wsUrl, board.id), 401)
  })

  it('refuses an upgrade with a wrong token with 403', async () => {
    await expectRefused(syncUrl(server.wsUrl, board.id, UNKNOWN_TOKEN), 403)
  })

  it("refuses an upgrade with another board's token with 403", async () => {
    await expectRefused(syncUrl(server.wsUrl, board.id, other.tokens.facilitator), 403)
  })

  it('refuses an upgrade with a token that is not token-shaped with 403', async () => {
    await expectRefused(syncUrl(server.wsUrl, board.id, 'x'), 403)
  })

  it('refuses an upgrade with a malformed board id with 400', async () => {
    await expectRefused(syncUrl(server.wsUrl, 'short', board.tokens.facilitator), 400)
    await expectRefused(syncUrl(server.wsUrl, 'x'.repeat(65), board.tokens.facilitator), 400)
    await expectRefused(`${server.wsUrl}/sync/bad%24board%24id?token=${board.tokens.facilitator}`, 400)
  })

  it('refuses an upgrade to an unknown board with 404', async () => {
    await expectRefused(syncUrl(server.wsUrl, UNKNOWN_BOARD_ID, board.tokens.facilitator), 404)
  })

  it('accepts the upgrade with a valid token', async () => {
    const answer = await attemptUpgrade(syncUrl(server.wsUrl, board.id, board.tokens.display))
    expect(answer.status).toBeNull()
  })
})
