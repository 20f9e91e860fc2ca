/**
 * The store contract on a real PostgreSQL (`DATABASE_URL`, default the local server): each
 * store in a fresh schema, every schema dropped afterwards. And the fencing the cluster
 * relies on: a document write with an epoch that is no longer the board's is refused.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { registerStoreContractTests } from './contract.ts'
import { DEFAULT_DATABASE_URL, FencedWriteError, PostgresStore } from './postgres.ts'

const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL
const opened: PostgresStore[] = []
const schemas = new Set<string>()
const freshSchema = () => {
  const schema = `stip_test_${randomBytes(6).toString('hex')}`
  schemas.add(schema)
  return schema
}
const openStore = (options: ConstructorParameters<typeof PostgresStore>[0]) => {
  const store = new PostgresStore({ url, ...options })
  opened.push(store)
  return store
}

afterAll(() => {
  for (const store of opened) store.close()
  for (const schema of schemas) {
    const store = new PostgresStore({ url, schema })
    store.dropSchema()
    store.close()
  }
})

registerStoreContractTests('PostgresStore', (now) => {
  const schema = freshSchema()
  return { store: openStore({ schema, now }), reopen: () => openStore({ schema }) }
})

const board = { id: 'board-0001', name: 'Voorbeeld', created: '2026-11-27T10:00:00.000Z' }
const hashes = { facilitator: 'f'.repeat(64), participant: 'p'.repeat(64), display: 'd'.repeat(64) }

describe('PostgresStore faults', () => {
  it('fails the call that meets a dropped connection, says so, and connects again for the next', async () => {
    const schema = freshSchema()
    const store = openStore({ schema })
    store.createBoard(board, hashes)
    // What a database restart does to every connection: here only this store's.
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    try {
      const killed = await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`stip:${schema}`],
      )
      expect(killed.rowCount).toBe(1)
    } finally {
      await admin.end()
    }
    // The drop is usually noticed while the connection is idle, and the next call connects
    // again; a call that meets it fails instead, and the store says so until a write succeeds.
    try {
      store.appendUpdates(board.id, [new Uint8Array([1])])
    } catch {
      expect(store.health()).toMatchObject({ ok: false, detail: expect.stringMatching(/last write failed/) })
    }
    store.appendUpdates(board.id, [new Uint8Array([2])])
    expect(store.health()).toMatchObject({ ok: true })
    expect(store.loadDocument(board.id).updates.at(-1)).toEqual(new Uint8Array([2]))
  })
})

describe('PostgresStore fencing', () => {
  it('refuses a document write from a process whose lease was taken over, and takes the new owner’s', () => {
    const schema = freshSchema()
    const first = openStore({ schema, fencing: true })
    const second = openStore({ schema, fencing: true })
    first.createBoard(board, hashes)
    expect(() => first.appendUpdates(board.id, [new Uint8Array([1])])).toThrow(FencedWriteError) // no lease yet
    expect(first.claimLease(board.id, 'first', 'http://a', 60_000).mine).toBe(true)
    first.appendUpdates(board.id, [new Uint8Array([1])])
    // The lease is held and not expired: the second process cannot take it.
    const refused = second.claimLease(board.id, 'second', 'http://b', 60_000)
    expect(refused).toMatchObject({ mine: false, lease: { owner: 'first', address: 'http://a', epoch: 1 } })
    // It expires (the first process paused): the second takes it with the next epoch.
    expect(first.renewLeases('first', -1)).toEqual([])
    const taken = second.claimLease(board.id, 'second', 'http://b', 60_000)
    expect(taken).toMatchObject({ mine: true, lease: { owner: 'second', epoch: 2 } })
    second.appendUpdates(board.id, [new Uint8Array([2])])
    // The first wakes up believing it still owns the board: the fence refuses it.
    expect(() => first.appendUpdates(board.id, [new Uint8Array([3])])).toThrow(FencedWriteError)
    expect(() => first.compact(board.id, new Uint8Array([9]), 1)).toThrow(FencedWriteError)
    expect(first.holds(board.id)).toBe(false) // the refused write made it forget the lease
    expect(first.renewLeases('first', 60_000)).toEqual([])
    expect(first.health().ok).toBe(true) // a fenced write is no fault of the store
    expect(second.loadDocument(board.id).updates).toEqual([new Uint8Array([1]), new Uint8Array([2])])
  })

  it('hands a released lease to the next claimant at once, with a new epoch', () => {
    const schema = freshSchema()
    const first = openStore({ schema, fencing: true })
    const second = openStore({ schema, fencing: true })
    first.createBoard(board, hashes)
    first.claimLease(board.id, 'first', 'http://a', 60_000)
    first.releaseLease(board.id, 'first')
    expect(first.holds(board.id)).toBe(false)
    expect(second.claimLease(board.id, 'second', 'http://b', 60_000)).toMatchObject({ mine: true, lease: { epoch: 2 } })
  })
})
