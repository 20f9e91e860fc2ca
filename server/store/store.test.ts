import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { registerStoreContractTests } from './contract.ts'
import { MemoryStore } from './memory.ts'
import { DataDirInUseError, type Fsync, SqliteStore } from './sqlite.ts'

registerStoreContractTests('MemoryStore', (now) => ({ store: new MemoryStore(now) }))

/** The files SQLite keeps in a data directory: the database, its WAL and shared memory. */
const sqliteFiles = (dir: string) => () =>
  ['stip.sqlite', 'stip.sqlite-wal', 'stip.sqlite-shm'].map((file) => path.join(dir, file))

registerStoreContractTests('SqliteStore', (now) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-'))
  return { store: new SqliteStore(dir, { now }), reopen: () => new SqliteStore(dir), files: sqliteFiles(dir) }
})

registerStoreContractTests('SqliteStore, synchronous normal', (now) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-'))
  const options = { synchronous: 'normal' } as const
  return {
    store: new SqliteStore(dir, { ...options, now }),
    reopen: () => new SqliteStore(dir, options),
    files: sqliteFiles(dir),
  }
})

const board = { id: 'board-0001', name: 'Voorbeeld', created: '2026-11-27T10:00:00.000Z' }
const hashes = { facilitator: 'f'.repeat(64), participant: 'p'.repeat(64), display: 'd'.repeat(64) }
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-'))

/**
 * Node's own fsync calls, which can be told to go to a descriptor no process has: the
 * kernel then really fails them (EBADF), the way a dying disk fails them (EIO).
 */
function breakableFsync() {
  const control = { broken: false }
  const fd = (real: number) => (control.broken ? 2 ** 31 - 1 : real)
  const fsync: Fsync = {
    sync: (real) => fs.fdatasyncSync(fd(real)),
    background: (real, done) => fs.fdatasync(fd(real), done),
  }
  return { control, fsync }
}

describe('SqliteStore faults', () => {
  it('is unhealthy after a failed fsync and refuses writes until one is fsynced again', async () => {
    const { control, fsync } = breakableFsync()
    const store = new SqliteStore(tempDir(), { fsync })
    store.createBoard(board, hashes)
    control.broken = true
    store.appendUpdates(board.id, [new Uint8Array([1])]) // committed; its fsync runs in the background
    await expect(store.durable()).rejects.toThrow(/EBADF/)
    const health = store.health()
    expect(health.ok).toBe(false)
    expect(health.detail).toMatch(/fsync failed/)
    expect(() => store.appendUpdates(board.id, [new Uint8Array([2])])).toThrow(/EBADF/)
    expect(store.health().ok).toBe(false)
    control.broken = false
    store.appendUpdates(board.id, [new Uint8Array([3])])
    expect(store.health()).toEqual({ ok: true, detail: 'sqlite, WAL' })
    await expect(store.durable()).resolves.toBeUndefined()
    store.close()
  })

  it('refuses a second store on the same data directory, and takes it once the first is closed', () => {
    const dir = tempDir()
    const first = new SqliteStore(dir)
    expect(() => new SqliteStore(dir)).toThrow(DataDirInUseError)
    expect(() => new SqliteStore(dir)).toThrow(/in use by another Stip process/)
    first.close()
    const second = new SqliteStore(dir)
    expect(second.health().ok).toBe(true)
    second.close()
  })

  it('lets a tool read the data of a running store when asked not to lock', () => {
    const dir = tempDir()
    const running = new SqliteStore(dir)
    running.createBoard(board, hashes, new Uint8Array([9]))
    const reader = new SqliteStore(dir, { lock: false })
    expect(reader.documentBytes(board.id)).toBe(1)
    reader.close()
    running.close()
  })
})

