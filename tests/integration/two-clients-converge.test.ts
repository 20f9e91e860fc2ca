/**
 * Two y-websocket clients edit the same board at the same time — adding, replacing and
 * deleting records in a seeded random order without waiting for each other — and must end
 * with equal documents, equal to what a third client then loads from the server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { createRandom } from '../helpers/random.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { pageRecord, putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { delay, waitFor } from '../helpers/wait.ts'

const STEPS = 300

describe('two clients on one board', () => {
  let server: TestServer
  let board: TestBoard
  const clients: ProviderClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Convergence')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server.stop()
  })

  it('converge to the same document when both write records concurrently', async () => {
    const random = createRandom(20240611)
    const a = await connectProvider(server.wsUrl, board.id, board.tokens.facilitator)
    const b = await connectProvider(server.wsUrl, board.id, board.tokens.participant)
    clients.push(a, b)
    putRecords(a.doc, [pageRecord()])

    for (let step = 0; step < STEPS; step++) {
      const doc = random.pick([a.doc, b.doc])
      const records = getRecordsMap(doc)
      const ids = [...records.keys()].filter((id) => id.startsWith('shape:'))
      const roll = random.next()
      if (ids.length === 0 || roll < 0.6) {
        putRecords(doc, [shapeRecord(`shape:${random.id(10)}`, random)])
      } else if (roll < 0.9) {
        putRecords(doc, [shapeRecord(random.pick(ids), random)])
      } else {
        records.delete(random.pick(ids))
      }
      // Let the sockets carry some of the traffic now and then, so edits cross in flight.
      if (random.next() < 0.1) await delay(random.int(0, 5))
    }

    await waitFor(
      () =>
        Buffer.from(Y.encodeStateVector(a.doc)).equals(Buffer.from(Y.encodeStateVector(b.doc))) &&
        JSON.stringify(recordsSnapshot(a.doc)) === JSON.stringify(recordsSnapshot(b.doc)),
      { timeoutMs: 10_000, message: `both documents to converge (seed ${random.seed})` },
    )
    expect(recordsSnapshot(b.doc)).toEqual(recordsSnapshot(a.doc))
    expect(getRecordsMap(a.doc).size).toBeGreaterThan(10)

    const observer = await RawClient.connect(server.wsUrl, board.id, board.tokens.display)
    await observer.waitForSync()
    expect(recordsSnapshot(observer.doc)).toEqual(recordsSnapshot(a.doc))
    await observer.close()
  })
})
