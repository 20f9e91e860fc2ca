/**
 * Restoring a version is the server's own big change: 5,000 shapes the board lost since
 * were one update of 2.4 MB, past the gate's bound on an update's bytes
 * (`STIP_MAX_UPDATE_BYTES`) and a long pause of the server's loop. It goes through the gate
 * in slices, one per turn, as a client sends a big paste: every shape comes back, every
 * update a connected client receives is within the bound, and the board is as saved.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../server/room/limits.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import type { RestoreResponse, VersionInfo } from '../../shared/historyApi.ts'
import { MessageType, SyncStep } from '../../shared/protocol.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const SHAPES = 5_000

describe('restoring a version of 5,000 shapes', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Groot herstel')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  const connect = async (token: string) => {
    const client = await RawClient.connect(server.wsUrl, board.id, token)
    clients.push(client)
    await client.waitForSync()
    return client
  }

  it('goes through the gate in slices within its bound, and brings every shape back', async () => {
    const facilitator = await connect(board.tokens.facilitator)
    const shapes = Array.from({ length: SHAPES }, (_, i) => ({ ...shapeRecord(`shape:s${i}`), x: i }))
    // Drawn the way the client sends it: in slices.
    for (let start = 0; start < SHAPES; start += 200) putRecords(facilitator.doc, shapes.slice(start, start + 200))
    await facilitator.roundTrip(30_000)
    const saved = await api<VersionInfo>(server.url, routePath(ROUTES.versions, { boardId: board.id }), {
      token: board.tokens.facilitator,
      json: { name: 'Alles' },
    })
    expect(saved.status).toBe(201)
    const asSaved = recordsSnapshot(facilitator.doc)
    const records = getRecordsMap(facilitator.doc)
    for (let start = 0; start < SHAPES; start += 2_000) {
      facilitator.doc.transact(() => {
        for (const shape of shapes.slice(start, start + 2_000)) records.delete(shape.id)
      })
    }
    await facilitator.roundTrip(30_000)
    expect(facilitator.closeInfo).toBeNull()
    const left = records.size

    const watcher = await connect(board.tokens.participant)
    const framesBefore = watcher.frames.length
    const restored = await api<RestoreResponse>(
      server.url,
      routePath(ROUTES.restoreVersion, { boardId: board.id, versionId: saved.body.id }),
      { method: 'POST', token: board.tokens.facilitator },
    )
    expect(restored.status).toBe(200)
    expect(restored.body.changed).toBe(SHAPES)
    await waitFor(() => getRecordsMap(watcher.doc).size === left + SHAPES, {
      timeoutMs: 30_000,
      message: 'every shape to come back to the watcher',
    })
    const updates = watcher.frames
      .slice(framesBefore)
      .filter((frame) => frame.type === MessageType.Sync && frame.step === SyncStep.Update)
    expect(updates.length).toBeGreaterThan(10)
    for (const frame of updates) expect(frame.payload?.length).toBeLessThan(DEFAULT_LIMITS.maxUpdateBytes)
    expect(recordsSnapshot(watcher.doc)).toEqual(asSaved)
    await waitFor(() => records.size === left + SHAPES, { message: 'every shape to come back to the facilitator' })
    expect(recordsSnapshot(facilitator.doc)).toEqual(asSaved)
  })
})
