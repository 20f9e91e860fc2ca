import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { registerStoreContractTests } from './contract.ts'
import { MemoryStore } from './memory.ts'
import { DataDirInUseError, type Fsync, SqliteStore } from './sqlite.ts'

registerStoreContractTests('MemoryStore', () => ({ store: new MemoryStore() }))

registerStoreContractTests('SqliteStore', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-'))
  return { store: new SqliteStore(dir), reopen: () => new SqliteStore(dir) }
})

registerStoreContractTests('SqliteStore, synchronous normal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-store-'))
  const options = { synchronous: 'normal' } as const
  return { store: new SqliteStore(dir, options), reopen: () => new SqliteStore(dir, options) }
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
