/**
 * Several processes (issue #14, README "Several processes"): three Stip processes on the local
 * PostgreSQL (`DATABASE_URL`, a fresh schema dropped afterwards), production lease length.
 * `npm run bench -- --only cluster`.
 *
 * - store call: what one `appendUpdates` costs on PostgreSQL (a worker-thread round trip
 *   the event loop waits for) next to SQLite, on loopback: the price of the synchronous store.
 * - fan-out 1×50, every client on the owner vs every client on a process that forwards to
 *   the owner (each frame crosses the hop twice): latency percentiles.
 * - failover: the owner of a board is killed (`kill -9`); a client connects to a survivor at
 *   once (what a balancer does after the dropped connection) — time from the kill to that
 *   client synced, median and max over `kills` kills.
 * - spread (full run only): `boards` × 5 clients, clients spread round-robin over the three
 *   processes (2 in 3 forwarded), one sender per board: CPU and RSS of each process.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import WebSocket from 'ws'
import { DEFAULT_LEASE_MS } from '../../server/config.ts'
import { DEFAULT_DATABASE_URL, PostgresStore } from '../../server/store/postgres.ts'
import { SqliteStore } from '../../server/store/sqlite.ts'
import { MiB, sampleProcess } from '../lib/proc.ts'
import { ROOT, track } from '../lib/servers.ts'
import { now, type Summary, sleep, summarize, waitUntil } from '../lib/stats.ts'
import { SyncClient } from '../lib/sync-client.ts'
import type { WorkerClient } from '../lib/worker.ts'
import { WorkerPool } from '../lib/workers.ts'

const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL

export interface ClusterConfig {
  fanMs: number
  kills: number
  /** Boards of the spread run; 0 skips it. */
  boards: number
  storeCalls: number
}

export interface ClusterResult {
  leaseMs: number
  storeCallUs: { postgres: Summary; sqlite: Summary }
  fanout: { onOwner: Summary; forwarded: Summary; converged: boolean }
  failoverMs: { median: number; max: number; all: number[] }
  spread: {
    boards: number
    clients: number
    perProcess: { cpuPercent: number; rssMiB: number; owned: number }[]
  } | null
}

interface Stip {
  child: ChildProcess
  port: number
  url: string
}

export async function runCluster(config: ClusterConfig): Promise<ClusterResult> {
  const schema = `stip_bench_${randomBytes(6).toString('hex')}`
  const secret = randomBytes(32).toString('hex')
  const db = new pg.Client({ connectionString: DATABASE_URL })
  await db.connect()
  const processes: Stip[] = []
  try {
    const storeCallUs = measureStoreCalls(schema, config.storeCalls)
    const start = () => startStip(schema, secret)
    processes.push(await start())
    processes.push(...(await Promise.all([start(), start()])))

    const fanout = await measureFanout(processes, config.fanMs)

    const failovers: number[] = []
    for (let kill = 0; kill < config.kills; kill++) {
      const victim = kill % processes.length
      failovers.push(await measureFailover(processes, victim))
      processes[victim] = await start()
    }

    const spread = config.boards > 0 ? await measureSpread(processes, config.boards, config.fanMs) : null
    return {
      leaseMs: DEFAULT_LEASE_MS,
      storeCallUs,
      fanout,
      failoverMs: { median: summarize(failovers).p50, max: Math.max(...failovers), all: failovers },
      spread,
    }
  } finally {
    for (const { child } of processes) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => {})
    await db.end()
  }
}

