/**
 * A failed fsync (a dying disk fails it with EIO) means the last commits may not survive a
 * power cut. The server says so on `/healthz` (503, the store's reason) and refuses every
 * write until one is fsynced for real: the room closes its clients with `StoreUnavailable`,
 * they keep their edits, and once the disk works again their reconnects store everything
 * and the server is healthy again. The failing fsync is a real one, on a descriptor no
 * process has (EBADF).
 */
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { type StipServer, startServer } from '../../server/app.ts'
import { silentLogger } from '../../server/log.ts'
import { type Fsync, SqliteStore } from '../../server/store/sqlite.ts'
import type { HealthResponse } from '../../shared/api.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { ROUTES } from '../../shared/routes.ts'
import { api, createBoard } from '../helpers/api.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'
import { waitFor } from '../helpers/wait.ts'

function breakableFsync() {
  const control = { broken: false }
  const fd = (real: number) => (control.broken ? 2 ** 31 - 1 : real)
  const fsync: Fsync = {
    sync: (real) => fs.fdatasyncSync(fd(real)),
    background: (real, done) => fs.fdatasync(fd(real), done),
  }
  return { control, fsync }
}

describe('a failed fsync', () => {
  let dir: TempDir | undefined
  let server: StipServer | undefined
  let store: SqliteStore | undefined
  const providers: ProviderClient[] = []

  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.destroy()
    await server?.close()
    store?.close()
    await dir?.remove()
  })

  it('makes the server unhealthy and refuses writes until one reaches the disk', async () => {
    dir = await createTempDir()
    const { control, fsync } = breakableFsync()
    store = new SqliteStore(dir.path, { fsync })
    server = await startServer({ store, log: silentLogger })
    const url = server.url
    const wsUrl = url.replace(/^http/, 'ws')
    const board = await createBoard(url, 'Kapotte schijf')
    const anna = await connectProvider(wsUrl, board.id, board.tokens.participant)
    providers.push(anna)

    control.broken = true
    putRecords(anna.doc, [shapeRecord('shape:committed-not-synced')]) // its background fsync fails
    await waitFor(async () => (await api(url, ROUTES.health)).status === 503, {
      message: '/healthz to report the failed fsync',
    })
    const unhealthy = await api<HealthResponse>(url, ROUTES.health)
    expect(unhealthy.body.store.detail).toMatch(/fsync failed/)

    putRecords(anna.doc, [shapeRecord('shape:refused-for-now')]) // fsynced before it counts: refused
    await waitFor(() => anna.closeCodes.includes(CloseCode.StoreUnavailable), {
      message: 'the room to close its client with StoreUnavailable',
    })
    expect(getRecordsMap(anna.doc).has('shape:refused-for-now')).toBe(true) // her browser keeps it

    control.broken = false
    await waitFor(
      async () => {
        const reader = await RawClient.connect(wsUrl, board.id, board.tokens.display)
        try {
          await reader.waitForSync()
          const records = getRecordsMap(reader.doc)
          return records.has('shape:committed-not-synced') && records.has('shape:refused-for-now')
        } finally {
          await reader.close()
        }
      },
      { timeoutMs: 15_000, intervalMs: 200, message: 'the edits to be stored once the disk works again' },
    )
    const healthy = await api<HealthResponse>(url, ROUTES.health)
    expect(healthy.status).toBe(200)
    expect(healthy.body.store.ok).toBe(true)
  })
})
