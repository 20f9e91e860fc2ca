/**
 * One process holds at most STIP_MAX_ROOMS boards and STIP_MAX_CONNECTIONS sockets. Past a
 * cap a new upgrade gets HTTP 503 with the reason (`too_many_rooms`, `too_many_connections`)
 * before any room is loaded; the sockets already open keep syncing, the server stays up and
 * healthy, and a socket gets in again as soon as one leaves. y-websocket retries a refused
 * upgrade by itself, so a person on a full server just waits to get in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { ROUTES } from '../../shared/routes.ts'
import { UpgradeRefusal } from '../../shared/upgrade.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient, syncUrl } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { upgradeWithOrigin } from '../helpers/upgrade.ts'
import { waitFor } from '../helpers/wait.ts'

describe('the per-process caps', () => {
  let server: TestServer
  let first: TestBoard
  let second: TestBoard
  const clients: RawClient[] = []

  beforeEach(async () => {
    server = await startTestServer({ maxRooms: 1, maxConnections: 3 })
    first = await createBoard(server.url, 'Eerste')
    second = await createBoard(server.url, 'Tweede')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  async function connect(board: TestBoard): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, board.tokens.facilitator)
    clients.push(client)
    await client.waitForSync()
    return client
  }
  const attempt = (board: TestBoard) => upgradeWithOrigin(syncUrl(server.wsUrl, board.id, board.tokens.facilitator))

  it('refuses a new room and a socket too many with 503 and a reason, and takes one again once there is room', async () => {
    const a = await connect(first)

    // The second board would be a second room.
    const noRoom = await attempt(second)
    expect([noRoom.status, noRoom.body]).toEqual([503, UpgradeRefusal.TooManyRooms.reason])
    expect(server.server.rooms.rooms.has(second.id)).toBe(false)

    // The loaded board takes sockets up to the connection cap.
    const b = await connect(first)
    const c = await connect(first)
    const noSocket = await attempt(first)
    expect([noSocket.status, noSocket.body]).toEqual([503, UpgradeRefusal.TooManyConnections.reason])

    // The open sockets keep syncing; the server stays up and healthy.
    putRecords(a.doc, [shapeRecord('shape:whileFull')])
    await waitFor(() => getRecordsMap(c.doc).has('shape:whileFull'), { message: 'the shape to reach a third socket' })
    const health = await fetch(`${server.url}${ROUTES.health}`)
    expect(health.status).toBe(200)
    const metrics = await (await fetch(`${server.url}${ROUTES.metrics}`)).text()
    expect(metrics).toMatch(/stip_upgrades_refused_total\{status="503",reason="too_many_rooms"\} 1/)
    expect(metrics).toMatch(/stip_upgrades_refused_total\{status="503",reason="too_many_connections"\} 1/)

    // One leaves: a socket gets in again. All leave: the other board can be opened.
    await b.close()
    await waitFor(() => server.server.rooms.connectionCount() === 2, { message: 'the server to see b leave' })
    const again = await connect(first)
    expect(getRecordsMap(again.doc).has('shape:whileFull')).toBe(true)
    for (const client of [a, c, again]) await client.close()
    await waitFor(() => server.server.rooms.rooms.size === 0, { message: 'the first room to be released' })
    const other = await connect(second)
    await other.roundTrip()
  })
})
