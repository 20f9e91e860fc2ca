/**
 * Rolling upgrade: Erik restarts the three processes one at a time (SIGTERM, then a new
 * one) in the middle of a session while two people keep drawing through the balancer.
 * Each stopping process hands its boards over — everything stored, the lease released, its
 * clients told to reconnect now (`Handover`) — and not one stroke is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard } from '../helpers/api.ts'
import { startTestCluster, type TestCluster } from '../helpers/cluster.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { delay, waitFor } from '../helpers/wait.ts'

describe('a rolling restart of all three processes', () => {
  let cluster: TestCluster
  const clients: ProviderClient[] = []

  beforeAll(async () => {
    cluster = await startTestCluster(3)
  })
  afterAll(async () => {
    for (const client of clients) client.destroy()
    await cluster?.stop()
  })

  it('loses no stroke of two people drawing all along', async () => {
    const board = await createBoard(cluster.url, 'Rolling upgrade')
    const people = [
      await connectProvider(cluster.wsUrl, board.id, board.tokens.participant, { timeoutMs: 10_000 }),
      await connectProvider(cluster.wsUrl, board.id, board.tokens.participant, { timeoutMs: 10_000 }),
    ]
    clients.push(...people)
    const drawn: string[] = []
    let drawing = true
    const draw = async (person: ProviderClient, name: string) => {
      for (let i = 0; drawing; i++) {
        const id = `shape:${name}-${i}`
        putRecords(person.doc, [shapeRecord(id)])
        drawn.push(id)
        await delay(25)
      }
    }
    const strokes = Promise.all([draw(people[0], 'sanne'), draw(people[1], 'erik')])

    for (const old of [...cluster.processes]) {
      const before = drawn.length
      await cluster.restart(old)
      // Some strokes land while the new process is up, before the next one stops.
      await waitFor(() => drawn.length >= before + 10, { timeoutMs: 10_000, message: 'more strokes' })
    }
    drawing = false
    await strokes

    await waitFor(() => people.every((person) => drawn.every((id) => getRecordsMap(person.doc).has(id))), {
      timeoutMs: 15_000,
      message: 'both people to have every stroke',
    })
    // What the processes stored, read by a newcomer: every stroke.
    const reader = await RawClient.connect(cluster.wsUrl, board.id, board.tokens.display, { timeoutMs: 10_000 })
    await reader.waitForSync(10_000)
    const missing = drawn.filter((id) => !getRecordsMap(reader.doc).has(id))
    await reader.close()
    expect(missing).toEqual([])
    // Told to reconnect, never refused: no close with an error code.
    const codes = people.flatMap((person) => person.closeCodes)
    expect(codes).toContain(CloseCode.Handover)
    expect(codes.filter((code) => code >= 4000 && code !== CloseCode.Handover)).toEqual([])
  })
})
