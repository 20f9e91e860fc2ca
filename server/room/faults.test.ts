/**
 * A room's failure paths, with object-literal sockets and real stores: an update that throws
 * while it is applied, a stored row that does not decode, an update that builds on what the
 * room lacks (after a lost tail), and strict durability, where peers see only what is fsynced.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode, MessageType, readFrame, SyncStep, syncFrame } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { shapeRecord } from '../../tests/helpers/records.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import { type LogFields, type Logger, silentLogger } from '../log.ts'
import { MemoryStore } from '../store/memory.ts'
import { type Fsync, SqliteStore } from '../store/sqlite.ts'
import type { BoardStore } from '../store/types.ts'
import { docSeenBy, type FakeSocket, fakeSocket, tick } from './fake-socket.ts'
import { Room, type RoomOptions } from './room.ts'

const BOARD = 'board-0001'

const step1Count = (socket: FakeSocket) =>
  socket.sent.filter((bytes) => {
    const frame = readFrame(bytes)
    return frame.type === MessageType.Sync && frame.step === SyncStep.Step1
  }).length

function recordUpdate(id: string, x = 0): Uint8Array {
  const doc = new Y.Doc()
  getRecordsMap(doc).set(id, { ...shapeRecord(id), x })
  return Y.encodeStateAsUpdate(doc)
}

/** A logger that keeps what it is told, to see what the administrator would read. */
function keptLogger() {
  const lines: { level: string; msg: string; fields: LogFields }[] = []
  const keep =
    (level: string) =>
    (msg: string, fields: LogFields = {}) =>
      lines.push({ level, msg, fields })
  const log: Logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
  return { log, lines }
}

function newBoard(store: BoardStore): void {
  store.createBoard(
    { id: BOARD, name: 'Test', created: new Date().toISOString() },
    { facilitator: 'f', participant: 'p', display: 'd' },
    initialDocumentUpdate('Test'),
  )
}

function open(store: BoardStore, options: Partial<RoomOptions> = {}, log: Logger = silentLogger) {
  const room = new Room(BOARD, store, log, options)
  rooms.push(room)
  const join = (role: Role = 'participant') => {
    const socket = fakeSocket()
    return { socket, connection: room.connect(socket, role, role[0]) }
  }
  return { room, join }
}

let rooms: Room[] = []
afterEach(() => {
  for (const room of rooms) room.destroy()
  rooms = []
})

describe('a room whose update throws while it is applied', () => {
  it('neither stores nor broadcasts it, closes only its sender, and keeps the rest of the turn', async () => {
    const store = new MemoryStore()
    newBoard(store)
    const { room, join } = open(store)
    const bad = join()
    const good = join()
    const watcher = join()
    getRecordsMap(room.doc).observe((event) => {
      if (event.keysChanged.has('shape:boom')) throw new Error('an observer failed')
    })
    room.receive(good.connection, syncFrame(SyncStep.Update, recordUpdate('shape:before')))
    room.receive(bad.connection, syncFrame(SyncStep.Update, recordUpdate('shape:boom')))
    expect(bad.socket.closed).toBe(CloseCode.UpdateFailed)
    room.receive(good.connection, syncFrame(SyncStep.Update, recordUpdate('shape:after')))
    await tick()

    expect(good.socket.closed).toBeNull()
    expect(watcher.socket.closed).toBeNull()
    const seen = getRecordsMap(docSeenBy(watcher.socket))
    expect([...seen.keys()].sort()).toEqual(['shape:after', 'shape:before'])
    const stored = new Y.Doc()
    Y.applyUpdate(stored, Y.mergeUpdates(store.loadDocument(BOARD).updates))
    expect(getRecordsMap(stored).has('shape:boom')).toBe(false)
    expect(getRecordsMap(stored).has('shape:before')).toBe(true)
    // Not even a joiner, or a snapshot, gets it: the room's document is what is stored.
    expect(getRecordsMap(room.doc).has('shape:boom')).toBe(false)
    const joiner = join()
    room.receive(joiner.connection, syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc())))
    await tick()
    expect(getRecordsMap(docSeenBy(joiner.socket)).has('shape:boom')).toBe(false)
    expect(getRecordsMap(docSeenBy(joiner.socket)).has('shape:after')).toBe(true)
  })
})

