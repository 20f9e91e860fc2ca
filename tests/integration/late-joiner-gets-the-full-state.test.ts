/**
 * A client that joins after others have written — and left — receives the whole board:
 * every record and the meta map, exactly as the writers left them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getMetaMap, getRecordsMap, META_SCHEMA_KEY } from '../../shared/doc.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { connectProvider } from '../helpers/provider.ts'
import { createRandom } from '../helpers/random.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { boardSnapshot, NEW_BOARD_RECORDS, putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a late joiner', () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Late joiner')
  })

  afterEach(async () => {
    await server.stop()
  })

  it('gets the full state written by clients that have already left', async () => {
    const random = createRandom(7)
    const first = await RawClient.connect(server.wsUrl, board.id, board.tokens.facilitator)
    await first.waitForSync()
    getMetaMap(first.doc).set(META_SCHEMA_KEY, { schemaVersion: 2, sequences: { 'com.tldraw.shape': 4 } })
    putRecords(first.doc, [...Array.from({ length: 50 }, (_, i) => shapeRecord(`shape:first${i}`, random))])
    getRecordsMap(first.doc).delete('shape:first0')
    await first.roundTrip()

    const second = await connectProvider(server.wsUrl, board.id, board.tokens.participant)
    putRecords(
      second.doc,
      Array.from({ length: 20 }, (_, i) => shapeRecord(`shape:second${i}`, random)),
    )
    putRecords(second.doc, [shapeRecord('shape:first1', random)]) // replaces one of the first client's
    // The first client sees the second's writes, so the server has them.
    const total = NEW_BOARD_RECORDS - 1 + 70
    await waitFor(() => getRecordsMap(first.doc).size === total, {
      message: `the first client to see all ${total} records`,
    })
    const expected = boardSnapshot(first.doc)
    await first.close()
    second.destroy()

    const late = await connectProvider(server.wsUrl, board.id, board.tokens.display)
    try {
      expect(boardSnapshot(late.doc)).toEqual(expected)
      expect(Object.keys(expected.records)).toHaveLength(total)
      expect(expected.records['shape:first0']).toBeUndefined()
    } finally {
      late.destroy()
    }
  })
})
