/**
 * The display role is read-only where messages are read: a display connection syncs and
 * stays connected, but its Update and SyncStep2 frames are never applied, forwarded to
 * other clients or stored. It is not closed for trying.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getMetaMap, getRecordsMap } from '../../shared/doc.ts'
import { MessageType, SyncStep } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord, updateFrom } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a display connection', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Wall')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  async function connect(token: string, options?: Parameters<typeof RawClient.connect>[3]): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, token, options)
    clients.push(client)
    await client.waitForSync()
    return client
  }

  it('stays connected but its Update and SyncStep2 frames are never applied, forwarded or stored', async () => {
    const writer = await connect(board.tokens.participant)
    putRecords(writer.doc, [shapeRecord('shape:one'), shapeRecord('shape:two')])
    await writer.roundTrip()
    const expected = recordsSnapshot(writer.doc)

    const watcher = await connect(board.tokens.participant, { sendLocalUpdates: false })
    const display = await connect(board.tokens.display)
    expect(recordsSnapshot(display.doc)).toEqual(expected)
    const watcherFramesBefore = watcher.frames.length

    // As Updates: a new record, a replaced record, a deleted record, a meta value.
    putRecords(display.doc, [shapeRecord('shape:fromDisplay')])
    putRecords(display.doc, [{ ...shapeRecord('shape:one'), x: 999 }])
    getRecordsMap(display.doc).delete('shape:two')
    getMetaMap(display.doc).set('title', 'written by the display')
    // As SyncStep2: its whole state, and a fresh change that only travels this way.
    display.sendSyncStep2(Y.encodeStateAsUpdate(display.doc))
    display.sendSyncStep2(updateFrom(display.doc, (copy) => putRecords(copy, [shapeRecord('shape:viaStep2')])))

    await display.roundTrip()
    expect(display.closeInfo).toBeNull()
    expect(display.isOpen).toBe(true)

    await watcher.roundTrip()
    expect(recordsSnapshot(watcher.doc)).toEqual(expected)
    expect(getMetaMap(watcher.doc).get('title')).toBeUndefined()
    const forwarded = watcher.frames
      .slice(watcherFramesBefore)
      .filter((frame) => frame.type === MessageType.Sync && frame.step === SyncStep.Update)
    expect(forwarded).toEqual([])

    const fresh = await connect(board.tokens.facilitator)
    expect(recordsSnapshot(fresh.doc)).toEqual(expected)
    expect(getMetaMap(fresh.doc).get('title')).toBeUndefined()

    // Still a working connection: it receives what others write.
    putRecords(writer.doc, [shapeRecord('shape:three')])
    await waitFor(() => getRecordsMap(display.doc).has('shape:three'), {
      message: 'the display to receive a new record',
    })
    expect(display.closeInfo).toBeNull()
    await writer.roundTrip()
    const expectedAfter = recordsSnapshot(writer.doc)

    for (const client of clients.splice(0)) await client.close()
    await server.restart()
    const afterRestart = await connect(board.tokens.facilitator)
    expect(recordsSnapshot(afterRestart.doc)).toEqual(expectedAfter)
    expect(getRecordsMap(afterRestart.doc).has('shape:fromDisplay')).toBe(false)
    expect(getRecordsMap(afterRestart.doc).has('shape:viaStep2')).toBe(false)
    expect(getMetaMap(afterRestart.doc).get('title')).toBeUndefined()
  })
})
