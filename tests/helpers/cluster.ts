/**
 * Several real Stip processes on one real PostgreSQL (a fresh schema, dropped afterwards),
 * behind a plain round-robin TCP balancer, as an administrator would run them behind one
 * (README "Several processes"). The balancer sends each new connection to the next process
 * in turn and skips one that refuses the connection (killed, restarting), like a balancer's
 * passive health check. Processes can be killed, paused, stopped and replaced.
 */
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import pg from 'pg'
import { DEFAULT_DATABASE_URL } from '../../server/store/postgres.ts'
import { type ChildServer, startChildServer } from './child-server.ts'
import { createTempDir, type TempDir } from './temp-dir.ts'
import { waitFor } from './wait.ts'

export const DATABASE_URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL

/** Short leases keep the failover tests quick: a dead owner's boards move after this. */
export const TEST_LEASE_MS = 1000

export interface TestCluster {
  schema: string
  processes: ChildServer[]
  /** The balancer's address: `http://127.0.0.1:<port>` and `ws://…`. */
  url: string
  wsUrl: string
  /** Starts another process on the same database (it joins the balancer's rotation), with `env` beside the cluster's. */
  add(env?: Record<string, string>): Promise<ChildServer>
  /** Stops a process with SIGTERM, as a supervisor does in a rolling upgrade, and starts its successor in its place. */
  restart(old: ChildServer): Promise<ChildServer>
  /** Runs a query on the cluster's schema. */
  query<T extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<T[]>
  stop(): Promise<void>
}

export async function startTestCluster(count: number, env: Record<string, string> = {}): Promise<TestCluster> {
  const schema = `stip_cluster_${randomBytes(6).toString('hex')}`
  const secret = randomBytes(32).toString('hex')
  const dirs: TempDir[] = []
  const start = async (extra: Record<string, string> = {}) => {
    const dir = await createTempDir()
    dirs.push(dir)
    return startChildServer({
      dataDir: dir.path,
      env: {
        DATABASE_URL,
        STIP_DATABASE_SCHEMA: schema,
        STIP_CLUSTER_SECRET: secret,
        STIP_LEASE_MS: String(TEST_LEASE_MS),
        ...env,
        ...extra,
      },
    })
  }
  // The first creates the schema; the others then start side by side.
  const processes = [await start()]
  processes.push(...(await Promise.all(Array.from({ length: count - 1 }, () => start()))))

  let next = 0
  const sockets = new Set<net.Socket>()
  const balancer = net.createServer((client) => {
    sockets.add(client)
    client.on('close', () => sockets.delete(client))
    client.pause()
    const tryBackend = (tries: number) => {
      if (tries >= processes.length) return client.destroy()
      const backend = processes[next++ % processes.length]
      const upstream = net.connect(backend.port, '127.0.0.1')
      sockets.add(upstream)
      upstream.once('connect', () => {
        client.pipe(upstream)
        upstream.pipe(client)
        client.resume()
        upstream.on('close', () => client.destroy())
        client.on('close', () => upstream.destroy())
      })
      upstream.once('error', () => {
        sockets.delete(upstream)
        if (upstream.readyState !== 'open' && !client.destroyed) tryBackend(tries + 1)
        else client.destroy()
      })
    }
    client.on('error', () => {})
    tryBackend(0)
  })
  await new Promise<void>((resolve) => balancer.listen(0, '127.0.0.1', resolve))
  const port = (balancer.address() as net.AddressInfo).port

  const db = new pg.Client({ connectionString: DATABASE_URL })
  await db.connect()
  await db.query(`SET search_path TO "${schema}"`)

  return {
    schema,
    processes,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    async add(extra) {
      const child = await start(extra)
      processes.push(child)
      return child
    },
    async restart(old) {
      const index = processes.indexOf(old)
      if (index === -1) throw new Error('not one of the cluster’s processes')
      const exit = await old.terminate()
      if (exit.code !== 0) throw new Error(`the process did not stop cleanly: ${JSON.stringify(exit)}\n${old.stderr()}`)
      const successor = await start()
      processes[index] = successor
      return successor
    },
    async query<T extends pg.QueryResultRow>(text: string, values: unknown[] = []) {
      return (await db.query<T>(text, values)).rows
    },
    async stop() {
      balancer.close()
      for (const socket of sockets) socket.destroy()
      try {
        for (const child of processes) {
          child.process.kill('SIGCONT') // a paused one cannot die of SIGKILL's exit otherwise
          await child.kill9()
        }
      } finally {
        await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
        await db.end()
        for (const dir of dirs) await dir.remove()
      }
    },
  }
}

/** A Prometheus figure of one process (the sum over its label sets), 0 when absent. */
export async function metric(child: ChildServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${child.url}/metrics`)).text()
  let sum = 0
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue
    const [key, value] = line.split(' ')
    if (key === name || (key.startsWith(`${name}{`) && key.includes(labels))) sum += Number(value)
  }
  return sum
}

/** The process that owns the board now (by its lease), once one does. */
export async function ownerOf(cluster: TestCluster, boardId: string): Promise<ChildServer> {
  return waitFor(
    async () => {
      const [lease] = await cluster.query<{ address: string; live: boolean }>(
        'SELECT address, expires_at > now() AS live FROM leases WHERE board_id = $1',
        [boardId],
      )
      if (!lease?.live) return undefined
      return cluster.processes.find((child) => child.url === lease.address)
    },
    { timeoutMs: 10_000, message: `an owner of board ${boardId}` },
  )
}
