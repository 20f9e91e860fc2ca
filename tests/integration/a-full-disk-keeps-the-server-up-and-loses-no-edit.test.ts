/**
 * Disk full, made real with SQLite's page limit on a real file: the server stays up,
 * `/healthz` answers 503 with the store's reason, the rooms close their clients with
 * `StoreUnavailable` (4503) while the clients keep their edits, and once there is space
 * again the clients' reconnects bring every edit back: nothing is lost.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { type StipServer, startServer } from '../../server/app.ts'
import { silentLogger } from '../../server/log.ts'
import { SqliteStore } from '../../server/store/sqlite.ts'
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

/** Shapes each person adds while the disk is full: far more than the free space in the last pages. */
const SHAPES_WHILE_FULL = 150

describe('a full disk', () => {
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

  it('keeps the server up, reports it on /healthz, and loses no edit once space is back', async () => {
    dir = await createTempDir()
    store = new SqliteStore(dir.path)
    server = await startServer({ store, log: silentLogger })
    const wsUrl = server.url.replace(/^http/, 'ws')
    const board = await createBoard(server.url, 'Volle schijf')
    const people = await Promise.all(
      ['anna', 'bram'].map((name) =>
        connectProvider(wsUrl, board.id, board.tokens.participant).then((p) => ({ name, p })),
      ),
    )
    providers.push(...people.map(({ p }) => p))
    for (const { name, p } of people) putRecords(p.doc, [shapeRecord(`shape:${name}-before`)])
    await waitFor(
      () =>
        people.every(
          ({ p }) => getRecordsMap(p.doc).has('shape:anna-before') && getRecordsMap(p.doc).has('shape:bram-before'),
        ),
      {
        message: 'both edits made before the disk filled up to reach everyone',
      },
    )

    store.limitSpace(0)
    for (const { name, p } of people) {
      putRecords(
        p.doc,
        Array.from({ length: SHAPES_WHILE_FULL }, (_, i) => shapeRecord(`shape:${name}-full-${i}`)),
      )
    }
    await waitFor(() => people.every(({ p }) => p.closeCodes.includes(CloseCode.StoreUnavailable)), {
      message: 'the room to close its clients with StoreUnavailable',
    })
    const full = await api<HealthResponse>(server.url, ROUTES.health)
    expect(full.status).toBe(503)
    expect(full.body.store.ok).toBe(false)
    expect(full.body.store.detail).toMatch(/full/i)
    // Still there: each person's browser kept what it made.
    for (const { name, p } of people) expect(getRecordsMap(p.doc).has(`shape:${name}-full-0`)).toBe(true)

    store.limitSpace(null)
    const expected = people.flatMap(({ name }) => [
      `shape:${name}-before`,
      ...Array.from({ length: SHAPES_WHILE_FULL }, (_, i) => `shape:${name}-full-${i}`),
    ])
    // The providers reconnect on their own; their sync step 2 carries what the server lacks.
    await waitFor(
      async () => {
        const reader = await RawClient.connect(wsUrl, board.id, board.tokens.display)
        try {
          await reader.waitForSync()
          const records = getRecordsMap(reader.doc)
          return expected.every((id) => records.has(id))
        } finally {
          await reader.close()
        }
      },
      { timeoutMs: 15_000, intervalMs: 200, message: 'every edit to be stored once there is space again' },
    )
    const healthy = await api<HealthResponse>(server.url, ROUTES.health)
    expect(healthy.status).toBe(200)
    expect(healthy.body.store.ok).toBe(true)
  })
})
