import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { awarenessFrame, CloseCode, customFrame, MessageType, SyncStep, syncFrame } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { shapeRecord } from '../../tests/helpers/records.ts'
import { initialDocumentUpdate, initialRecords } from '../boardDocument.ts'
import { type Logger, silentLogger } from '../log.ts'
import { MemoryStore } from '../store/memory.ts'
import { docSeenBy, fakeSocket, tick } from './fake-socket.ts'
import type { RoomHooks } from './hooks.ts'
import { Room } from './room.ts'

const BOARD = 'board-0001'
/** Records every board starts with. */
const INITIAL = initialRecords('Test').length

function recordUpdate(id: string, x = 0): Uint8Array {
  const doc = new Y.Doc()
  getRecordsMap(doc).set(id, { ...shapeRecord(id), x })
  return Y.encodeStateAsUpdate(doc)
}

function setup(hooks: readonly RoomHooks[] = [], log: Logger = silentLogger) {
  const store = new MemoryStore()
  store.createBoard(
    { id: BOARD, name: 'Test', created: new Date().toISOString() },
    {
      facilitator: 'f',
      participant: 'p',
      display: 'd',
    },
  )
  store.compact(BOARD, initialDocumentUpdate('Test'), 0) // a new board's page, root layer and north star
  const room = new Room(BOARD, store, log, {}, { hooks })
  const join = (role: Role) => {
    const socket = fakeSocket()
    return { socket, connection: room.connect(socket, role, role[0]) }
  }
  return { store, room, join }
}

let rooms: Room[] = []
afterEach(() => {
  for (const room of rooms) room.destroy()
  rooms = []
})