describe('a room whose stored document has a row that does not decode', () => {
  function corruptBoard() {
    const store = new MemoryStore()
    newBoard(store)
    store.appendUpdates(BOARD, [recordUpdate('shape:kept')])
    const broken = recordUpdate('shape:lost')
    store.appendUpdates(BOARD, [broken.slice(0, broken.length - 12)])
    return store
  }

  it('syncs what could be read, refuses edits with BoardReadOnly, tells the administrator, and writes nothing', async () => {
    const store = corruptBoard()
    const before = structuredClone(store.loadDocument(BOARD))
    const { log, lines } = keptLogger()
    const { room, join } = open(store, {}, log)
    expect(room.isReadOnly).toBe(true)
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ board: BOARD, row: 'update 3 of 3' }),
      }),
    )

    const reader = join()
    room.receive(reader.connection, syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc())))
    // Its local work, in a sync step 2, is not taken, but it may stay and read.
    room.receive(reader.connection, syncFrame(SyncStep.Step2, recordUpdate('shape:local')))
    await tick()
    expect(reader.socket.closed).toBeNull()
    expect(getRecordsMap(docSeenBy(reader.socket)).has('shape:kept')).toBe(true)

    const writer = join()
    room.receive(writer.connection, syncFrame(SyncStep.Update, recordUpdate('shape:new')))
    expect(writer.socket.closed).toBe(CloseCode.BoardReadOnly)
    await tick()
    room.compact()
    rooms = []
    room.destroy()
    expect(store.loadDocument(BOARD)).toEqual(before)
  })

  it('holds nothing of a snapshot broken after its structs (in its delete set), though Yjs integrates those first', async () => {
    const store = new MemoryStore()
    newBoard(store)
    const snapshot = recordUpdate('shape:in-broken-snapshot')
    store.compact(BOARD, snapshot.slice(0, snapshot.length - 1), 0) // the delete set's last byte is gone
    store.appendUpdates(BOARD, [recordUpdate('shape:kept')])
    const { room, join } = open(store)
    expect(room.isReadOnly).toBe(true)
    expect(getRecordsMap(room.doc).has('shape:in-broken-snapshot')).toBe(false)
    expect(getRecordsMap(room.doc).has('shape:kept')).toBe(true)
    const reader = join()
    room.receive(reader.connection, syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc())))
    await tick()
    expect(getRecordsMap(docSeenBy(reader.socket)).has('shape:in-broken-snapshot')).toBe(false)
  })
})

describe('a room that lacks what an update builds on', () => {
  /** A record the room never got, and a change to it that builds on it. */
  function lostAndBuiltOn() {
    const author = new Y.Doc()
    getRecordsMap(author).set('shape:lost', { ...shapeRecord('shape:lost'), x: 1 })
    const lost = Y.encodeStateAsUpdate(author)
    const before = Y.encodeStateVector(author)
    getRecordsMap(author).set('shape:lost', { ...shapeRecord('shape:lost'), x: 2 })
    return { author, lost, change: Y.encodeStateAsUpdate(author, before) }
  }

  it('asks the sender for all it has instead of closing it, and takes its answer', async () => {
    const store = new MemoryStore()
    newBoard(store)
    const { room, join } = open(store)
    const client = join()
    const { author, change } = lostAndBuiltOn()
    const asked = step1Count(client.socket)
    room.receive(client.connection, syncFrame(SyncStep.Update, change))
    expect(client.socket.closed).toBeNull()
    expect(step1Count(client.socket)).toBe(asked + 1)
    // Asked once until the room changes: an honest client is never asked in a loop.
    room.receive(client.connection, syncFrame(SyncStep.Update, change))
    expect(step1Count(client.socket)).toBe(asked + 1)
    // What a y-websocket client answers a SyncStep1 with: all the server lacks.
    room.receive(
      client.connection,
      syncFrame(SyncStep.Step2, Y.encodeStateAsUpdate(author, Y.encodeStateVector(room.doc))),
    )
    await tick()
    expect(client.socket.closed).toBeNull()
    expect(getRecordsMap(room.doc).get('shape:lost')).toMatchObject({ x: 2 })
  })

  it('asks a waiting sender again once the room has changed, and not before', async () => {
    const store = new MemoryStore()
    newBoard(store)
    const { room, join } = open(store)
    const waiting = join()
    const other = join()
    const { change } = lostAndBuiltOn()
    room.receive(waiting.connection, syncFrame(SyncStep.Update, change))
    const asked = step1Count(waiting.socket)
    await tick()
    expect(step1Count(waiting.socket)).toBe(asked)
    room.receive(other.connection, syncFrame(SyncStep.Update, recordUpdate('shape:other')))
    await tick()
    expect(step1Count(waiting.socket)).toBe(asked + 1)
    expect(waiting.socket.closed).toBeNull()
  })
})

