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

/** How long one connection attempt or one statement may take (ms). */
const CALL_TIMEOUT_MS = 5000

/**
 * Each store's connection and what it was opened with, so that a connection PostgreSQL
 * dropped (a restart, a failover of the database, `pg_terminate_backend`) is made again on
 * the next call. The call that met the drop fails: whether its transaction committed is not
 * known, so it is not tried again here (the room fails and its clients send it again).
 * @type {Map<number, { url: string, schema: string, client: pg.Client | null }>}
 */
const connections = new Map()

/** Uint8Arrays arrive from the main thread as plain views: node-postgres wants Buffers. */
function parameterOf(value) {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value
}

/** SQLSTATE classes of a lost connection (08: connection exception; 57P: the server shut down). */
function isConnectionLost(error) {
  const code = error?.code
  return typeof code !== 'string' || code.startsWith('08') || code.startsWith('57P')
}

async function connect(entry) {
  const client = new pg.Client({
    connectionString: entry.url,
    application_name: `stip:${entry.schema}`,
    // The main thread waits for every call: a database that does not answer must not
    // hold it for longer than this (the call fails; the connection is made again).
    connectionTimeoutMillis: CALL_TIMEOUT_MS,
    query_timeout: CALL_TIMEOUT_MS,
  })
  client.on('error', () => {
    // Dropped while idle: the next call connects again.
    if (entry.client === client) entry.client = null
  })
  await client.connect()
  try {
    // One process at a time: concurrent CREATE SCHEMA IF NOT EXISTS can still collide.
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock(1399914497)') // SCHEMA_LOCK in postgres.ts
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${entry.schema}"`)
    await client.query('COMMIT')
    await client.query(`SET search_path TO "${entry.schema}"`)
  } catch (error) {
    await client.end().catch(() => {})
    throw error
  }
  entry.client = client
  return client
}

const failure = (error) => ({
  error: { message: error instanceof Error ? error.message : String(error), code: error?.code ?? null },
})

/**
 * @param {{ op: 'open', id: number, url: string, schema: string }
 *   | { op: 'run', id: number, statements: { text: string, values?: unknown[] }[], transaction: boolean }
 *   | { op: 'close', id: number }} request
 */
async function handle(request) {
  if (request.op === 'open') {
    const entry = { url: request.url, schema: request.schema, client: null }
    try {
      await connect(entry)
    } catch (error) {
      return failure(error)
    }
    connections.set(request.id, entry)
    return { results: [] }
  }
  const entry = connections.get(request.id)
  if (!entry) return { error: { message: 'the PostgreSQL connection is closed', code: 'STIP_CLOSED' } }
  if (request.op === 'close') {
    connections.delete(request.id)
    await entry.client?.end().catch(() => {})
    return { results: [] }
  }
  let client
  try {
    client = entry.client ?? (await connect(entry))
  } catch (error) {
    return failure(error)
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
    if (isConnectionLost(error)) {
      if (entry.client === client) entry.client = null
      client.end().catch(() => {})
    } else if (request.transaction) await client.query('ROLLBACK').catch(() => {})
    return failure(error)
  }
}

runAsWorker(handle)
