/**
 * A worker process hosting some of a scenario's clients, so that clients never share the
 * server's process (nor all of one process). Driven over IPC by `lib/workers.ts`:
 * open → create → go → (fingerprints)* → collect → exit.
 *
 * - `fanout`: senders move their own shape at `hz`; every client records, for each shape
 *   change it observes from someone else, now − the sender's timestamp in the record. With
 *   `turn`, the room's senders take turns dragging one shared shape instead, one at a time,
 *   as people pass an object around in a session.
 * - `presence`: every client sends its cursor as awareness at `hz`; every client records
 *   the latency of each other client's cursor it receives.
 * - `session` (a session of 70, `scenarios/session.ts`): both at once — senders draw at
 *   `hz`, every client with `cursor` moves it at `cursorHz`, and every client (a display
 *   too) records strokes and cursors apart. `reconnect` then reopens every client, with
 *   the document it holds, on a restarted server's port, and answers when all are synced.
 */
import { createHash } from 'node:crypto'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { now } from './stats.ts'
import { type Endpoint, recordsFingerprint, SyncClient, shapeRecord } from './sync-client.ts'

export interface WorkerClient {
  id: string
  room: number
  endpoint: Endpoint
  sender: boolean
  /** `session` mode: whether it moves a cursor (a display does not). */
  cursor?: boolean
  /**
   * `fanout` mode, turn-taking: this sender is number `index` of the room's `of` senders, and
   * drags the room's shared shape in its turns of `ms`, counted from the start; else it waits.
   */
  turn?: { index: number; of: number; ms: number }
}

export type WorkerMode = 'fanout' | 'presence' | 'session'

export type ToWorker =
  | { type: 'open'; mode: WorkerMode; hz: number; cursorHz?: number; clients: WorkerClient[] }
  | { type: 'create' }
  | { type: 'go'; startAt: number; durationMs: number; warmupMs: number }
  | { type: 'fingerprints' }
  | { type: 'collect' }
  | { type: 'reconnect'; port: number }

export type FromWorker =
  | { type: 'opened' }
  | { type: 'created' }
  | { type: 'sent'; updates: number }
  | { type: 'fingerprints'; rooms: { room: number; hash: string }[] }
  | {
      type: 'collected'
      latencies: number[]
      observations: number
      cursorLatencies: number[]
      /** This process's own event-loop delay while measuring, p99 ms: the clients' share of each latency [1]. */
      loopDelayP99Ms: number
    }
  | { type: 'reconnected'; syncedAt: number; clients: number }
  | { type: 'error'; message: string }

interface Live {
  spec: WorkerClient
  client: SyncClient
  awareness?: awarenessProtocol.Awareness
}

let mode: WorkerMode = 'fanout'
let hz = 15
let cursorHz = 20
let live: Live[] = []
const latencies: number[] = []
/** `session` mode: cursor latencies, apart from the strokes' in `latencies`. */
const cursorLatencies: number[] = []
let observations = 0
let measureFrom = Number.POSITIVE_INFINITY
/** The loop-delay histogram's sampling interval: every value it records includes it [2]. */
const LOOP_RESOLUTION_MS = 10
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS })

const reply = (message: FromWorker) => process.send?.(message)

function observe(entry: Live): void {
  if (mode !== 'presence') {
    const records = entry.client.records
    records.observe((event) => {
      const t = now()
      for (const key of event.keysChanged) {
        const meta = entry.client.get(key)?.meta as { t?: number; by?: string } | undefined
        if (!meta?.t || meta.by === entry.spec.id || meta.t < measureFrom) continue
        latencies.push(t - meta.t)
        observations++
      }
    })
    if (mode === 'fanout') return
  }
  const own = entry.client.doc.clientID
  entry.client.onAwareness = (update) => {
    const t = now()
    const decoder = decoding.createDecoder(update)
    const count = decoding.readVarUint(decoder)
    for (let i = 0; i < count; i++) {
      const clientId = decoding.readVarUint(decoder)
      decoding.readVarUint(decoder) // clock
      const state = JSON.parse(decoding.readVarString(decoder)) as { t?: number } | null
      if (clientId === own || !state?.t || state.t < measureFrom) continue
      if (mode === 'session') cursorLatencies.push(t - state.t)
      else {
        latencies.push(t - state.t)
        observations++
      }
    }
  }
}

async function open(clients: WorkerClient[]): Promise<void> {
  for (const spec of clients) {
    const client = await SyncClient.open(spec.endpoint)
    const entry: Live = { spec, client }
    if (mode === 'presence' || (mode === 'session' && spec.cursor))
      entry.awareness = new awarenessProtocol.Awareness(client.doc)
    observe(entry)
    live.push(entry)
  }
}

/** The shape a sender moves: its own, or its room's shared one when they take turns. */
const shapeOf = (spec: WorkerClient) => (spec.turn ? `shape:r${spec.room}shared` : `shape:${spec.id}`)

function create(): void {
  for (const { spec, client } of live) {
    if (spec.sender && (spec.turn?.index ?? 0) === 0) client.put(shapeRecord(shapeOf(spec), 0, 0, { by: spec.id }))
  }
}