describe('SqliteStore migrations', () => {
  it('opens a data folder from before links had ids: every link keeps working and can be listed and revoked', () => {
    const dir = tempDir()
    // The tables as Stip created them before link ids, kinds and times, with one board in them.
    const old = new Database(path.join(dir, 'stip.sqlite'))
    old.exec(`
      CREATE TABLE boards (id TEXT PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL);
      CREATE TABLE tokens (
        board_id TEXT NOT NULL REFERENCES boards(id), hash TEXT NOT NULL, role TEXT NOT NULL, layer_id TEXT,
        PRIMARY KEY (board_id, hash)
      );
      CREATE UNIQUE INDEX tokens_main_link ON tokens (board_id, role) WHERE layer_id IS NULL;
      CREATE INDEX tokens_by_hash ON tokens (hash);
      CREATE TABLE snapshots (board_id TEXT PRIMARY KEY REFERENCES boards(id), data BLOB NOT NULL);
      CREATE TABLE updates (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, board_id TEXT NOT NULL REFERENCES boards(id), data BLOB NOT NULL
      );
    `)
    old.prepare('INSERT INTO boards VALUES (?, ?, ?)').run(board.id, board.name, board.created)
    const insertToken = old.prepare('INSERT INTO tokens VALUES (?, ?, ?, ?)')
    for (const [role, hash] of Object.entries(hashes)) insertToken.run(board.id, hash, role, null)
    insertToken.run(board.id, 's'.repeat(64), 'participant', 'layer:jeugd')
    insertToken.run(board.id, 'j'.repeat(64), 'participant', 'layer:root')
    old.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)').run(board.id, Buffer.from([7]))
    old.close()

    const store = new SqliteStore(dir)
    expect(store.getBoard(board.id)).toEqual(board)
    expect(store.loadDocument(board.id).updates).toEqual([new Uint8Array([7])])
    expect(store.findToken(board.id, hashes.facilitator)).toEqual({ role: 'facilitator', layerId: null })
    expect(store.findToken(board.id, 's'.repeat(64))).toEqual({ role: 'participant', layerId: 'layer:jeugd' })
    const links = store.listLinks(board.id)
    expect(links.map((link) => [link.kind, link.role, link.layerId, link.created])).toEqual([
      ['main', 'facilitator', null, board.created],
      ['main', 'participant', null, board.created],
      ['main', 'display', null, board.created],
      ['scoped', 'participant', 'layer:jeugd', board.created],
      ['scoped', 'participant', 'layer:root', board.created],
    ])
    expect(new Set(links.map((link) => link.id)).size).toBe(5)
    for (const link of links) expect(link.id).toMatch(/^[0-9a-f]{32}$/)
    expect(store.revokeLink(board.id, links[3].id)).toBe('s'.repeat(64))
    const added = store.addScopedToken(board.id, 'participant', 'layer:root', 'k'.repeat(64), 'join')
    store.close()

    // Migrated once: a second open changes nothing and keeps the ids.
    const again = new SqliteStore(dir)
    expect(again.listLinks(board.id)).toEqual([...links.slice(0, 3), links[4], added])
    expect(again.findToken(board.id, 's'.repeat(64))).toBeUndefined()
    again.close()
  })
})

describe('SqliteStore history migration', () => {
  it('opens a data folder from before history was kept: the old snapshot is the first checkpoint, rows get their board’s time', () => {
    const dir = tempDir()
    const first = new SqliteStore(dir)
    first.createBoard(board, hashes)
    first.close()
    // Back to the old layout: no times on rows, a snapshot that covers no row by number.
    const old = new Database(path.join(dir, 'stip.sqlite'))
    old.exec(`
      DROP INDEX updates_by_time;
      ALTER TABLE updates DROP COLUMN at;
      ALTER TABLE snapshots DROP COLUMN up_to_seq;
    `)
    old.prepare('INSERT INTO snapshots (board_id, data) VALUES (?, ?)').run(board.id, Buffer.from([9]))
    old.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)').run(board.id, Buffer.from([7]))
    old.close()

    const store = new SqliteStore(dir)
    const doc = store.loadDocument(board.id)
    expect(doc.snapshot).toEqual(new Uint8Array([9]))
    expect(doc.updates).toEqual([new Uint8Array([7])])
    expect(store.historyRows(board.id, 0, doc.lastSeq).map((row) => row.at)).toEqual([Date.parse(board.created)])
    expect(store.checkpointAtOrBefore(board.id, doc.lastSeq)).toEqual({
      seq: 0,
      at: Date.parse(board.created),
      state: new Uint8Array([9]),
    })
    store.close()
  })
})
