/**
 * Scenario 8 (a session of 70, modelled on `../shared/SESSION.md`): 70 raw clients on one
 * board of 2,000 records; 10 of them draw at 15 Hz (a stroke: their shape changes), all 70
 * move their cursor at 20 Hz, and one display only watches. Every client records how long
 * each stroke and each cursor took to reach it, apart. Then the reconnect storm: the server
 * is restarted (SIGTERM, start again on the same data), all 71 reconnect at once with the
 * documents they hold, and we time until every one is synced. Documents must converge.
 * The server is primed first (`lib/prime.ts`); the restarted one the storm meets is not.
 */
import { primeServer } from '../lib/prime.ts'
import { MiB, machineBusy, sampleMachine, sampleProcess } from '../lib/proc.ts'
import { isDurable, type ServerKind, ServerProcess } from '../lib/servers.ts'
import { now, type Summary, sleep, summarize, waitUntil } from '../lib/stats.ts'
import { SyncClient, shapeRecord } from '../lib/sync-client.ts'
import type { WorkerClient } from '../lib/worker.ts'
import { WorkerPool } from '../lib/workers.ts'

export interface SessionSpec {
  people: number
  drawers: number
  records: number
  strokeHz: number
  cursorHz: number
  durationMs: number
}

export const SESSION_OF_70: Omit<SessionSpec, 'durationMs'> = {
  people: 70,
  drawers: 10,
  records: 2_000,
  strokeHz: 15,
  cursorHz: 20,
}

export interface SessionResult {
  server: ServerKind
  strokes: Summary
  cursors: Summary
  cpuSeconds: number
  peakRssMiB: number
  converged: boolean
  /** Process started again (after it stopped) → listening. */
  restartToListeningMs: number
  /** Listening again → every client synced; NaN for a server that keeps nothing across a restart. */
  stormMs: number
  /** The worst client process's own event-loop delay while measuring, p99 ms (`lib/worker.ts` [1]). */
  clientLoopDelayP99Ms: number
  /** How busy the machine's cores were while measuring, 0–1: server, clients and all. */
  machineBusy: number
}

export async function runSession(kind: ServerKind, spec: SessionSpec): Promise<SessionResult> {
  const server = await ServerProcess.start(kind)
  const pool = WorkerPool.start(4)
  try {
    await primeServer(server) // a session in progress, not a cold start (the storm's restart is cold)
    const room = await server.createRoom('session-70')
    const loader = await SyncClient.open(server.endpoint(room))
    for (let start = 0; start < spec.records; start += 500) {
      loader.doc.transact(() => {
        for (let i = start; i < Math.min(spec.records, start + 500); i++) {
          loader.put(shapeRecord(`shape:board${i}`, (i % 50) * 200, Math.floor(i / 50) * 120))
        }
      })
      await sleep(0)
    }
    const total = loader.records.size
    const check = await SyncClient.open(server.endpoint(room))
    await waitUntil(() => check.records.size >= total, 60_000, 10)
    check.close()
    loader.close()

    const clients: WorkerClient[] = []
    for (let i = 0; i < spec.people; i++) {
      clients.push({ id: `p${i}`, room: 0, endpoint: server.endpoint(room), sender: i < spec.drawers, cursor: true })
    }
    // The wall display: it receives everything and sends nothing.
    clients.push({ id: 'display', room: 0, endpoint: server.endpoint(room), sender: false, cursor: false })
    await pool.open('session', spec.strokeHz, clients, spec.cursorHz)
    await pool.all({ type: 'create' }, 'created')
    if (!(await waitUntil(() => pool.converged(), 30_000, 200)))
      throw new Error('clients did not converge after creating shapes')

    const warmupMs = 1000
    const startAt = now() + 300
    const go = pool.all(
      { type: 'go', startAt, durationMs: spec.durationMs, warmupMs },
      'sent',
      spec.durationMs + 120_000,
    )
    await sleep(startAt + warmupMs - now())
    const before = sampleProcess(server.pid)
    const machineBefore = sampleMachine()
    await go
    const machineAfter = sampleMachine()
    const converged = await waitUntil(() => pool.converged(), 30_000, 100)
    const after = sampleProcess(server.pid)

    // The reconnect storm.
    await server.stop()
    const restarted = now()
    await server.restart()
    const listening = now()
    let stormMs = Number.NaN
    if (isDurable(kind)) {
      const answers = await pool.all({ type: 'reconnect', port: server.port }, 'reconnected', 180_000)
      stormMs = Math.max(...answers.map((answer) => answer.syncedAt)) - listening
    }
    const collected = await pool.all({ type: 'collect' }, 'collected')
    return {
      server: kind,
      strokes: summarize(collected.flatMap((answer) => answer.latencies)),
      cursors: summarize(collected.flatMap((answer) => answer.cursorLatencies)),
      cpuSeconds: after.cpuSeconds - before.cpuSeconds,
      peakRssMiB: after.peakRssBytes / MiB,
      converged,
      restartToListeningMs: listening - restarted,
      stormMs,
      clientLoopDelayP99Ms: Math.max(...collected.map((answer) => answer.loopDelayP99Ms)),
      machineBusy: machineBusy(machineBefore, machineAfter),
    }
  } finally {
    pool.stop()
    await server.stop()
  }
}
