/**
 * The worker thread behind `PostgresStore` (postgres.ts): it owns the node-postgres
 * connections and runs, for the main thread that waits on it (synckit, `Atomics.wait`), one
 * batch of statements at a time, in one transaction when asked. All the SQL and every
 * decision lives in postgres.ts; this file only runs what it is given, so it stays plain
 * JavaScript that any runner (tsx, vitest, node) can start as a worker without a loader.
 *
 * Why a worker: `BoardStore` is synchronous (a room stores a turn's updates before it
 * broadcasts them, in the same turn), and node-postgres is asynchronous. The cost is one
 * round trip to PostgreSQL during which the main thread waits (README "Several processes").
 *
 * A failed statement rolls its transaction back and comes back as `{ error }` (message,
 * PostgreSQL's SQLSTATE `code`), never as a thrown value, so its code survives the trip.
 */
import pg from 'pg'
import { runAsWorker } from 'synckit'

// int8 (seq, client ids, times in ms) as numbers: every value Stip stores fits in 2^53.
pg.types.setTypeParser(20, (value) => Number(value))

/** @type {Map<number, pg.Client>} */
const clients = new Map()

/** Uint8Arrays arrive from the main thread as plain views: node-postgres wants Buffers. */
function parameterOf(value) {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value
}

/**
 * @param {{ op: 'open', id: number, url: string, schema: string }
 *   | { op: 'run', id: number, statements: { text: string, values?: unknown[] }[], transaction: boolean }
 *   | { op: 'close', id: number }} request
 */
async function handle(request) {
  if (request.op === 'open') {
    const client = new pg.Client({ connectionString: request.url, application_name: 'stip' })
    client.on('error', () => {}) // a dropped connection fails the next query, which reports it
    await client.connect()
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${request.schema}"`)
    await client.query(`SET search_path TO "${request.schema}"`)
    clients.set(request.id, client)
    return { results: [] }
  }
  const client = clients.get(request.id)
  if (!client) return { error: { message: 'the PostgreSQL connection is closed', code: 'STIP_CLOSED' } }
  if (request.op === 'close') {
    clients.delete(request.id)
    await client.end().catch(() => {})
    return { results: [] }
  }
  const results = []
  try {
    if (request.transaction) await client.query('BEGIN')
    for (const { text, values = [] } of request.statements) {
      const result = await client.query({ text, values: values.map(parameterOf) })
      results.push({ rows: result.rows, rowCount: result.rowCount ?? 0 })
    }
    if (request.transaction) await client.query('COMMIT')
    return { results }
  } catch (error) {
    if (request.transaction) await client.query('ROLLBACK').catch(() => {})
    return { error: { message: error instanceof Error ? error.message : String(error), code: error?.code ?? null } }
  }
}

runAsWorker(handle)
