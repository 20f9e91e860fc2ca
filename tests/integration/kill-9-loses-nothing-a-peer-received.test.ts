/**
 * Durability: an update is stored before it is forwarded. So when the server process is
 * killed with `kill -9` in the middle of a burst of edits, everything a peer had received
 * is there after a restart — possibly more, never less.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { createBoard } from '../helpers/api.ts'
import { type ChildExit, type ChildServer, startChildServer } from '../helpers/child-server.ts'
import { createRandom } from '../helpers/random.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'
import { delay, waitFor } from '../helpers/wait.ts'

/** The peer must have received this many records before the kill. */
const KILL_AFTER = 150
/** Upper bound of updates the writer sends while waiting for the kill. */
const MAX_UPDATES = 5_000

describe('a server killed with kill -9 mid-session', () => {
  let dir: TempDir | undefined
  const children: ChildServer[] = []
  const clients: RawClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    for (const child of children.splice(0)) await child.kill9()
    await dir?.remove()
  })

  it('restarts with every update a peer had received', async () => {
    const random = createRandom(99)
    dir = await createTempDir()
    const first = await startChildServer({ dataDir: dir.path })
    children.push(first)
    const board = await createBoard(first.url, 'Crash test')

    const writer = await RawClient.connect(first.wsUrl, board.id, board.tokens.participant)
    const peer = await RawClient.connect(first.wsUrl, board.id, board.tokens.participant, { sendLocalUpdates: false })
    clients.push(writer, peer)
    await Promise.all([writer.waitForSync(), peer.waitForSync()])

    // [1] Kill in the very tick the peer has seen enough, while the writer is still writing.
    const kill: { exit: Promise<ChildExit> | null } = { exit: null }
    peer.onFrame(() => {
      if (kill.exit === null && getRecordsMap(peer.doc).size >= KILL_AFTER) kill.exit = first.kill9()
    })
    for (let i = 0; i < MAX_UPDATES && kill.exit === null; i++) {
      putRecords(writer.doc, [shapeRecord(`shape:burst${i}`, random)])
      if (i % 10 === 9) await delay(1)
    }
    await waitFor(() => kill.exit, { timeoutMs: 10_000, message: 'the peer to receive a burst of updates' })
    expect((await kill.exit)?.signal).toBe('SIGKILL')
    await peer.waitForClose()
    await writer.waitForClose()

    // [2] Whatever reached the peer, including frames that arrived after the kill signal.
    const received = recordsSnapshot(peer.doc)
    const receivedState = Y.decodeStateVector(Y.encodeStateVector(peer.doc))
    expect(Object.keys(received).length).toBeGreaterThanOrEqual(KILL_AFTER)

    const second = await startChildServer({ dataDir: dir.path })
    children.push(second)
    const reader = await RawClient.connect(second.wsUrl, board.id, board.tokens.display)
    clients.push(reader)
    await reader.waitForSync()

    const restored = recordsSnapshot(reader.doc)
    const missing = Object.keys(received).filter((id) => restored[id] === undefined)
    expect(missing, `records the peer had but the restarted server lost (seed ${random.seed})`).toEqual([])
    for (const id of Object.keys(received)) expect(restored[id]).toEqual(received[id])
    const restoredState = Y.decodeStateVector(Y.encodeStateVector(reader.doc))
    for (const [client, clock] of receivedState) expect(restoredState.get(client) ?? 0).toBeGreaterThanOrEqual(clock)
  })
})

// [1] `kill9()` sends SIGKILL synchronously inside the frame handler, so the server gets no
//     chance to flush anything after the peer saw the frame.
// [2] A frame the peer received was sent by the server, so it must have been stored before;
//     counting late arrivals makes the check stricter, not looser.
