/**
 * `npm run migrate-to-postgres -- <dataDir>`: copies a SQLite data folder (`stip.sqlite`)
 * into PostgreSQL (`DATABASE_URL`, `STIP_DATABASE_SCHEMA`), row for row: every board,
 * link, update with its seq and time, snapshot, checkpoint, version, client owner, ballot
 * and audit line, so that the boards, their links and their history are exactly as they
 * were. Stop the server first: the data folder's lock (sqlite.ts) refuses a live one.
 *
 * It refuses a database that already holds boards (it would mix two installations), and
 * does everything in one transaction: a failed migration leaves PostgreSQL as it was.
 * The SQLite folder is only read; keep it as the backup of the day you moved.
 */
import { pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { ConfigError } from '../config.ts'
import { PostgresStore } from './postgres.ts'
import { SqliteStore } from './sqlite.ts'

/** Each table and the columns copied, in the order they are written (foreign keys first). */
export const MIGRATED_TABLES: readonly { table: string; columns: readonly string[]; order: string }[] = [
  { table: 'boards', columns: ['id', 'name', 'created'], order: 'rowid' },
  { table: 'tokens', columns: ['board_id', 'hash', 'role', 'layer_id', 'id', 'kind', 'created'], order: 'rowid' },
  { table: 'updates', columns: ['seq', 'board_id', 'data', 'at'], order: 'seq' },
  { table: 'snapshots', columns: ['board_id', 'data', 'up_to_seq'], order: 'rowid' },
  { table: 'checkpoints', columns: ['board_id', 'seq', 'at', 'data'], order: 'rowid' },
  {
    table: 'versions',
    columns: ['board_id', 'id', 'name', 'kind', 'trigger', 'created', 'created_by_role', 'data'],
    order: 'rowid',
  },
  { table: 'client_owners', columns: ['board_id', 'client_id', 'secret_hash'], order: 'rowid' },
  { table: 'ballots', columns: ['board_id', 'round_id', 'voter', 'votes'], order: 'rowid' },
  { table: 'audit', columns: ['id', 'at', 'action', 'actor', 'board_id'], order: 'id' },
]

/** Rows sent per statement: large enough to be quick, small enough for PostgreSQL's 65,535 parameters. */
const BATCH = 500

export interface MigrationResult {
  rows: Record<string, number>
}

export function migrateToPostgres(dataDir: string, target: PostgresStore): MigrationResult {
  // Opening the store takes the data folder's lock and brings an old folder's schema up to date.
  const sqlite = new SqliteStore(dataDir, { synchronous: 'normal' })
  sqlite.close()
  const db = new Database(sqlite.file, { readonly: true, fileMustExist: true })
  try {
    if (target.listBoards().length > 0)
      throw new ConfigError(`schema ${target.schema} already holds boards: migrate into an empty database`)
    const rows: Record<string, number> = {}
    const statements: { text: string; values: unknown[] }[] = []
    for (const { table, columns, order } of MIGRATED_TABLES) {
      const all = db
        .prepare(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${order}`)
        .raw()
        .all() as unknown[][]
      rows[table] = all.length
      for (let start = 0; start < all.length; start += BATCH) {
        const batch = all.slice(start, start + BATCH)
        const placeholders = batch.map(
          (_, i) => `(${columns.map((_, j) => `$${i * columns.length + j + 1}`).join(', ')})`,
        )
        statements.push({
          text: `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders.join(', ')}`,
          values: batch.flat(),
        })
      }
    }
    // The next update and audit line number on from the copied ones.
    statements.push(
      {
        text: "SELECT setval(pg_get_serial_sequence('updates', 'seq'), GREATEST(COALESCE(MAX(seq), 0), 1)) FROM updates",
        values: [],
      },
      {
        text: "SELECT setval(pg_get_serial_sequence('audit', 'id'), GREATEST(COALESCE(MAX(id), 0), 1)) FROM audit",
        values: [],
      },
    )
    target.importRows(statements)
    return { rows }
  } finally {
    db.close()
  }
}

async function main(): Promise<void> {
  const dataDir = process.argv[2]
  if (!dataDir) {
    console.error('usage: npm run migrate-to-postgres -- <dataDir>   (DATABASE_URL, STIP_DATABASE_SCHEMA say where to)')
    process.exit(2)
  }
  const target = new PostgresStore({ url: process.env.DATABASE_URL, schema: process.env.STIP_DATABASE_SCHEMA })
  try {
    const { rows } = migrateToPostgres(dataDir, target)
    console.log(JSON.stringify({ msg: 'migrated', dataDir, schema: target.schema, rows }))
  } catch (error) {
    console.error(`migration failed, PostgreSQL is as it was: ${error instanceof Error ? error.message : error}`)
    process.exitCode = 1
  } finally {
    target.close()
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
