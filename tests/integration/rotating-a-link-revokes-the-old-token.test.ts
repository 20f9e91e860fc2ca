/**
 * Rotating a link replaces its token: the old token stops at once — on the API, on the
 * upgrade, and on sockets already open with it (closed with Unauthorized, which clients
 * treat as final) — while the new link works and other roles are untouched.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BoardSession, RotateLinkResponse } from '../../shared/api.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { api, createBoard, type TestBoard, tokenFromLink } from '../helpers/api.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { attemptUpgrade, RawClient, syncUrl } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('rotating a link', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []
  const providers: ProviderClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Rotation')
  })

  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.destroy()
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  async function connect(token: string): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, token)
    clients.push(client)
    await client.waitForSync()
    return client
  }

  it('revokes the old token everywhere at once and hands out a working new link', async () => {
    const oldToken = board.tokens.participant
    const participant = await connect(oldToken)
    const participantProvider = await connectProvider(server.wsUrl, board.id, oldToken)
    providers.push(participantProvider)
    const facilitator = await connect(board.tokens.facilitator)
    const display = await connect(board.tokens.display)

    const rotated = await api<RotateLinkResponse>(server.url, `/api/boards/${board.id}/links/participant/rotate`, {
      method: 'POST',
      token: board.tokens.facilitator,
    })
    expect(rotated.status).toBe(200)
    expect(rotated.body.role).toBe('participant')
    const newToken = tokenFromLink(rotated.body.link)
    expect(newToken).not.toBe(oldToken)

    // Open sockets with the old token are closed, and y-websocket stops reconnecting.
    expect((await participant.waitForClose(5_000)).code).toBe(CloseCode.Unauthorized)
    await waitFor(() => participantProvider.closeCodes.includes(CloseCode.Unauthorized), {
      timeoutMs: 5_000,
      message: 'the provider to be closed with Unauthorized',
    })
    expect(participantProvider.provider.shouldConnect).toBe(false)

    // The old token is refused on the API and on the upgrade.
    const me = await api(server.url, `/api/boards/${board.id}/me`, { token: oldToken })
    expect(me.status).toBe(403)
    expect((await attemptUpgrade(syncUrl(server.wsUrl, board.id, oldToken))).status).toBe(403)

    // Other roles keep their sockets.
    await facilitator.roundTrip()
    await display.roundTrip()

    // The new link works.
    const meNew = await api<BoardSession>(server.url, `/api/boards/${board.id}/me`, { token: newToken })
    expect(meNew.status).toBe(200)
    expect(meNew.body.role).toBe('participant')
    const renewed = await connect(newToken)
    putRecords(renewed.doc, [shapeRecord('shape:afterRotation')])
    await waitFor(() => getRecordsMap(facilitator.doc).has('shape:afterRotation'), {
      message: 'the facilitator to see the write made with the new token',
    })
  })
})
