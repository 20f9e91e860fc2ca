/**
 * `Room.applyServerChange`: a change the server makes on a token's behalf (the API) is
 * judged by the same gate as a client's — refused whole when the token's role or scope may
 * not make it, nothing applied, stored or sent — and otherwise stored before it returns and
 * sent to every connection, its own client id recorded for an identity of its own.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap, setRecord } from '../../shared/doc.ts'
import { shapeInLayer } from '../../tests/helpers/layers.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import { silentLogger } from '../log.ts'
import { MemoryStore } from '../store/memory.ts'
import { docSeenBy, fakeSocket, tick } from './fake-socket.ts'
import { unknownBrowser } from './identity.ts'
import { Room } from './room.ts'

const BOARD = 'board-0001'

function setup() {
  const store = new MemoryStore()
  store.createBoard(
    { id: BOARD, name: 'Test', created: new Date().toISOString() },
    {
      facilitator: 'f',
      participant: 'p',
      display: 'd',
    },
  )
  store.compact(BOARD, initialDocumentUpdate('Test'), 0)
  const room = new Room(BOARD, store, silentLogger)
  return { store, room }
}

/** An update writing a geo shape in `layerId`, built against the room's document. */
function shapeUpdate(room: Room, id: string, layerId: string | null): Uint8Array {
  const copy = new Y.Doc()
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc))
  const before = Y.encodeStateVector(copy)
  setRecord(getRecordsMap(copy), shapeInLayer(id, layerId))
  return Y.encodeStateAsUpdate(copy, before)
}

let rooms: Room[] = []
afterEach(() => {
  for (const room of rooms) room.destroy()
  rooms = []
})

describe('Room.applyServerChange', () => {
  it('stores an allowed change before it returns and sends it to every connection', async () => {
    const { store, room } = setup()
    rooms.push(room)
    const watcher = fakeSocket()
    room.connect(watcher, 'display', 'd')
    await tick()
    const result = room.applyServerChange(
      { role: 'participant', layerId: null, secretHash: unknownBrowser() },
      shapeUpdate(room, 'shape:from-api', null),
    )
    expect(result.ok).toBe(true)
    expect(store.loadDocument(BOARD).updates).toHaveLength(1) // stored at once, not at the end of the turn
    expect(getRecordsMap(docSeenBy(watcher)).has('shape:from-api')).toBe(true)
    expect(room.owners.size).toBe(1) // the change's client id is its own from now on
  })

  it('refuses what the gate refuses, whole, and applies nothing', async () => {
    const { store, room } = setup()
    rooms.push(room)
    const watcher = fakeSocket()
    room.connect(watcher, 'facilitator', 'f')
    await tick()
    const sent = watcher.sent.length
    const result = room.applyServerChange(
      // A participant scoped to a layer that does not exist may write nothing at the root.
      { role: 'participant', layerId: 'layer:elsewhere', secretHash: unknownBrowser() },
      shapeUpdate(room, 'shape:sneaky', null),
    )
    expect(result).toMatchObject({ ok: false, reason: 'refused', verdict: { action: 'refuse' } })
    expect(getRecordsMap(room.doc).has('shape:sneaky')).toBe(false)
    await tick()
    expect(store.loadDocument(BOARD).updates).toHaveLength(0)
    expect(watcher.sent.length).toBe(sent)
  })

  it('ignores a display’s change as the gate does', () => {
    const { room } = setup()
    rooms.push(room)
    const result = room.applyServerChange(
      { role: 'display', layerId: null, secretHash: unknownBrowser() },
      shapeUpdate(room, 'shape:watching', null),
    )
    expect(result).toMatchObject({ ok: false, reason: 'refused', verdict: { action: 'ignore' } })
    expect(getRecordsMap(room.doc).has('shape:watching')).toBe(false)
  })
})