describe(Room, () => {
  it('stores an update before it broadcasts it, merged per turn', async () => {
    const { store, room, join } = setup()
    rooms.push(room)
    const a = join('participant')
    const b = join('participant')
    room.receive(a.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    room.receive(a.connection, syncFrame(SyncStep.Update, recordUpdate('shape:b')))
    expect(store.loadDocument(BOARD).updates).toHaveLength(0) // not yet: end of turn
    const sentBefore = b.socket.sent.length
    await tick()
    expect(store.loadDocument(BOARD).updates).toHaveLength(1)
    expect(b.socket.sent.length - sentBefore).toBe(1) // one merged message
    expect(getRecordsMap(docSeenBy(b.socket)).size).toBe(2) // what was broadcast to it
    expect(a.socket.sent.length).toBe(1) // only its own sync step 1; no echo
  })

  it('never applies a display’s updates, and keeps it connected', async () => {
    const { store, room, join } = setup()
    rooms.push(room)
    const display = join('display')
    const other = join('participant')
    room.receive(display.connection, syncFrame(SyncStep.Update, recordUpdate('shape:x')))
    room.receive(display.connection, syncFrame(SyncStep.Step2, recordUpdate('shape:y')))
    await tick()
    expect(getRecordsMap(room.doc).size).toBe(INITIAL)
    expect(store.loadDocument(BOARD).updates).toHaveLength(0)
    expect(display.socket.closed).toBeNull()
    expect(getRecordsMap(docSeenBy(other.socket)).size).toBe(0) // nothing was broadcast
  })

  it('closes only the sender of a malformed frame', async () => {
    const { room, join } = setup()
    rooms.push(room)
    const bad = join('participant')
    const good = join('participant')
    room.receive(bad.connection, new Uint8Array([MessageType.Sync, SyncStep.Update, 200]))
    expect(bad.socket.closed).toBe(CloseCode.MalformedMessage)
    room.receive(good.connection, new Uint8Array([7]))
    expect(good.socket.closed).toBe(CloseCode.MalformedMessage)
    const third = join('participant')
    room.receive(third.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    await tick()
    expect(third.socket.closed).toBeNull()
    expect(getRecordsMap(room.doc).size).toBe(INITIAL + 1)
  })

  it('closes the sender of an invalid record and applies nothing of it', () => {
    const { room, join } = setup()
    rooms.push(room)
    const a = join('participant')
    const doc = new Y.Doc()
    getRecordsMap(doc).set('shape:a', { id: 'shape:b', typeName: 'shape' })
    room.receive(a.connection, syncFrame(SyncStep.Update, Y.encodeStateAsUpdate(doc)))
    expect(a.socket.closed).toBe(CloseCode.InvalidRecord)
    expect(getRecordsMap(room.doc).size).toBe(INITIAL)
  })

  it('answers a sync step 1 only after pending updates are stored', async () => {
    const { store, room, join } = setup()
    rooms.push(room)
    const a = join('participant')
    const late = join('participant')
    room.receive(a.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    late.socket.sent = []
    room.receive(late.connection, syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc())))
    expect(late.socket.sent).toHaveLength(0)
    await tick()
    expect(store.loadDocument(BOARD).updates).toHaveLength(1)
    expect(getRecordsMap(docSeenBy(late.socket)).has('shape:a')).toBe(true)
  })

  it('closes every connection and broadcasts nothing when the store refuses a write', async () => {
    const { store, room, join } = setup()
    rooms.push(room)
    store.appendUpdates = () => {
      throw new Error('SQLITE_FULL: database or disk is full')
    }
    const a = join('participant')
    const b = join('participant')
    const before = b.socket.sent.length
    room.receive(a.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    await tick()
    expect(a.socket.closed).toBe(CloseCode.StoreUnavailable)
    expect(b.socket.closed).toBe(CloseCode.StoreUnavailable)
    expect(b.socket.sent.length).toBe(before)
    expect(room.isFailed).toBe(true)
  })

  it('loads what was stored, and compacts the log into a snapshot', async () => {
    const { store, room, join } = setup()
    const a = join('participant')
    room.receive(a.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    await tick()
    room.compact()
    expect(store.loadDocument(BOARD)).toMatchObject({ updates: [] })
    room.destroy()
    const again = new Room(BOARD, store, silentLogger)
    rooms.push(again)
    expect(getRecord(getRecordsMap(again.doc), 'shape:a')).toMatchObject({ x: 0 })
  })

  it('compacts once the log outgrows its byte limit, without waiting for the room to go quiet', async () => {
    const { store, room: unused } = setup()
    unused.destroy()
    const room = new Room(BOARD, store, silentLogger, { compactAfterBytes: 2000, compactWhenIdleMs: 60_000 })
    rooms.push(room)
    const snapshotBefore = store.loadDocument(BOARD).snapshot?.length ?? 0
    const connection = room.connect(fakeSocket(), 'participant', 'p')
    for (let i = 0; i < 200; i++) {
      room.receive(connection, syncFrame(SyncStep.Update, recordUpdate(`shape:s${i}`, i)))
      await tick()
    }
    await tick()
    const stored = store.loadDocument(BOARD)
    expect(stored.updates.length).toBeLessThan(200)
    expect(stored.snapshot?.length ?? 0).toBeGreaterThan(snapshotBefore)
  })

  it('removes a leaving connection’s presence', async () => {
    const { room, join } = setup()
    rooms.push(room)
    const a = join('participant')
    const peer = new Y.Doc()
    const { Awareness, encodeAwarenessUpdate } = await import('y-protocols/awareness')
    const awareness = new Awareness(peer)
    awareness.setLocalState({ user: { name: 'Sanne' } })
    room.receive(a.connection, awarenessFrame(encodeAwarenessUpdate(awareness, [peer.clientID])))
    expect(room.awareness.getStates().has(peer.clientID)).toBe(true)
    room.disconnect(a.connection)
    expect(room.awareness.getStates().has(peer.clientID)).toBe(false)
    awareness.destroy()
  })
})

/** A hook that writes down every event it sees, as `label:event` (with the role or type where there is one). */
function recordingHook(label: string, seen: string[]): RoomHooks {
  const note = (event: string) => seen.push(`${label}:${event}`)
  return {
    onLoaded: () => note('loaded'),
    onConnected: ({ connection }) => note(`connected ${connection.role}`),
    onDisconnected: ({ connection }) => note(`disconnected ${connection.role}`),
    onReceived: ({ type }) => note(`received ${type}`),
    onMessage: ({ type }) => void note(`message ${type}`),
    onUpdateApplied: () => note('applied'),
    onSent: ({ connection }) => note(`sent ${connection.role}`),
    onStored: () => note('stored'),
    beforeCompact: () => note('compact'),
    onClosed: ({ code }) => note(`closed ${code}`),
    onReleased: () => note('released'),
  }
}

describe('RoomHooks', () => {
  it('runs in list order, in the order the room does things: applied, stored, then sent', async () => {
    const seen: string[] = []
    const { room, join } = setup([recordingHook('a', seen), recordingHook('b', seen)])
    expect(seen).toEqual(['a:loaded', 'b:loaded'])
    const writer = join('participant')
    const reader = join('display')
    seen.length = 0
    room.receive(writer.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    await tick()
    expect(seen).toEqual([
      'a:received 0',
      'b:received 0',
      'a:applied',
      'b:applied',
      'a:stored',
      'b:stored',
      'a:sent display', // the writer gets no echo
      'b:sent display',
    ])
    seen.length = 0
    room.close(reader.connection, CloseCode.Forbidden)
    room.disconnect(writer.connection)
    room.destroy()
    expect(seen).toEqual([
      'a:disconnected display',
      'b:disconnected display',
      'a:closed 4403',
      'b:closed 4403',
      'a:disconnected participant',
      'b:disconnected participant',
      'a:compact',
      'b:compact',
      'a:released',
      'b:released',
    ])
  })

  it('logs a hook that throws and goes on with the next hook and the room', async () => {
    const seen: string[] = []
    const errors: string[] = []
    const log: Logger = { ...silentLogger, error: (msg, fields) => errors.push(`${msg} ${fields?.hook}`) }
    const throwing: RoomHooks = {
      onReceived() {
        throw new Error('boom')
      },
      onStored() {
        throw new Error('boom')
      },
      onMessage() {
        throw new Error('boom')
      },
    }
    const { store, room, join } = setup([throwing, recordingHook('next', seen)], log)
    rooms.push(room)
    const a = join('participant')
    const b = join('participant')
    room.receive(a.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    await tick()
    expect(errors).toEqual(['room hook failed onReceived', 'room hook failed onStored'])
    expect(seen).toContain('next:stored')
    expect(store.loadDocument(BOARD).updates).toHaveLength(1)
    expect(getRecordsMap(docSeenBy(b.socket)).has('shape:a')).toBe(true)
    expect(a.socket.closed).toBeNull()
    room.receive(a.connection, customFrame(100, new Uint8Array()))
    expect(errors).toContain('room hook failed onMessage')
    expect(a.socket.closed).toBe(CloseCode.MalformedMessage) // nobody handled it
  })

  it('hands a custom message type to the first onMessage hook that takes it', () => {
    const taken: { type: number; payload: number[] }[] = []
    const facilitatorTools: RoomHooks = {
      onMessage({ type, payload }) {
        if (type !== 100) return false
        taken.push({ type, payload: [...payload] })
        return true
      },
    }
    const seen: string[] = []
    const { room, join } = setup([facilitatorTools, recordingHook('later', seen)])
    rooms.push(room)
    const a = join('facilitator')
    room.receive(a.connection, customFrame(100, Uint8Array.of(1, 2, 3)))
    expect(taken).toEqual([{ type: 100, payload: [1, 2, 3] }])
    expect(seen).not.toContain('later:message 100') // taken before it got there
    expect(a.socket.closed).toBeNull()
    room.receive(a.connection, customFrame(101, Uint8Array.of(1)))
    expect(seen).toContain('later:message 101')
    expect(a.socket.closed).toBe(CloseCode.MalformedMessage)
    expect(seen).toContain(`later:closed ${CloseCode.MalformedMessage}`)
  })
})