/** Sends for `warmupMs + durationMs`; only what was sent after the warm-up is measured. */
async function go(startAt: number, durationMs: number, warmupMs: number): Promise<number> {
  measureFrom = startAt + warmupMs
  const measuring = setTimeout(() => loopDelay.enable(), Math.max(0, measureFrom - now()))
  let updates = 0
  const draw = (entry: Live, tick: number, t: number) => {
    const x = Math.round(200 * Math.sin(tick / 10))
    const y = Math.round(200 * Math.cos(tick / 10))
    entry.client.put(shapeRecord(shapeOf(entry.spec), x, y, { by: entry.spec.id, t, seq: tick }))
  }
  /** Whether it is this sender's turn at `t` (always, for one that takes no turns). */
  const inTurn = ({ spec: { turn } }: Live, t: number) =>
    !turn || Math.floor((t - startAt) / turn.ms) % turn.of === turn.index
  const move = (entry: Live, tick: number, t: number) => {
    if (!entry.awareness) return
    const x = Math.round(200 * Math.sin(tick / 10))
    const y = Math.round(200 * Math.cos(tick / 10))
    entry.awareness.setLocalState({ cursor: { x, y }, name: entry.spec.id, t })
    entry.client.sendAwareness(awarenessProtocol.encodeAwarenessUpdate(entry.awareness, [entry.client.doc.clientID]))
  }
  const drawers = mode === 'presence' ? [] : live.filter((entry) => entry.spec.sender)
  const movers = mode === 'fanout' ? [] : live.filter((entry) => entry.awareness)
  const loop = (senders: Live[], rate: number, act: (entry: Live, tick: number, t: number) => void, counted: boolean) =>
    senders.map((entry, index) => {
      const interval = 1000 / rate
      const ticks = Math.floor(((warmupMs + durationMs) / 1000) * rate)
      // Senders are spread evenly over one interval, like people who don't move in lockstep
      // (or, taking turns, each on the beat of its own turns).
      const offset = entry.spec.turn ? 0 : (index / senders.length) * interval
      return new Promise<void>((resolve) => {
        let tick = 0
        const step = () => {
          if (tick >= ticks || entry.client.closed) return resolve()
          const t = now()
          if (inTurn(entry, t)) {
            act(entry, tick, t)
            if (counted && t >= measureFrom) updates++
          }
          tick++
          // Schedule against the start time so that a slow tick does not shift the rest.
          setTimeout(step, Math.max(0, startAt + offset + tick * interval - now()))
        }
        setTimeout(step, Math.max(0, startAt + offset - now()))
      })
    })
  await Promise.all([
    ...loop(drawers, hz, draw, true),
    ...loop(movers, mode === 'session' ? cursorHz : hz, move, mode === 'presence'),
  ])
  clearTimeout(measuring)
  loopDelay.disable()
  return updates
}

// [1] A message that reaches this process while it is still busy with others waits for its
//     turn: that wait is in the latency measured, and is none of the server's doing. With the
//     clients and the server on the same 2 cores, it is how much of a p99 the bench's own
//     clients add.
// [2] The histogram times its own timer from one firing to the next: an idle loop reads
//     about 10 ms at resolution 10 (p99 10.5 ms in a bare node process). The delay is what
//     comes on top, as `server/metrics.ts` reads it too.

/** Every client reopened on `port` with the document it holds; resolves when all are synced. */
async function reconnect(port: number): Promise<number> {
  await Promise.all(
    live.map(async (entry) => {
      const url = new URL(entry.client.endpoint.url)
      url.port = String(port)
      const onAwareness = entry.client.onAwareness
      entry.client = await entry.client.reopen(url.toString(), 120_000)
      entry.client.onAwareness = onAwareness
    }),
  )
  return now()
}

function fingerprints(): { room: number; hash: string }[] {
  return live.map(({ spec, client }) => ({
    room: spec.room,
    hash: createHash('sha1').update(recordsFingerprint(client.doc)).digest('hex'),
  }))
}

process.on('message', (message: ToWorker) => {
  const run = async () => {
    switch (message.type) {
      case 'open':
        mode = message.mode
        hz = message.hz
        cursorHz = message.cursorHz ?? cursorHz
        await open(message.clients)
        return reply({ type: 'opened' })
      case 'create':
        create()
        return reply({ type: 'created' })
      case 'go':
        return reply({ type: 'sent', updates: await go(message.startAt, message.durationMs, message.warmupMs) })
      case 'fingerprints':
        return reply({ type: 'fingerprints', rooms: fingerprints() })
      case 'collect':
        for (const entry of live) {
          entry.awareness?.destroy()
          entry.client.close()
        }
        live = []
        return reply({
          type: 'collected',
          latencies,
          observations,
          cursorLatencies,
          loopDelayP99Ms:
            loopDelay.count > 0 ? Math.max(0, loopDelay.percentile(99) / 1e6 - LOOP_RESOLUTION_MS) : Number.NaN,
        })
      case 'reconnect':
        return reply({ type: 'reconnected', syncedAt: await reconnect(message.port), clients: live.length })
    }
  }
  run().catch((error) => reply({ type: 'error', message: String(error?.stack ?? error) }))
})
process.on('disconnect', () => process.exit(0))
