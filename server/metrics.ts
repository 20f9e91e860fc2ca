/**
 * Prometheus metrics (served at `GET /metrics`, each one documented in README "Metrics").
 * Counters are fed by room hooks, so rooms stay free of any metrics code; gauges (rooms,
 * connections) are read from the rooms when scraped, so they can never drift from the truth.
 *
 * Every server has its own prom-client `Registry`: tests start many servers in one process,
 * and the global default registry would mix their numbers and refuse duplicate names.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { closeCodeName } from '../shared/protocol.ts'
import { ROLES } from '../shared/roles.ts'
import type { RoomHooks } from './room/hooks.ts'
import type { RoomManager } from './room/rooms.ts'

export interface Metrics {
  readonly registry: Registry
  /** Feed these to the `RoomManager`. */
  readonly hooks: RoomHooks
  /** Gauges read the rooms from here (the manager is made after the hooks it runs). */
  watch(rooms: RoomManager): void
  /** An upgrade refused before any room was involved, by its HTTP status and reason (`shared/upgrade.ts`). */
  upgradeRefused(status: number, reason: string): void
  /** A connection closed by the socket layer itself (e.g. 1009, frame too large). */
  socketClosed(code: number): void
  /** Stops the event-loop monitor. */
  close(): void
}

/** Seconds; a store write is usually well under a millisecond, a slow disk shows in the tail. */
const WRITE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]
const LOAD_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/**
 * How often the event-loop monitor samples; each sample includes this wait, subtracted below.
 * Each sample wakes the process: idle, 15 s after its start, a server spent 16.5 ms of CPU a
 * second over 30 s at 10 ms, 2.5–7 at 50 ms (y-websocket: 0); a fan-out of 1×10 for 20 s
 * cost 0.70–0.78 s of CPU at 10 ms, 0.64–0.67 at 1 s (`bench/profile-steady.ts`). At 50 ms
 * a stall that long or longer (the gate's bound on one frame, issue #10) still delays a
 * sample by about its length; shorter ones are caught in proportion to their length.
 */
const LAG_RESOLUTION_MS = 50
/** Event-loop delay quantiles reported; 1 is the maximum. */
const LAG_QUANTILES = [0.5, 0.9, 0.99, 1]

export function createMetrics(): Metrics {
  const registry = new Registry()
  const registers = [registry]
  let rooms: RoomManager | undefined

  new Gauge({
    name: 'stip_rooms',
    help: 'Boards loaded in memory now (one room each).',
    registers,
    collect() {
      this.set(rooms?.rooms.size ?? 0)
    },
  })
  new Gauge({
    name: 'stip_connections',
    help: 'Sync connections open now, by role.',
    labelNames: ['role'],
    registers,
    collect() {
      const counts = new Map<string, number>(ROLES.map((role) => [role, 0]))
      for (const room of rooms?.rooms.values() ?? []) {
        for (const connection of room.connections) counts.set(connection.role, (counts.get(connection.role) ?? 0) + 1)
      }
      for (const [role, count] of counts) this.set({ role }, count)
    },
  })
  const updatesReceived = new Counter({
    name: 'stip_updates_received_total',
    help: 'Document updates accepted from clients and applied.',
    registers,
  })
  const bytesReceived = new Counter({
    name: 'stip_bytes_received_total',
    help: 'Bytes of every sync frame received from clients.',
    registers,
  })
  const bytesSent = new Counter({
    name: 'stip_bytes_sent_total',
    help: 'Bytes of every sync frame sent to clients.',
    registers,
  })
  const messagesSent = new Counter({
    name: 'stip_messages_sent_total',
    help: 'Sync frames sent to clients.',
    registers,
  })
  const storeWrite = new Histogram({
    name: 'stip_store_write_seconds',
    help: 'Time to write one batch of updates to the store, before it is broadcast.',
    buckets: WRITE_BUCKETS,
    registers,
  })
  const roomLoad = new Histogram({
    name: 'stip_room_load_seconds',
    help: 'Time to load a board from the store into a room.',
    buckets: LOAD_BUCKETS,
    registers,
  })
  const closed = new Counter({
    name: 'stip_connections_closed_total',
    help: 'Sync connections the server closed for cause, by close code and its name.',
    labelNames: ['code', 'reason'],
    registers,
  })
  const refused = new Counter({
    name: 'stip_upgrades_refused_total',
    help: 'Sync upgrades refused before any room was involved, by HTTP status and reason (bad_token, origin_not_allowed, …).',
    labelNames: ['status', 'reason'],
    registers,
  })

  // Node's own histogram of event-loop delay, per server so it stops with it (prom-client's
  // default metrics start one per call and never stop it, and tests start hundreds).
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS })
  lag.enable()
  new Gauge({
    name: 'stip_event_loop_lag_seconds',
    help: 'Event-loop delay since the previous scrape, by quantile (1: the maximum). High: every board is slow.',
    labelNames: ['quantile'],
    registers,
    collect() {
      for (const quantile of LAG_QUANTILES) {
        const nanoseconds = quantile === 1 ? lag.max : lag.percentile(quantile * 100)
        // Before the first sample the histogram is empty (its max is 0, its min huge).
        const delay = lag.count === 0 ? 0 : Math.max(0, nanoseconds / 1e6 - LAG_RESOLUTION_MS)
        this.set({ quantile: String(quantile) }, delay / 1000)
      }
      lag.reset()
    },
  })

  const countClose = (code: number) => closed.inc({ code: String(code), reason: closeCodeName(code) })

  return {
    registry,
    hooks: {
      onLoaded: ({ ms }) => roomLoad.observe(ms / 1000),
      onReceived: ({ bytes }) => bytesReceived.inc(bytes),
      onUpdateApplied: () => updatesReceived.inc(),
      onSent: ({ bytes }) => {
        messagesSent.inc()
        bytesSent.inc(bytes)
      },
      onStored: ({ ms }) => storeWrite.observe(ms / 1000),
      onClosed: ({ code }) => countClose(code),
    },
    watch(manager) {
      rooms = manager
    },
    upgradeRefused: (status, reason) => refused.inc({ status: String(status), reason }),
    socketClosed: countClose,
    close: () => lag.disable(),
  }
}
