/**
 * Failover: the process that owns a board is killed with `kill -9` in the middle of a burst
 * of edits. Its clients come back through the balancer to another process, which takes the
 * lease once it expires and loads the board from PostgreSQL: every update a peer had
 * received is there, and editing goes on. The time from the kill to a synced client is
 * printed (README "Several processes" quotes it); the test only bounds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { createBoard } from '../helpers/api.ts'
import { metric, ownerOf, startTestCluster, TEST_LEASE_MS, type TestCluster } from '../helpers/cluster.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { createRandom } from '../helpers/random.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { delay, waitFor } from '../helpers/wait.ts'

const KILL_AFTER = 100
const MAX_UPDATES = 5_000

describe('kill -9 of the owner of a board, mid-session', () => {
  let cluster: TestCluster
  const clients: (RawClient | ProviderClient)[] = []

  beforeAll(async () => {
    cluster = await startTestCluster(3)
  })
  afterAll(async () => {
    for (const client of clients) 'destroy' in client ? client.destroy() : await client.close()
    await cluster?.stop()
  })

  it('keeps every update a peer had received, and editing resumes on another process', async () => {
    const random = createRandom(14)
    const board = await createBoard(cluster.url, 'Failover')
    // The writer on the process that becomes the owner, the peer (who only reads) on another.
    const writer = await RawClient.connect(cluster.processes[0].wsUrl, board.id, board.tokens.participant)
    const peer = await RawClient.connect(cluster.processes[1].wsUrl, board.id, board.tokens.participant, {
      sendLocalUpdates: false,
    })
    clients.push(writer, peer)
    await Promise.all([writer.waitForSync(), peer.waitForSync()])
    const owner = await ownerOf(cluster, board.id)
    expect(owner).toBe(cluster.processes[0])

    // [1] Kill the owner in the very tick the peer has seen enough, while the writer writes.
    let killedAt = 0
    peer.onFrame(() => {
      if (killedAt === 0 && getRecordsMap(peer.doc).size >= KILL_AFTER) {
        killedAt = Date.now()
        owner.process.kill('SIGKILL')
      }
    })
    for (let i = 0; i < MAX_UPDATES && killedAt === 0; i++) {
      putRecords(writer.doc, [shapeRecord(`shape:burst${i}`, random)])
      if (i % 10 === 9) await delay(1)
    }
    await waitFor(() => killedAt, { timeoutMs: 10_000, message: 'the peer to receive a burst' })
    await owner.exited
    await peer.waitForClose(10_000)
    const received = recordsSnapshot(peer.doc)
    const receivedState = Y.decodeStateVector(Y.encodeStateVector(peer.doc))

    // [2] A new client through the balancer waits at most a lease for the board to move.
    const reader = await RawClient.connect(cluster.wsUrl, board.id, board.tokens.display, { timeoutMs: 10_000 })
    clients.push(reader)
    await reader.waitForSync(4 * TEST_LEASE_MS + 5_000)
    const failoverMs = Date.now() - killedAt
    console.log(`failover: kill -9 → synced client in ${failoverMs} ms (lease ${TEST_LEASE_MS} ms)`)
    const restored = recordsSnapshot(reader.doc)
    const missing = Object.keys(received).filter((id) => restored[id] === undefined)
    expect(missing, `records the peer had but the new owner lacks (seed ${random.seed})`).toEqual([])
    for (const id of Object.keys(received)) expect(restored[id]).toEqual(received[id])
    const restoredState = Y.decodeStateVector(Y.encodeStateVector(reader.doc))
    for (const [client, clock] of receivedState) expect(restoredState.get(client) ?? 0).toBeGreaterThanOrEqual(clock)

    // [3] Editing resumes: a browser-like client through the balancer writes; the reader sees it.
    const editor = await connectProvider(cluster.wsUrl, board.id, board.tokens.participant, { timeoutMs: 10_000 })
    clients.push(editor)
    putRecords(editor.doc, [shapeRecord('shape:after-failover')])
    await waitFor(() => getRecordsMap(reader.doc).has('shape:after-failover'), {
      timeoutMs: 10_000,
      message: 'the reader to see an edit made after the failover',
    })
    const survivors = cluster.processes.filter((child) => child !== owner)
    const takenOver = await Promise.all(survivors.map((child) => metric(child, 'stip_leases_taken_over_total')))
    expect(takenOver.reduce((sum, count) => sum + count, 0)).toBe(1)
  })
})

// [1] SIGKILL is sent synchronously inside the frame handler, so the owner gets no chance
//     to write anything after the peer saw the frame (as in kill-9-loses-nothing-a-peer-received).
