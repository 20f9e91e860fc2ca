/**
 * The history outlives compaction: a client draws ten shapes one by one, the room compacts
 * and the server restarts, and the facilitator's history API still lists every moment and
 * gives the board at each one (the shape count grows one by one), whole or as only what
 * changed since the moment before; by time too. Other links may not read the history,
 * which holds what was deleted.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import type { HistoryInfoResponse } from '../../shared/historyApi.ts'
import { authorizationHeader, ROUTES, routePath } from '../../shared/routes.ts'
import { api, createBoard, type TestBoard } from '../helpers/api.ts'
import { connectProvider } from '../helpers/provider.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('the history API', () => {
  let server: TestServer
  let board: TestBoard

  beforeEach(async () => {
    server = await startTestServer({ room: { compactAfterUpdates: 4, checkpointEveryRows: 3 } })
    board = await createBoard(server.url, 'Groei')
  })

  afterEach(async () => {
    await server.stop()
  })

  const stateAt = async (query: string, token = board.tokens.facilitator) => {
    const response = await fetch(
      new URL(`${routePath(ROUTES.historyState, { boardId: board.id })}?${query}`, server.url),
      {
        headers: { authorization: authorizationHeader(token) },
      },
    )
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      bytes: new Uint8Array(await response.arrayBuffer()),
    }
  }
  const shapes = (doc: Y.Doc) => [...getRecordsMap(doc).keys()].filter((id) => id.startsWith('shape:s')).length

  it('gives the board at every moment, whole or since the moment before, after compaction and a restart', async () => {
    const client = await connectProvider(server.wsUrl, board.id, board.tokens.facilitator)
    for (let i = 0; i < 10; i++) {
      putRecords(client.doc, [shapeRecord(`shape:s${i}`)])
      await waitFor(() => server.server.store.historyInfo(board.id).rows === i + 2, { message: `shape ${i} stored` })
    }
    getRecordsMap(client.doc).delete('shape:s0')
    await waitFor(() => server.server.store.historyInfo(board.id).rows === 12, { message: 'the delete stored' })
    client.destroy()
    await server.restart()

    const info = await api<HistoryInfoResponse>(server.url, routePath(ROUTES.history, { boardId: board.id }), {
      token: board.tokens.facilitator,
    })
    expect(info.status).toBe(200)
    expect(info.body.updates).toBe(12)
    expect(info.body.checkpoints).toBeGreaterThanOrEqual(3)
    expect(info.body.moments).toHaveLength(12)
    const counts: number[] = []
    const played = new Y.Doc()
    let previous: number | null = null
    for (const moment of info.body.moments) {
      const whole = await stateAt(`seq=${moment.seq}`)
      expect(whole.status).toBe(200)
      expect(whole.type).toBe('application/octet-stream')
      const doc = new Y.Doc()
      Y.applyUpdate(doc, whole.bytes)
      counts.push(shapes(doc))
      const step = await stateAt(previous === null ? `seq=${moment.seq}` : `seq=${moment.seq}&from=${previous}`)
      Y.applyUpdate(played, step.bytes)
      expect(shapes(played)).toBe(shapes(doc))
      previous = moment.seq
    }
    expect(counts).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 9])
    // By time: the moment of the fourth shape, a little later.
    const byTime = await stateAt(`at=${info.body.moments[4].at}`)
    const doc = new Y.Doc()
    Y.applyUpdate(doc, byTime.bytes)
    expect(shapes(doc)).toBeGreaterThanOrEqual(4)
  })

  it('is for facilitators only', async () => {
    for (const role of ['participant', 'display'] as const) {
      const info = await api(server.url, routePath(ROUTES.history, { boardId: board.id }), {
        token: board.tokens[role],
      })
      expect(info.status).toBe(403)
      expect((await stateAt('seq=1', board.tokens[role])).status).toBe(403)
    }
    expect((await stateAt('seq=-1')).status).toBe(400)
    expect((await stateAt('seq=abc')).status).toBe(400)
  })
})
