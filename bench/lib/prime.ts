/**
 * The same warm-up for every server before a steady-state scenario measures it: a few
 * clients in a room of their own send `PRIME_UPDATES` shape moves, unmeasured, and leave.
 *
 * Why: a fresh Node process runs each function unoptimized until V8 has seen it often, and
 * then compiles it on a background thread. A server with more code on the update path (a
 * gate, rights, a store) pays more of that compiling, once per process: in-process
 * (`bench/room-cost.ts`), Stip's room took several times more CPU per update over its first
 * ~2,500 updates than from then on, and TurboFan's threads spent 0.65 s on 140 functions
 * meanwhile (`--trace-opt`; docs/BENCHMARKS.md, "Where a fan-out's server CPU goes").
 * A 10 s scenario on a fresh process at 30 updates a second measures mostly that, not the
 * cost of the update path a facilitator's session runs on for hours. So scenarios prime
 * first, and report the prime's own CPU (`PrimeResult`) as what a restart costs once.
 */
import { sampleProcess } from './proc.ts'
import type { ServerProcess } from './servers.ts'
import { now, sleep } from './stats.ts'
import { SyncClient, shapeRecord } from './sync-client.ts'

/** Updates in the warm-up: past where the in-process CPU per update settled (see above). */
export const PRIME_UPDATES = 3000
/** Clients that send them, each at `PRIME_HZ` (well within the gate's rate per connection). */
const PRIME_CLIENTS = 5
const PRIME_HZ = 100

export interface PrimeResult {
  /** Server CPU seconds (all threads) while it took the warm-up's updates. */
  cpuSeconds: number
  ms: number
}

/**
 * Sends the warm-up to `server` and waits until every primer client holds all of it.
 * `STIP_BENCH_PRIME=0` leaves it out (CPU NaN), to compare a cold server.
 */
export async function primeServer(server: ServerProcess): Promise<PrimeResult> {
  if (process.env.STIP_BENCH_PRIME === '0') return { cpuSeconds: Number.NaN, ms: 0 }
  const room = await server.createRoom('prime')
  const clients = await Promise.all(Array.from({ length: PRIME_CLIENTS }, () => SyncClient.open(server.endpoint(room))))
  const before = sampleProcess(server.pid)
  const started = now()
  const perClient = Math.ceil(PRIME_UPDATES / PRIME_CLIENTS)
  const interval = 1000 / PRIME_HZ
  for (let tick = 0; tick < perClient; tick++) {
    clients.forEach((client, index) => {
      const id = `shape:prime${index}`
      client.put(shapeRecord(id, tick % 400, (tick * 7) % 300, { by: `prime${index}`, seq: tick }))
    })
    await sleep(started + (tick + 1) * interval - now())
  }
  // Done when every client has every other's last move (bounded).
  const last = perClient - 1
  const deadline = now() + 30_000
  const seqOf = (client: SyncClient, index: number) =>
    (client.get(`shape:prime${index}`)?.meta as { seq?: number } | undefined)?.seq
  const seen = () => clients.every((client) => clients.every((_, index) => seqOf(client, index) === last))
  while (!seen()) {
    if (now() > deadline) throw new Error(`${server.kind}: the warm-up's updates did not all arrive`)
    await sleep(20)
  }
  const after = sampleProcess(server.pid)
  for (const client of clients) client.close()
  return { cpuSeconds: after.cpuSeconds - before.cpuSeconds, ms: now() - started }
}
