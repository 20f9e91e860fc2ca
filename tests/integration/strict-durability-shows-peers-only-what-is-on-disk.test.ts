/**
 * `STIP_DURABILITY=strict`: a peer sees an update only once the disk has it (fsynced), so a
 * power cut cannot take anything a peer saw. Through a real server and real sockets, with
 * the store's fsync held back: the update is committed but nobody gets it until the fsync
 * completes; then everyone does. The default (`wal`) and bad values are checked too.
 */
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { type StipServer, startServer } from '../../server/app.ts'
import { ConfigError, readConfig } from '../../server/config.ts'
import { silentLogger } from '../../server/log.ts'
import { type Fsync, SqliteStore } from '../../server/store/sqlite.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import { createBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'
import { delay, waitFor } from '../helpers/wait.ts'

/** Node's fsync, whose background calls wait while `hold` is set. */
function heldFsync() {
  const control = { hold: false }
  const held: (() => void)[] = []
  const fsync: Fsync = {
    sync: (fd) => fs.fdatasyncSync(fd),
    background: (fd, done) => {
      const run = () => fs.fdatasync(fd, done)
      if (control.hold) held.push(run)
      else run()
    },
  }
  const release = () => {
    control.hold = false
    for (const run of held.splice(0)) run()
  }
  return { control, fsync, release, held }
}

describe('strict durability', () => {
  let dir: TempDir | undefined
  let server: StipServer | undefined
  let store: SqliteStore | undefined
  const clients: RawClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server?.close()
    store?.close()
    await dir?.remove()
  })

  it('is read from STIP_DURABILITY, wal by default, and refuses what it cannot keep', () => {
    expect(readConfig({}).durability).toBe('wal')
    expect(readConfig({ STIP_DURABILITY: 'strict' }).durability).toBe('strict')
    expect(() => readConfig({ STIP_DURABILITY: 'fast' })).toThrow(ConfigError)
    expect(() => readConfig({ STIP_DURABILITY: 'strict', STIP_SQLITE_SYNC: 'normal' })).toThrow(ConfigError)
  })

  it('sends a peer an update only once it is fsynced', async () => {
    dir = await createTempDir()
    const { control, fsync, release, held } = heldFsync()
    store = new SqliteStore(dir.path, { fsync })
    server = await startServer({ store, log: silentLogger, durability: 'strict' })
    const wsUrl = server.url.replace(/^http/, 'ws')
    const board = await createBoard(server.url, 'Strikt')
    const writer = await RawClient.connect(wsUrl, board.id, board.tokens.participant)
    const peer = await RawClient.connect(wsUrl, board.id, board.tokens.participant, { sendLocalUpdates: false })
    clients.push(writer, peer)
    await Promise.all([writer.waitForSync(), peer.waitForSync()])

    control.hold = true
    putRecords(writer.doc, [shapeRecord('shape:on-disk-first')])
    await waitFor(() => held.length > 0, { message: 'the commit’s fsync to start' })
    await delay(100)
    expect(getRecordsMap(peer.doc).has('shape:on-disk-first')).toBe(false)
    release()
    await waitFor(() => getRecordsMap(peer.doc).has('shape:on-disk-first'), {
      message: 'the peer to get the update once it is fsynced',
    })
  })
})
