/**
 * Retention for a board nobody opens: a facilitator draws, leaves, and nobody comes back.
 * Once its history is older than `STIP_HISTORY_DAYS` (here: the server's clock moved 100
 * days on), the periodic retention sweep (every 200 ms in this test, hourly in production)
 * thins it to daily checkpoints without any room being opened, and the board still opens
 * with everything that was drawn.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createBoard } from '../helpers/api.ts'
import { connectProvider } from '../helpers/provider.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const DAY = 24 * 60 * 60 * 1000

describe('the retention sweep', () => {
  let server: TestServer | undefined

  afterEach(async () => {
    await server?.stop()
  })

  it('thins the old history of a board nobody opens, and the board keeps everything', async () => {
    let offset = 0
    server = await startTestServer({ history: { now: () => Date.now() + offset, sweepMs: 200 } })
    const { store, rooms } = server.server
    const board = await createBoard(server.url, 'Stil bord')
    const client = await connectProvider(server.wsUrl, board.id, board.tokens.facilitator)
    for (const id of ['shape:een', 'shape:twee', 'shape:drie']) {
      const rows = store.historyInfo(board.id).rows
      putRecords(client.doc, [shapeRecord(id)])
      await waitFor(() => store.historyInfo(board.id).rows > rows, { message: `${id} stored` })
    }
    const drawn = recordsSnapshot(client.doc)
    client.destroy()
    await waitFor(() => rooms.rooms.size === 0, { message: 'the room released' })
    const before = store.historyInfo(board.id)
    expect(before.rows).toBeGreaterThanOrEqual(3)

    offset = 100 * DAY
    await waitFor(() => store.historyInfo(board.id).rows === 0, { message: 'the sweep thinned the history' })
    expect(rooms.rooms.size).toBe(0)
    const after = store.historyInfo(board.id)
    expect(after.checkpoints).toBeGreaterThanOrEqual(1)
    expect(store.storageOf(board.id).history).toBeLessThan(1)

    const again = await connectProvider(server.wsUrl, board.id, board.tokens.facilitator)
    expect(recordsSnapshot(again.doc)).toEqual(drawn)
    again.destroy()
  })
})
