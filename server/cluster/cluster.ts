/**
 * Several Stip processes on one PostgreSQL (README "Several processes"): this file puts
 * together what a process needs to be one of them — its leases (lease.ts: one owner per
 * board, fenced writes), the hop to an owner (hop.ts), the messages every process must hear
 * (`LISTEN/NOTIFY`: a board's tokens changed, so its sockets are checked wherever they
 * are), and the figures `/metrics` shows (boards owned, leases taken over, forwarded
 * connections). Presence and signals need no broker: they stay in the owner's room.
 */
import { randomBytes } from 'node:crypto'
import type pg from 'pg'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { ClusterConfig } from '../config.ts'
import type { Logger } from '../log.ts'
import type { RoomManager } from '../room/rooms.ts'
import type { PostgresStore } from '../store/postgres.ts'
import { LeaseKeeper } from './lease.ts'

/** What the HTTP layer (sync.ts, the API's forwarding) needs of the cluster. */
export interface ClusterContext {
  secret: string
  leaseMs: number
  /** This process's id in the leases table. */
  owner: string
  stats: {
    forwardOpened(boardId: string): void
    forwardClosed(boardId: string): void
  }
  /** Whether this process takes new sockets (false while it hands its boards over). */
  ready(): boolean
}

export interface Cluster extends ClusterContext {
  keeper: LeaseKeeper
  /** Starts the heartbeat and the listener, once the process knows its address. */
  start(address: string): Promise<void>
  /** Stops taking boards (SIGTERM): what it owns is handed over as its rooms are released. */
  drain(): void
  close(): Promise<void>
}

export function createCluster(options: {
  config: ClusterConfig
  databaseUrl: string
  store: PostgresStore
  rooms: RoomManager
  registry: Registry
  log: Logger
}): Cluster {
  const { config, store, rooms, registry, log } = options
  const owner = `${process.pid}-${randomBytes(6).toString('hex')}`
  const keeper = new LeaseKeeper(store, {
    owner,
    address: '',
    leaseMs: config.leaseMs,
    log,
    onLost: (boards) => rooms.dropLost(boards),
  })
  rooms.ownership = keeper
  const forwarded = new Map<string, number>()
  let listener: pg.Client | null = null
  let listening = false
  let draining = false

  new Gauge({
    name: 'stip_boards_owned',
    help: 'Boards whose lease this process holds now (it serves their rooms).',
    registers: [registry],
    collect() {
      this.set(keeper.owned)
    },
  })
  new Counter({
    name: 'stip_leases_taken_over_total',
    help: 'Leases this process took from an owner that let them expire (it died or was paused).',
    registers: [registry],
    collect() {
      this.reset()
      this.inc(keeper.takenOver)
    },
  })
  const forwardedTotal = new Counter({
    name: 'stip_forwarded_connections_total',
    help: 'Sync connections this process forwarded to the board’s owner.',
    registers: [registry],
  })
  new Gauge({
    name: 'stip_forwarded_connections',
    help: 'Sync connections forwarded to another process now, and the boards they are for.',
    labelNames: ['what'],
    registers: [registry],
    collect() {
      let connections = 0
      for (const count of forwarded.values()) connections += count
      this.set({ what: 'connections' }, connections)
      this.set({ what: 'boards' }, forwarded.size)
    },
  })

  const listen = async () => {
    // Loaded here, not at the top: only a process that shares a database needs pg, and
    // importing it cost every SQLite start about 40 ms (pg reads `navigator`, which loads undici).
    const { default: pgModule } = await import('pg')
    const client = new pgModule.Client({ connectionString: options.databaseUrl, application_name: 'stip-listen' })
    client.on('notification', (message) => {
      if (message.channel !== store.tokensChannel || !message.payload) return
      const closed = rooms.recheckTokens(message.payload)
      if (closed > 0) log.info('tokens changed elsewhere; sockets closed', { board: message.payload, closed })
    })
    client.on('error', (error) => {
      log.warn('notification listener lost; reconnecting', { error: String(error) })
      listening = false
      listener = null
      setTimeout(() => void listen().catch(() => {}), 1000).unref()
    })
    await client.connect()
    await client.query(`LISTEN "${store.tokensChannel}"`)
    listener = client
    listening = true
    // Anything missed while not listening: check every open socket once.
    rooms.recheckTokens()
  }

  return {
    secret: config.secret,
    leaseMs: config.leaseMs,
    owner,
    keeper,
    stats: {
      forwardOpened(boardId) {
        forwardedTotal.inc()
        forwarded.set(boardId, (forwarded.get(boardId) ?? 0) + 1)
      },
      forwardClosed(boardId) {
        const left = (forwarded.get(boardId) ?? 1) - 1
        if (left <= 0) forwarded.delete(boardId)
        else forwarded.set(boardId, left)
      },
    },
    ready: () => listening && !draining,
    async start(address) {
      keeper.options.address = address
      keeper.start()
      await listen()
    },
    drain() {
      draining = true
      keeper.draining = true
    },
    async close() {
      keeper.stop()
      const client = listener
      listener = null
      listening = false
      await client?.end().catch(() => {})
    },
  }
}
