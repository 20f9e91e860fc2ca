/**
 * A worker process hosting some of a scenario's clients, so that clients never share the
 * server's process (nor all of one process). Driven over IPC by `lib/workers.ts`:
 * open → create → go → (fingerprints)* → collect → exit.
 *
 * - `fanout`: senders move their own shape at `hz`; every client records, for each shape
 *   change it observes from someone else, now − the sender's timestamp in the record.
 * - `presence`: every client sends its cursor as awareness at `hz`; every client records
 *   the latency of each other client's cursor it receives.
 */
import { createHash } from 'node:crypto'
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { now } from './stats.ts'
import { type Endpoint, recordsFingerprint, SyncClient, shapeRecord } from './sync-client.ts'

export interface WorkerClient {
  id: string
  room: number
  endpoint: Endpoint
  sender: boolean
}

export type ToWorker =
  | { type: 'open'; mode: 'fanout' | 'presence'; hz: number; clients: WorkerClient[] }
  | { type: 'create' }
  | { type: 'go'; startAt: number; durationMs: number; warmupMs: number }
  | { type: 'fingerprints' }
  | { type: 'collect' }

export type FromWorker =
  | { type: 'opened' }
  | { type: 'created' }
  | { type: 'sent'; updates: number }
  | { type: 'fingerprints'; rooms: { room: number; hash: string }[] }
  | { type: 'collected'; latencies: number[]; observations: number }
  | { type: 'error'; message: string }

interface Live {
  spec: WorkerClient
  client: SyncClient
  awareness?: awarenessProtocol.Awareness
}

let mode: 'fanout' | 'presence' = 'fanout'
let hz = 15
let live: Live[] = []
const latencies: number[] = []
let observations = 0
let measureFrom = Number.POSITIVE_INFINITY

const reply = (message: FromWorker) => process.send?.(message)

function observe(entry: Live): void {
  if (mode === 'fanout') {
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
    return
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
      latencies.push(t - state.t)
      observations++
    }
  }
}

async function open(clients: WorkerClient[]): Promise<void> {
  for (const spec of clients) {
    const client = await SyncClient.open(spec.endpoint)
    const entry: Live = { spec, client }
    if (mode === 'presence') entry.awareness = new awarenessProtocol.Awareness(client.doc)
    observe(entry)
    live.push(entry)
  }
}

function create(): void {
  for (const { spec, client } of live) {
    if (spec.sender) client.put(shapeRecord(`shape:${spec.id}`, 0, 0, { by: spec.id }))
  }
}

/** Sends for `warmupMs + durationMs`; only what was sent after the warm-up is measured. */
async function go(startAt: number, durationMs: number, warmupMs: number): Promise<number> {
  measureFrom = startAt + warmupMs
  const senders = live.filter((entry) => mode === 'presence' || entry.spec.sender)
  const interval = 1000 / hz
  const ticks = Math.floor(((warmupMs + durationMs) / 1000) * hz)
  let updates = 0
  // Senders are spread evenly over one interval, like people who don't move in lockstep.
  const loops = senders.map(
    (entry, index) =>
      new Promise<void>((resolve) => {
        let tick = 0
        const offset = (index / senders.length) * interval
        const step = () => {
          if (tick >= ticks || entry.client.closed) return resolve()
          const t = now()
          const x = Math.round(200 * Math.sin(tick / 10))
          const y = Math.round(200 * Math.cos(tick / 10))
          if (mode === 'fanout') {
            const id = `shape:${entry.spec.id}`
            entry.client.put(shapeRecord(id, x, y, { by: entry.spec.id, t, seq: tick }))
          } else if (entry.awareness) {
            entry.awareness.setLocalState({ cursor: { x, y }, name: entry.spec.id, t })
            entry.client.sendAwareness(
              awarenessProtocol.encodeAwarenessUpdate(entry.awareness, [entry.client.doc.clientID]),
            )
          }
          if (t >= measureFrom) updates++
          tick++
          // Schedule against the start time so that a slow tick does not shift the rest.
          setTimeout(step, Math.max(0, startAt + offset + tick * interval - now()))
        }
        setTimeout(step, Math.max(0, startAt + offset - now()))
      }),
  )
  await Promise.all(loops)
  return updates
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
        return reply({ type: 'collected', latencies, observations })
    }
  }
  run().catch((error) => reply({ type: 'error', message: String(error?.stack ?? error) }))
})
process.on('disconnect', () => process.exit(0))