describe('a room with strict durability', () => {
  /** Node's fsync, held back until `release`, or made to fail for real (a descriptor nobody has). */
  function heldFsync() {
    const held: (() => void)[] = []
    const control = { hold: false, broken: false }
    const fd = (real: number) => (control.broken ? 2 ** 31 - 1 : real)
    const fsync: Fsync = {
      sync: (real) => fs.fdatasyncSync(fd(real)),
      background: (real, done) => {
        const run = () => fs.fdatasync(fd(real), done)
        if (control.hold) held.push(run)
        else run()
      },
    }
    const release = () => {
      for (const run of held.splice(0)) run()
    }
    return { control, fsync, release }
  }
  const sqlite = (fsync: Fsync) => new SqliteStore(fs.mkdtempSync(path.join(os.tmpdir(), 'stip-room-')), { fsync })
  const waitUntil = async (check: () => boolean) => {
    for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 2))
  }

  it('broadcasts an update and answers joiners only once it is fsynced', async () => {
    const { control, fsync, release } = heldFsync()
    const store = sqlite(fsync)
    newBoard(store)
    const { room, join } = open(store, { durability: 'strict' })
    const sender = join()
    const peer = join()
    await waitUntil(() => peer.socket.sent.length > 0)
    control.hold = true
    room.receive(sender.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    const joiner = join()
    room.receive(joiner.connection, syncFrame(SyncStep.Step1, Y.encodeStateVector(new Y.Doc())))
    await tick()
    await tick()
    expect(store.loadDocument(BOARD).updates).toHaveLength(2) // committed: the board's first, and this
    expect(getRecordsMap(docSeenBy(peer.socket)).has('shape:a')).toBe(false)
    expect(getRecordsMap(docSeenBy(joiner.socket)).size).toBe(0)
    control.hold = false
    release()
    await waitUntil(() => getRecordsMap(docSeenBy(peer.socket)).has('shape:a'))
    expect(getRecordsMap(docSeenBy(peer.socket)).has('shape:a')).toBe(true)
    expect(getRecordsMap(docSeenBy(joiner.socket)).has('shape:a')).toBe(true)
    store.close()
  })

  it('closes everyone with StoreUnavailable, and sends nobody the update, when its fsync fails', async () => {
    const { control, fsync } = heldFsync()
    const store = sqlite(fsync)
    newBoard(store)
    const { room, join } = open(store, { durability: 'strict' })
    const sender = join()
    const peer = join()
    await waitUntil(() => peer.socket.sent.length > 0)
    control.broken = true
    room.receive(sender.connection, syncFrame(SyncStep.Update, recordUpdate('shape:a')))
    await waitUntil(() => peer.socket.closed !== null)
    expect(peer.socket.closed).toBe(CloseCode.StoreUnavailable)
    expect(sender.socket.closed).toBe(CloseCode.StoreUnavailable)
    expect(getRecordsMap(docSeenBy(peer.socket)).has('shape:a')).toBe(false)
    expect(store.health().ok).toBe(false)
    rooms = []
    control.broken = false
    store.close()
  })
})
