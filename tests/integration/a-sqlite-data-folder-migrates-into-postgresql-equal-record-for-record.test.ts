/**
 * Moving to PostgreSQL: `npm run migrate-to-postgres -- <dataDir>` copies a SQLite data
 * folder — made by a real server, with edits, links, history, versions, ballots and audit
 * lines — into an empty PostgreSQL schema, every table equal row for row; a server on
 * PostgreSQL then serves the board exactly as the SQLite one did, and its links still open it.
 */
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import pg from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { MIGRATED_TABLES } from '../../server/store/migrate-to-postgres.ts'
import { SqliteStore } from '../../server/store/sqlite.ts'
import { api, createBoard } from '../helpers/api.ts'
import { DATABASE_URL } from '../helpers/cluster.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer } from '../helpers/server.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'

const run = promisify(execFile)

describe('migrate-to-postgres', () => {
  let dir: TempDir | undefined
  const schema = `stip_migrate_${randomBytes(6).toString('hex')}`
  const db = new pg.Client({ connectionString: DATABASE_URL })

  afterEach(async () => {
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await db.end()
    await dir?.remove()
  })

  it('copies every row, and the board opens on PostgreSQL as it was', async () => {
    await db.connect()
    dir = await createTempDir()
    // [1] A data folder as a real server leaves it.
    const sqliteServer = await startTestServer({ dataDir: dir.path })
    const board = await createBoard(sqliteServer.url, 'Voorbeeld Digitaal 2030')
    const writer = await RawClient.connect(sqliteServer.wsUrl, board.id, board.tokens.participant)
    await writer.waitForSync()
    putRecords(writer.doc, [shapeRecord('shape:one'), shapeRecord('shape:two')])
    await writer.roundTrip()
    const link = await api(sqliteServer.url, `/api/boards/${board.id}/links`, {
      token: board.tokens.facilitator,
      json: { role: 'participant', layerId: 'layer:root' },
    })
    expect(link.status).toBe(201)
    const version = await api(sqliteServer.url, `/api/boards/${board.id}/versions`, {
      token: board.tokens.facilitator,
      json: { name: 'Iteratie 1' },
    })
    expect(version.status).toBe(201)
    await writer.close()
    const expected = recordsSnapshot(writer.doc)
    await sqliteServer.server.close()
    const extra = new SqliteStore(dir.path)
    extra.saveBallot(board.id, 'round-1', { voter: 'v'.repeat(64), votes: { 'shape:one': 2 } })
    extra.appendAudit({ action: 'link-rotated', actor: 'facilitator', boardId: board.id })
    extra.close()

    // [2] The command, as an administrator runs it.
    await run(process.execPath, ['--import', 'tsx', 'server/store/migrate-to-postgres.ts', dir.path], {
      env: { ...process.env, DATABASE_URL, STIP_DATABASE_SCHEMA: schema },
    })

    const sqlite = new Database(new SqliteStore(dir.path, { lock: false }).file, { readonly: true })
    try {
      for (const { table, columns } of MIGRATED_TABLES) {
        const before = sqlite.prepare(`SELECT ${columns.join(', ')} FROM ${table}`).all() as Record<string, unknown>[]
        const after = (await db.query(`SELECT ${columns.join(', ')} FROM "${schema}".${table}`)).rows
        expect(after.length, `${table} rows`).toBe(before.length)
        expect(sorted(after), table).toEqual(sorted(before))
      }
      expect(sqlite.prepare('SELECT COUNT(*) AS n FROM updates').get()).not.toEqual({ n: 0 })
    } finally {
      sqlite.close()
    }

    // [3] The board on PostgreSQL: the same records, its links still open it.
    const pgServer = await startTestServer({ databaseUrl: DATABASE_URL, databaseSchema: schema })
    try {
      const reader = await RawClient.connect(pgServer.wsUrl, board.id, board.tokens.display)
      await reader.waitForSync()
      expect(recordsSnapshot(reader.doc)).toEqual(expected)
      await reader.close()
      const versions = await api<{ versions: { name: string }[] }>(pgServer.url, `/api/boards/${board.id}/versions`, {
        token: board.tokens.facilitator,
      })
      expect(versions.body.versions.map((row) => row.name)).toContain('Iteratie 1')
    } finally {
      await pgServer.stop()
    }

    // [4] A second run refuses: the schema holds boards already.
    await expect(
      run(process.execPath, ['--import', 'tsx', 'server/store/migrate-to-postgres.ts', dir.path], {
        env: { ...process.env, DATABASE_URL, STIP_DATABASE_SCHEMA: schema },
      }),
    ).rejects.toThrow(/already holds boards/)
  })
})

/** Rows in one order whatever order a database gave them in, each `normalise`d. */
function sorted(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows.map(normalise).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))
}

/** A row with its blobs as plain bytes and its numbers as numbers, whichever driver read it. */
function normalise(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([key, value]) => [
      key,
      value instanceof Uint8Array
        ? [...value]
        : typeof value === 'string' && /^\d+$/.test(value)
          ? Number(value)
          : value,
    ]),
  )
}
