/**
 * Fencing: the owner of a board is paused (SIGSTOP) until its lease expires; another process
 * takes the board over and stores an edit. Then the old owner wakes up (SIGCONT) believing
 * it still owns the board, with an edit from its client waiting in its socket: PostgreSQL
 * refuses that late write (its lease epoch is old), the old owner sends its client to the new
 * owner (`Handover`), and the board is what the new owner stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard } from '../helpers/api.ts'
import { ownerOf, startTestCluster, type TestCluster } from '../helpers/cluster.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('an owner paused past its lease', () => {
  let cluster: TestCluster
  const clients: RawClient[] = []

  beforeAll(async () => {
    cluster = await startTestCluster(3)
  })
  afterAll(async () => {
    for (const client of clients) await client.close()
    await cluster?.stop()
  })

  it('has its late write refused by the fence, and the board is the new owner’s', async () => {
    const board = await createBoard(cluster.url, 'Fencing')
    const [old, next, third] = cluster.processes
    const stale = await RawClient.connect(old.wsUrl, board.id, board.tokens.participant)
    clients.push(stale)
    await stale.waitForSync()
    putRecords(stale.doc, [shapeRecord('shape:before-pause')])
    await stale.roundTrip()
    expect(await ownerOf(cluster, board.id)).toBe(old)

    old.process.kill('SIGSTOP')
    await waitFor(
      async () => {
        const [lease] = await cluster.query<{ expired: boolean }>(
          'SELECT expires_at < now() AS expired FROM leases WHERE board_id = $1',
          [board.id],
        )
        return lease?.expired
      },
      { timeoutMs: 10_000, message: 'the paused owner’s lease to expire' },
    )

    // Another process takes the board over and stores an edit of its own.
    const fresh = await RawClient.connect(next.wsUrl, board.id, board.tokens.participant)
    clients.push(fresh)
    await fresh.waitForSync()
    expect(getRecordsMap(fresh.doc).has('shape:before-pause')).toBe(true)
    putRecords(fresh.doc, [shapeRecord('shape:new-owner')])
    await fresh.roundTrip()
    const [lease] = await cluster.query<{ address: string; epoch: string }>(
      'SELECT address, epoch FROM leases WHERE board_id = $1',
      [board.id],
    )
    expect(lease.address).toBe(next.url)

    // The old owner's client writes into the paused process's socket; then it wakes up.
    putRecords(stale.doc, [shapeRecord('shape:late-write')])
    old.process.kill('SIGCONT')
    const closed = await stale.waitForClose(10_000)
    expect(closed.code).toBe(CloseCode.Handover)
    await waitFor(() => old.logs.some((line) => String(line.error ?? '').includes('write fenced')), {
      timeoutMs: 10_000,
      message: 'the old owner to log its fenced write',
    })

    // The board is the new owner's: its edit, and not the late one — wherever one asks.
    const reader = await RawClient.connect(third.wsUrl, board.id, board.tokens.display)
    clients.push(reader)
    await reader.waitForSync()
    const records = getRecordsMap(reader.doc)
    expect(records.has('shape:new-owner')).toBe(true)
    expect(records.has('shape:before-pause')).toBe(true)
    expect(records.has('shape:late-write')).toBe(false)
    expect(getRecordsMap(fresh.doc).has('shape:late-write')).toBe(false)
    const rows = await cluster.query<{ n: string }>('SELECT COUNT(*) AS n FROM updates WHERE board_id = $1', [board.id])
    expect(Number(rows[0].n)).toBeGreaterThan(0)
    expect(Number(lease.epoch)).toBe(2)
  })
})