/** One `appendUpdates` of a 200-byte update, as a room's turn makes it, on each store. */
function measureStoreCalls(schema: string, calls: number): ClusterResult['storeCallUs'] {
  const board = { id: 'bench-store', name: 'bench', created: new Date().toISOString() }
  const hashes = { facilitator: 'f'.repeat(64), participant: 'p'.repeat(64), display: 'd'.repeat(64) }
  const update = new Uint8Array(200).fill(7)
  const time = (append: () => void) => {
    const samples: number[] = []
    for (let i = 0; i < calls; i++) {
      const started = performance.now()
      append()
      samples.push((performance.now() - started) * 1000)
    }
    return summarize(samples)
  }
  const postgres = new PostgresStore({ url: DATABASE_URL, schema: `${schema}_store` })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-bench-store-'))
  const sqlite = new SqliteStore(dir)
  try {
    postgres.createBoard(board, hashes)
    sqlite.createBoard(board, hashes)
    return {
      postgres: time(() => postgres.appendUpdates(board.id, [update])),
      sqlite: time(() => sqlite.appendUpdates(board.id, [update])),
    }
  } finally {
    postgres.dropSchema()
    postgres.close()
    sqlite.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

async function startStip(schema: string, secret: string): Promise<Stip> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-bench-cluster-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      DATABASE_URL,
      STIP_DATABASE_SCHEMA: schema,
      STIP_CLUSTER_SECRET: secret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  track(child)
  child.once('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }))
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = ''
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
    })
    child.once('exit', (code) => reject(new Error(`stip exited (${code}) before listening: ${stderr}`)))
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString()
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) {
        if (!line.includes('"listening"')) continue
        const parsed = JSON.parse(line) as { port?: number }
        if (typeof parsed.port === 'number') resolve(parsed.port)
      }
    })
  })
  child.stdout?.resume()
  return { child, port, url: `http://127.0.0.1:${port}` }
}

async function createBoard(stip: Stip, name: string): Promise<{ id: string; token: string }> {
  const response = await fetch(`${stip.url}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (response.status !== 201) throw new Error(`creating a board failed: ${response.status}`)
  const board = (await response.json()) as { id: string; links: { participant: string } }
  return { id: board.id, token: new URL(board.links.participant).hash.replace(/^#token=/, '') }
}

const endpointOf = (stip: Stip, board: { id: string; token: string }) => ({
  dialect: 'y-websocket' as const,
  url: `ws://127.0.0.1:${stip.port}/sync/${board.id}?token=${board.token}`,
  docName: board.id,
  token: board.token,
})

/** A socket that only holds the board open on `stip`, so that it owns the board. */
async function anchor(stip: Stip, board: { id: string; token: string }): Promise<WebSocket> {
  const ws = new WebSocket(endpointOf(stip, board).url)
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.on('error', () => {})
  return ws
}

/** The fan-out of scenario 1 (fanout.ts), 1 room × 50 clients, 1 sender at 15 Hz, all on `on`. */
async function fanoutOn(owner: Stip, on: Stip, durationMs: number, name: string) {
  const board = await createBoard(owner, name)
  const hold = await anchor(owner, board)
  const pool = WorkerPool.start(4)
  try {
    const clients: WorkerClient[] = Array.from({ length: 50 }, (_, c) => ({
      id: `r0c${c}`,
      room: 0,
      endpoint: endpointOf(on, board),
      sender: c === 0,
    }))
    await pool.open('fanout', 15, clients)
    await pool.all({ type: 'create' }, 'created')
    if (!(await waitUntil(() => pool.converged(), 20_000, 200))) throw new Error('fan-out clients did not converge')
    const warmupMs = 1000
    const startAt = now() + 300
    await pool.all({ type: 'go', startAt, durationMs, warmupMs }, 'sent', durationMs + 120_000)
    const converged = await waitUntil(() => pool.converged(), 30_000, 100)
    const collected = await pool.all({ type: 'collect' }, 'collected')
    return { latency: summarize(collected.flatMap((answer) => answer.latencies)), converged }
  } finally {
    pool.stop()
    hold.close()
  }
}

async function measureFanout(processes: Stip[], durationMs: number): Promise<ClusterResult['fanout']> {
  const onOwner = await fanoutOn(processes[0], processes[0], durationMs, 'fan-out on the owner')
  const forwarded = await fanoutOn(processes[0], processes[1], durationMs, 'fan-out forwarded')
  return { onOwner: onOwner.latency, forwarded: forwarded.latency, converged: onOwner.converged && forwarded.converged }
}

/** Kills the owner of a fresh board; ms from the kill to a client synced through a survivor. */
async function measureFailover(processes: Stip[], victim: number): Promise<number> {
  const owner = processes[victim]
  const survivor = processes[(victim + 1) % processes.length]
  const board = await createBoard(survivor, 'failover')
  const hold = await anchor(owner, board)
  const exited = new Promise<void>((resolve) => owner.child.once('exit', () => resolve()))
  const killedAt = now()
  owner.child.kill('SIGKILL')
  await exited
  hold.terminate()
  // The survivor waits for the dead owner's lease to expire, then takes the board.
  const reader = await SyncClient.open(endpointOf(survivor, board), 4 * DEFAULT_LEASE_MS + 10_000)
  const ms = now() - killedAt
  reader.close()
  return ms
}

