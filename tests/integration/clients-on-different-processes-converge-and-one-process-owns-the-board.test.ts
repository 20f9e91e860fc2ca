/**
 * Three Stip processes on one PostgreSQL: clients of the same board connected to different
 * processes see each other's edits, because one process owns the board (its lease) and the
 * other two forward their sockets to it. The API answers on every process, reads and
 * writes that need the room alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { CLUSTER_HOP_HEADER } from '../../shared/routes.ts'
import { UpgradeRefusal } from '../../shared/upgrade.ts'
import { api, createBoard } from '../helpers/api.ts'
import { metric, ownerOf, startTestCluster, type TestCluster } from '../helpers/cluster.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { attemptUpgrade, syncUrl } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('three processes serving one board', () => {
  let cluster: TestCluster
  const clients: ProviderClient[] = []

  beforeAll(async () => {
    cluster = await startTestCluster(3)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await cluster?.stop()
  })

  it('converges clients on different processes, with one owner and two forwarders', async () => {
    const board = await createBoard(cluster.processes[1].url, 'Voorbeeld Digitaal 2030')
    for (const child of cluster.processes)
      clients.push(await connectProvider(child.wsUrl, board.id, board.tokens.participant, { timeoutMs: 10_000 }))
    clients.forEach((client, i) => {
      putRecords(client.doc, [shapeRecord(`shape:from-process-${i}`)])
    })
    const ids = clients.map((_, i) => `shape:from-process-${i}`)
    await waitFor(() => clients.every((client) => ids.every((id) => getRecordsMap(client.doc).has(id))), {
      timeoutMs: 10_000,
      message: 'every client to have every process’s shape',
    })
    const [first, ...others] = clients.map((client) => recordsSnapshot(client.doc))
    for (const other of others) expect(other).toEqual(first)

    const owner = await ownerOf(cluster, board.id)
    const owned = await Promise.all(cluster.processes.map((child) => metric(child, 'stip_boards_owned')))
    const forwarding = await Promise.all(
      cluster.processes.map((child) => metric(child, 'stip_forwarded_connections', 'what="boards"')),
    )
    expect(owned.filter((count) => count === 1)).toHaveLength(1)
    expect(owned.reduce((sum, count) => sum + count, 0)).toBe(1)
    for (const [i, child] of cluster.processes.entries()) {
      expect(forwarding[i], `process ${i} forwards the board unless it owns it`).toBe(child === owner ? 0 : 1)
      expect(await metric(child, 'stip_forwarded_connections_total')).toBe(child === owner ? 0 : 1)
    }
  })

  it('refuses a hop that does not carry the cluster’s secret', async () => {
    const board = await createBoard(cluster.url, 'Geen geheim')
    const url = syncUrl(cluster.processes[0].wsUrl, board.id, board.tokens.participant)
    const refused = await attemptUpgrade(url, 5_000, { [CLUSTER_HOP_HEADER]: 'a guess at the secret' })
    expect(refused).toMatchObject({ status: 401, body: UpgradeRefusal.BadClusterHop.reason, frames: [] })
  })

  it('says on every process that it is healthy and ready', async () => {
    for (const child of cluster.processes) {
      const health = await api<{ ok: boolean; store: { detail: string } }>(child.url, '/healthz')
      expect(health.status).toBe(200)
      expect(health.body.store.detail).toMatch(/^postgresql/)
      const ready = await api<{ ready: boolean; detail: string }>(child.url, '/readyz')
      expect(ready).toMatchObject({ status: 200, body: { ready: true, detail: 'one of several processes' } })
    }
  })

  it('answers the API on every process, through the owner when the room is needed', async () => {
    const board = await createBoard(cluster.url, 'Elke ingang')
    const client = await connectProvider(cluster.processes[0].wsUrl, board.id, board.tokens.participant, {
      timeoutMs: 10_000,
    })
    clients.push(client)
    putRecords(client.doc, [shapeRecord('shape:counted')])
    const shapes = () => [...getRecordsMap(client.doc).keys()].filter((id) => id.startsWith('shape:')).length
    for (const child of cluster.processes) {
      // The board's counts come from its live room: on a non-owner, the owner answers.
      await waitFor(
        async () => {
          const response = await api<{ counts?: { shapes: number } }>(child.url, `/api/boards/${board.id}`, {
            token: board.tokens.facilitator,
          })
          return response.status === 200 && response.body.counts?.shapes === shapes()
        },
        { timeoutMs: 10_000, message: `process ${child.port} to count the shape` },
      )
    }
    // A change on a process that does not own the board runs on the owner, and answers with
    // links on the address the caller used.
    const other = cluster.processes[1]
    expect(await ownerOf(cluster, board.id)).toBe(cluster.processes[0])
    const created = await api<{ link: string }>(other.url, `/api/boards/${board.id}/links`, {
      token: board.tokens.facilitator,
      json: { role: 'participant', layerId: 'layer:root' },
    })
    expect(created.status).toBe(201)
    expect(created.body.link.startsWith(`${other.url}/`)).toBe(true)
    const ran = (child: (typeof cluster.processes)[number]) =>
      child.logs.some(
        (line) =>
          line.msg === 'request' &&
          line.method === 'POST' &&
          line.path === `/api/boards/${board.id}/links` &&
          line.status === 201,
      )
    await waitFor(() => ran(cluster.processes[0]), { message: 'the owner to log the forwarded call' })
  })
})
