/**
 * The lost tail. In the default durability mode a batch is committed to the WAL before
 * anyone sees it and fsynced just after, so a power cut can take the last milliseconds of
 * edits that peers had already seen. Simulated here for real: copy the database while the
 * session runs, keep editing, `kill -9` the server, put the older copy back, restart.
 *
 * Then each author's browser still holds what the server lost and sends it again in its
 * sync step 2. A client whose edit builds on something the server does not have yet (here
 * Bram changes a shape Anna made after the copy, before he has answered the server) is
 * neither closed nor made to drop it: the server asks it to resync, it answers with all it
 * has, and the server ends with every edit of everyone.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { MessageType, SyncStep } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { type ChildServer, startChildServer } from '../helpers/child-server.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'
import { waitFor } from '../helpers/wait.ts'

/** The database files a copy must hold; `-shm` is an index SQLite rebuilds from the WAL. */
const DATABASE_FILES = ['stip.sqlite', 'stip.sqlite-wal']

function copyDatabase(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true })
  for (const name of [...DATABASE_FILES, 'stip.sqlite-shm']) fs.rmSync(path.join(to, name), { force: true })
  for (const name of DATABASE_FILES) {
    if (fs.existsSync(path.join(from, name))) fs.copyFileSync(path.join(from, name), path.join(to, name))
  }
}

const moved = (id: string, x: number) => ({ ...shapeRecord(id), x })
const hasAll = (doc: Y.Doc, ids: string[]) => ids.every((id) => getRecordsMap(doc).has(id))

describe('a server that lost the tail of its log', () => {
  let dir: TempDir | undefined
  let backup: TempDir | undefined
  const children: ChildServer[] = []
  const clients: RawClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    for (const child of children.splice(0)) await child.kill9()
    await dir?.remove()
    await backup?.remove()
  })

  async function join(server: ChildServer, board: TestBoard, token: string, doc?: Y.Doc) {
    const client = await RawClient.connect(server.wsUrl, board.id, token, { doc })
    clients.push(client)
    await client.waitForSync()
    return client
  }

  it('gets every edit back from the authors’ browsers, and never closes one that builds on what it lacks', async () => {
    dir = await createTempDir()
    backup = await createTempDir()
    const first = await startChildServer({ dataDir: dir.path })
    children.push(first)
    const board = await createBoard(first.url, 'Stroomstoring')
    const anna = await join(first, board, board.tokens.participant)
    const bram = await join(first, board, board.tokens.participant)
    const fenna = await join(first, board, board.tokens.facilitator)
    const everyone = [anna, bram, fenna]

    putRecords(anna.doc, [shapeRecord('shape:anna-1'), shapeRecord('shape:anna-2')])
    putRecords(bram.doc, [shapeRecord('shape:bram-1')])
    putRecords(fenna.doc, [shapeRecord('shape:fenna-1')])
    const kept = ['shape:anna-1', 'shape:anna-2', 'shape:bram-1', 'shape:fenna-1']
    await waitFor(() => everyone.every((client) => hasAll(client.doc, kept)), {
      message: 'the first edits to reach all',
    })
    for (const client of everyone) await client.roundTrip()
    copyDatabase(dir.path, backup.path) // [1]

    // The tail the power cut will take: seen by every peer, then lost by the server.
    putRecords(anna.doc, [shapeRecord('shape:anna-3'), shapeRecord('shape:anna-4')])
    putRecords(fenna.doc, [shapeRecord('shape:fenna-2')])
    putRecords(bram.doc, [moved('shape:anna-1', 100)])
    const lost = ['shape:anna-3', 'shape:anna-4', 'shape:fenna-2']
    await waitFor(() => everyone.every((client) => hasAll(client.doc, lost)), { message: 'the tail to reach all' })
    putRecords(bram.doc, [moved('shape:anna-3', 300)]) // builds on Anna's lost shape
    await waitFor(() => everyone.every((client) => getRecord(getRecordsMap(client.doc), 'shape:anna-3')?.x === 300), {
      message: 'Bram’s change of Anna’s shape to reach all',
    })

    await first.kill9()
    for (const client of clients.splice(0)) await client.waitForClose()
    copyDatabase(backup.path, dir.path)
    const second = await startChildServer({ dataDir: dir.path })
    children.push(second)
    const restored = await RawClient.connect(second.wsUrl, board.id, board.tokens.display)
    await restored.waitForSync()
    expect(hasAll(restored.doc, kept)).toBe(true)
    expect(lost.filter((id) => getRecordsMap(restored.doc).has(id))).toEqual([]) // the tail is gone
    await restored.close()

    // [2] Bram comes back first and edits Anna's lost shape before he answers the server.
    const bramAgain = await RawClient.connect(second.wsUrl, board.id, board.tokens.participant, {
      doc: bram.doc,
      answerSyncStep1: false,
    })
    clients.push(bramAgain)
    const serverStep1s = () =>
      bramAgain.frames.filter((frame) => frame.type === MessageType.Sync && frame.step === SyncStep.Step1)
    await waitFor(() => serverStep1s().length >= 1, { message: 'the server’s sync step 1' })
    putRecords(bram.doc, [moved('shape:anna-4', 400)])
    await waitFor(() => serverStep1s().length >= 2 || bramAgain.closeInfo, {
      message: 'the server to ask Bram to resync',
    })
    expect(bramAgain.closeInfo).toBeNull()
    // From here Bram answers as any y-websocket client does: every SyncStep1 with a SyncStep2.
    const answer = (stateVector: Uint8Array) => bramAgain.sendSyncStep2(Y.encodeStateAsUpdate(bram.doc, stateVector))
    const last = serverStep1s().at(-1)?.payload
    if (last) answer(last)
    bramAgain.onFrame((frame) => {
      if (frame.type === MessageType.Sync && frame.step === SyncStep.Step1 && frame.payload) answer(frame.payload)
    })

    const annaAgain = await join(second, board, board.tokens.participant, anna.doc)
    const fennaAgain = await join(second, board, board.tokens.facilitator, fenna.doc)
    const expected = recordsSnapshot(bram.doc)
    expect(Object.keys(expected)).toEqual(expect.arrayContaining([...kept, ...lost]))
    await waitFor(
      async () => {
        const reader = await RawClient.connect(second.wsUrl, board.id, board.tokens.display)
        try {
          await reader.waitForSync()
          return JSON.stringify(recordsSnapshot(reader.doc)) === JSON.stringify(expected)
        } finally {
          await reader.close()
        }
      },
      { timeoutMs: 15_000, intervalMs: 100, message: 'the restarted server to hold every edit' },
    )
    for (const client of [bramAgain, annaAgain, fennaAgain]) expect(client.closeInfo).toBeNull()
    expect(recordsSnapshot(anna.doc)).toEqual(expected)
    expect(recordsSnapshot(fenna.doc)).toEqual(expected)
  })
})

// [1] Every client has had its round trip: the server is idle, and the copy holds a
//     consistent database and WAL, as the disk would after a power cut at this moment.
// [2] The race a real browser runs into: an edit made right after the socket opens goes
//     out as an Update before the client has answered the server's SyncStep1.
