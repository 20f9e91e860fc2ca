/**
 * STIP_MAX_CONNECTIONS caps the sync sockets one process holds, and with several processes
 * a socket for a board another process owns is still held by the process it reached: it
 * forwards the frames (server/cluster/hop.ts). Such sockets count toward that process's cap
 * like any other, so a process cannot be made to hold thousands of forwarded sockets that
 * no cap sees. Process 0 owns the board; process 1, capped at two sockets, forwards two
 * clients and refuses a third with 503 `too_many_connections`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UpgradeRefusal } from '../../shared/upgrade.ts'
import { createBoard } from '../helpers/api.ts'
import { ownerOf, startTestCluster, type TestCluster } from '../helpers/cluster.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { syncUrl } from '../helpers/raw-client.ts'
import { upgradeWithOrigin } from '../helpers/upgrade.ts'

describe('a process that forwards sockets to a board’s owner', () => {
  let cluster: TestCluster
  const clients: ProviderClient[] = []

  beforeAll(async () => {
    cluster = await startTestCluster(1)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await cluster?.stop()
  })

  it('counts them toward its own cap', async () => {
    const [owner] = cluster.processes
    const board = await createBoard(owner.url, 'Doorgestuurd')
    clients.push(await connectProvider(owner.wsUrl, board.id, board.tokens.participant, { timeoutMs: 10_000 }))
    expect(await ownerOf(cluster, board.id)).toBe(owner)

    const capped = await cluster.add({ STIP_MAX_CONNECTIONS: '2' })
    for (let i = 0; i < 2; i++) {
      clients.push(await connectProvider(capped.wsUrl, board.id, board.tokens.participant, { timeoutMs: 10_000 }))
    }
    const third = await upgradeWithOrigin(syncUrl(capped.wsUrl, board.id, board.tokens.participant))
    expect([third.status, third.body]).toEqual([503, UpgradeRefusal.TooManyConnections.reason])
    // The owner, uncapped, still takes a socket.
    const atOwner = await upgradeWithOrigin(syncUrl(owner.wsUrl, board.id, board.tokens.participant))
    expect(atOwner.status).toBeNull()
    atOwner.socket?.close()
  })
})
