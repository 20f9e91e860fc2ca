/**
 * "Revoke this link now" reaches every process: the facilitator's request lands on a process
 * that does not own the board (it runs on the owner), and the sockets opened with the
 * revoked token — on the owner, and one forwarded to it by a third process — are closed at
 * once. A revocation written to the database by any other process (a request that raced a
 * hand-over, a tool) reaches the owner too: PostgreSQL `NOTIFY`, on which every process
 * checks its sockets' tokens again. The other links keep working.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PostgresStore } from '../../server/store/postgres.ts'
import type { CreateLinkResponse } from '../../shared/api.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { api, createBoard, tokenFromLink } from '../helpers/api.ts'
import { DATABASE_URL, ownerOf, startTestCluster, type TestCluster } from '../helpers/cluster.ts'
import { RawClient } from '../helpers/raw-client.ts'

describe('revoking a link in a cluster', () => {
  let cluster: TestCluster
  const clients: RawClient[] = []

  beforeAll(async () => {
    cluster = await startTestCluster(3)
  })
  afterAll(async () => {
    for (const client of clients) await client.close()
    await cluster?.stop()
  })

  const scopedLink = async (url: string, board: { id: string; tokens: { facilitator: string } }) => {
    const created = await api<CreateLinkResponse>(url, `/api/boards/${board.id}/links`, {
      token: board.tokens.facilitator,
      json: { role: 'participant', layerId: 'layer:root' },
    })
    expect(created.status).toBe(201)
    return { id: created.body.id, token: tokenFromLink(created.body.link) }
  }

  it('closes the sockets of a link revoked by another process, through NOTIFY', async () => {
    const [owner, forwarder] = cluster.processes
    const board = await createBoard(owner.url, 'Intrekken in de database')
    const link = await scopedLink(owner.url, board)
    const onOwner = await RawClient.connect(owner.wsUrl, board.id, link.token)
    await onOwner.waitForSync()
    const forwarded = await RawClient.connect(forwarder.wsUrl, board.id, link.token)
    clients.push(onOwner, forwarded)
    await forwarded.waitForSync()
    expect(await ownerOf(cluster, board.id)).toBe(owner)
    // Another process (here: the test, on the same schema) revokes the link in the database.
    const other = new PostgresStore({ url: DATABASE_URL, schema: cluster.schema })
    try {
      expect(other.revokeLink(board.id, link.id)).toBeDefined()
    } finally {
      other.close()
    }
    expect((await onOwner.waitForClose(10_000)).code).toBe(CloseCode.Unauthorized)
    expect((await forwarded.waitForClose(10_000)).code).toBe(CloseCode.Unauthorized)
  })

  it('closes the link’s sockets on the owner and through a forwarder, whichever process revoked it', async () => {
    const [owner, forwarder, elsewhere] = cluster.processes
    const board = await createBoard(owner.url, 'Intrekken')
    const created = await api<CreateLinkResponse>(owner.url, `/api/boards/${board.id}/links`, {
      token: board.tokens.facilitator,
      json: { role: 'participant', layerId: 'layer:root' },
    })
    expect(created.status).toBe(201)
    const scoped = tokenFromLink(created.body.link)
    const onOwner = await RawClient.connect(owner.wsUrl, board.id, scoped)
    await onOwner.waitForSync()
    const forwarded = await RawClient.connect(forwarder.wsUrl, board.id, scoped)
    const kept = await RawClient.connect(forwarder.wsUrl, board.id, board.tokens.participant)
    clients.push(onOwner, forwarded, kept)
    await Promise.all([forwarded.waitForSync(), kept.waitForSync()])
    expect(await ownerOf(cluster, board.id)).toBe(owner)

    const revoked = await api(elsewhere.url, `/api/boards/${board.id}/links/${created.body.id}`, {
      method: 'DELETE',
      token: board.tokens.facilitator,
    })
    expect(revoked.status).toBe(200)
    expect((await onOwner.waitForClose(10_000)).code).toBe(CloseCode.Unauthorized)
    expect((await forwarded.waitForClose(10_000)).code).toBe(CloseCode.Unauthorized)
    await kept.roundTrip()
    expect(kept.isOpen).toBe(true)
  })
})