/** `boards` × 5 clients spread over the processes, one sender per board at 2 Hz. */
async function measureSpread(
  processes: Stip[],
  boards: number,
  durationMs: number,
): Promise<NonNullable<ClusterResult['spread']>> {
  const pool = WorkerPool.start(4)
  try {
    const clients: WorkerClient[] = []
    for (let r = 0; r < boards; r++) {
      const board = await createBoard(processes[r % processes.length], `spread-${r}`)
      for (let c = 0; c < 5; c++)
        clients.push({
          id: `r${r}c${c}`,
          room: r,
          endpoint: endpointOf(processes[(r + c) % processes.length], board),
          sender: c === 0,
        })
    }
    await pool.open('fanout', 2, clients)
    await pool.all({ type: 'create' }, 'created', 300_000)
    await sleep(1000)
    const before = processes.map((stip) => sampleProcess(stip.child.pid ?? 0))
    const startedAt = now()
    await pool.all({ type: 'go', startAt: now() + 300, durationMs, warmupMs: 0 }, 'sent', durationMs + 300_000)
    const seconds = (now() - startedAt) / 1000
    const after = processes.map((stip) => sampleProcess(stip.child.pid ?? 0))
    const owned = await Promise.all(
      processes.map(async (stip) => {
        const text = await (await fetch(`${stip.url}/metrics`)).text()
        return Number(/^stip_boards_owned (\d+)/m.exec(text)?.[1] ?? 0)
      }),
    )
    return {
      boards,
      clients: clients.length,
      perProcess: processes.map((_, i) => ({
        cpuPercent: (100 * (after[i].cpuSeconds - before[i].cpuSeconds)) / seconds,
        rssMiB: after[i].rssBytes / MiB,
        owned: owned[i],
      })),
    }
  } finally {
    pool.stop()
  }
}

/** The scenario's sizes: the quick run (CI's smoke check) keeps it to a few seconds of each. */
export function clusterConfig(quick: boolean): ClusterConfig {
  return quick
    ? { fanMs: 1500, kills: 2, boards: 0, storeCalls: 500 }
    : { fanMs: 10_000, kills: 10, boards: 300, storeCalls: 5000 }
}

/** The result as the report's rows (no baselines: the reference servers have no cluster). */
export function clusterRows(result: ClusterResult): { scenario: string; metric: string; stip: number }[] {
  const rows = [
    { scenario: 'store call (appendUpdates)', metric: 'PostgreSQL p50 µs', stip: result.storeCallUs.postgres.p50 },
    { scenario: 'store call (appendUpdates)', metric: 'PostgreSQL p99 µs', stip: result.storeCallUs.postgres.p99 },
    { scenario: 'store call (appendUpdates)', metric: 'SQLite p50 µs', stip: result.storeCallUs.sqlite.p50 },
    { scenario: 'store call (appendUpdates)', metric: 'SQLite p99 µs', stip: result.storeCallUs.sqlite.p99 },
    { scenario: 'cluster fan-out 1×50, on the owner', metric: 'latency p50 ms', stip: result.fanout.onOwner.p50 },
    { scenario: 'cluster fan-out 1×50, on the owner', metric: 'latency p99 ms', stip: result.fanout.onOwner.p99 },
    { scenario: 'cluster fan-out 1×50, forwarded', metric: 'latency p50 ms', stip: result.fanout.forwarded.p50 },
    { scenario: 'cluster fan-out 1×50, forwarded', metric: 'latency p99 ms', stip: result.fanout.forwarded.p99 },
    {
      scenario: `failover, lease ${result.leaseMs} ms`,
      metric: 'kill → synced median ms',
      stip: result.failoverMs.median,
    },
    { scenario: `failover, lease ${result.leaseMs} ms`, metric: 'kill → synced max ms', stip: result.failoverMs.max },
  ]
  for (const [i, process] of (result.spread?.perProcess ?? []).entries()) {
    const scenario = `${result.spread?.boards} boards × 5 clients, process ${i + 1}`
    rows.push(
      { scenario, metric: 'CPU %', stip: process.cpuPercent },
      { scenario, metric: 'RSS MiB', stip: process.rssMiB },
      { scenario, metric: 'boards owned', stip: process.owned },
    )
  }
  return rows
}
