/**
 * What a joiner who knows nothing is sent (persistence.ts, the full-state cache): the base
 * and what changed since as Updates, each framed once for every joiner, then an empty
 * SyncStep2, so that nobody who joins after a change waits for the whole document to be
 * encoded.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { MessageType, readFrame, SyncStep, syncFrame, syncStep1Frame } from '../../shared/protocol.ts'
import { shapeRecord } from '../../tests/helpers/records.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import { silentLogger } from '../log.ts'
import { MemoryStore } from '../store/memory.ts'
import { docSeenBy, type FakeSocket, fakeSocket, tick } from './fake-socket.ts'
import { RoomPersistence } from './persistence.ts'
import { Room } from './room.ts'

const BOARD = 'board-0001'

function recordUpdate(id: string, x = 0): Uint8Array {
  const doc = new Y.Doc()
  getRecordsMap(doc).set(id, { ...shapeRecord(id), x })
  return Y.encodeStateAsUpdate(doc)
}

function setup() {
  const store = new MemoryStore()
  store.createBoard(
    { id: BOARD, name: 'Test', created: new Date().toISOString() },
    { facilitator: 'f', participant: 'p', display: 'd' },
  )
  store.compact(BOARD, initialDocumentUpdate('Test'), 0)
  const room = new Room(BOARD, store, silentLogger, {})
  rooms.push(room)
  const writer = fakeSocket()
  const writerConnection = room.connect(writer, 'participant', 'p')
  return {
    store,
    room,
    write: (update: Uint8Array) => room.receive(writerConnection, syncFrame(SyncStep.Update, update)),
  }
}

/** A fresh client joins and asks with an empty state vector; returns the answer's sync frames (after the room's SyncStep1). */
async function joinKnowingNothing(room: Room): Promise<{ socket: FakeSocket; answer: Uint8Array[] }> {
  const socket = fakeSocket()
  const connection = room.connect(socket, 'display', 'd')
  room.receive(connection, syncStep1Frame(Y.encodeStateVector(new Y.Doc())))
  await tick()
  const answer = socket.sent.filter((bytes) => {
    const frame = readFrame(bytes)
    return frame.type === MessageType.Sync && frame.step !== SyncStep.Step1
  })
  return { socket, answer }
}

const stepOf = (bytes: Uint8Array) => {
  const frame = readFrame(bytes)
  return frame.type === MessageType.Sync ? frame.step : null
}
const recordIds = (doc: Y.Doc) => [...getRecordsMap(doc).keys()].sort()
/** The document one Update or SyncStep2 frame holds. */
function updateIn(bytes: Uint8Array): Y.Doc {
  const frame = readFrame(bytes)
  if (frame.type !== MessageType.Sync || frame.step === SyncStep.Step1) throw new Error('not an update')
  const doc = new Y.Doc()
  Y.applyUpdate(doc, frame.update)
  return doc
}

let rooms: Room[] = []
afterEach(() => {
  for (const room of rooms) room.destroy()
  rooms = []
})

describe('the full-state answer', () => {
  it('is Updates, then a SyncStep2, which together are the whole document', async () => {
    const { room, write } = setup()
    write(recordUpdate('shape:a'))
    await tick()
    const { socket, answer } = await joinKnowingNothing(room)
    expect(answer.map(stepOf)).toEqual([SyncStep.Update, SyncStep.Update, SyncStep.Step2])
    expect(recordIds(docSeenBy(socket))).toEqual(recordIds(room.doc))
    expect(recordIds(room.doc)).toContain('shape:a')
  })

  it('sends every joiner the same frames, made once', async () => {
    const { room } = setup()
    const first = await joinKnowingNothing(room)
    const second = await joinKnowingNothing(room)
    expect(second.answer).toHaveLength(first.answer.length)
    for (const [i, frame] of second.answer.entries()) expect(frame).toBe(first.answer[i])
  })

  it('after a change, keeps the base and sends the change after it', async () => {
    const { room, write } = setup()
    const before = await joinKnowingNothing(room)
    write(recordUpdate('shape:late', 7))
    await tick()
    const after = await joinKnowingNothing(room)
    expect(after.answer).toHaveLength(3)
    expect(after.answer[0]).toBe(before.answer[0]) // the base was not encoded again
    expect(recordIds(updateIn(after.answer[1]))).toEqual(['shape:late'])
    expect(recordIds(docSeenBy(after.socket))).toEqual(recordIds(room.doc))
  })

  it('merges for each joiner only what came after the last one asked', async () => {
    const { room, write } = setup()
    write(recordUpdate('shape:one'))
    await tick()
    const first = await joinKnowingNothing(room)
    write(recordUpdate('shape:two'))
    await tick()
    const second = await joinKnowingNothing(room)
    expect(second.answer).toHaveLength(4)
    expect(second.answer[1]).toBe(first.answer[1])
    expect(recordIds(updateIn(second.answer[2]))).toEqual(['shape:two'])
    expect(recordIds(docSeenBy(second.socket))).toEqual(recordIds(room.doc))
  })

  it('encodes a fresh base once the changes since outgrow their share of it, and joiners get it', async () => {
    const { room, write } = setup()
    const before = await joinKnowingNothing(room)
    for (let i = 0; i < 200; i++) write(recordUpdate(`shape:many${i}`, i)) // ~100 KB, over 64 KiB
    await tick()
    await tick()
    const after = await joinKnowingNothing(room)
    expect(after.answer[0]).not.toBe(before.answer[0])
    expect(after.answer).toHaveLength(2) // nothing came after the fresh base
    expect(recordIds(docSeenBy(after.socket))).toEqual(recordIds(room.doc))
  })

  it('encodes nothing afresh for a board nobody joined, however much it changes; its next joiner gets it all', async () => {
    const { room, write } = setup()
    const encode = vi.spyOn(RoomPersistence.prototype, 'encodeFullState')
    try {
      for (let i = 0; i < 200; i++) write(recordUpdate(`shape:many${i}`, i)) // ~100 KB, over 64 KiB
      await tick()
      await tick()
      expect(encode).not.toHaveBeenCalled()
    } finally {
      encode.mockRestore()
    }
    const joiner = await joinKnowingNothing(room)
    expect(joiner.answer).toHaveLength(2) // one base, encoded for this joiner
    expect(recordIds(docSeenBy(joiner.socket))).toEqual(recordIds(room.doc))
  })

  it('compacts to the whole document after changes that the answer still sends as since', async () => {
    const { store, room, write } = setup()
    await joinKnowingNothing(room)
    write(recordUpdate('shape:kept'))
    await tick()
    room.compact()
    const stored = store.loadDocument(BOARD)
    expect(stored.updates).toHaveLength(0)
    const reloaded = new Y.Doc()
    if (stored.snapshot) Y.applyUpdate(reloaded, stored.snapshot)
    expect(recordIds(reloaded)).toEqual(recordIds(room.doc))
    expect(recordIds(reloaded)).toContain('shape:kept')
  })
})
