/**
 * Scenario 1 (fan-out latency) and 3 (presence storm): rooms × clients of raw y-protocols
 * clients in worker processes; senders write at a fixed rate and every other client in
 * the room records how long each write took to reach it. Documents must converge. With
 * `turnMs`, the senders of a room take turns dragging one shared shape (turn-taking drags).
 * Each server is primed first (`lib/prime.ts`), so that what is measured is a warm server,
 * as a session sees it after its first minute, and not V8 compiling the update path.
 */
import { primeServer } from '../lib/prime.ts'
import { MiB, sampleProcess } from '../lib/proc.ts'
import { type ServerKind, ServerProcess } from '../lib/servers.ts'
import { now, type Summary, sleep, summarize, waitUntil } from '../lib/stats.ts'
import type { WorkerClient } from '../lib/worker.ts'
import { WorkerPool } from '../lib/workers.ts'

export interface FanoutSpec {
  mode: 'fanout' | 'presence'
  rooms: number
  clientsPerRoom: number
  sendersPerRoom: number
  hz: number
  durationMs: number
  /** Turn-taking: the senders drag one shared shape, each for turns of this long, in order. */
  turnMs?: number
}

export interface FanoutResult {
  server: ServerKind
  latency: Summary
  /** Observations per second across all receivers. */
  deliveredPerSec: number
  /** Observations / (writes × receivers per write); below 1 when writes were merged or lost. */
  deliveredShare: number
  sent: number
  cpuSeconds: number
  cpuPercent: number
  /** CPU seconds the fresh process spent on the warm-up before (`lib/prime.ts`): paid once per start. */
  primeCpuSeconds: number
  peakRssMiB: number
  converged: boolean
  settleMs: number
}

export const sizeLabel = (spec: FanoutSpec) => {
  const size = `${spec.rooms}×${spec.clientsPerRoom}`
  if (spec.mode === 'presence') return size
  const turns = spec.turnMs ? `, turns of ${spec.turnMs / 1000} s` : ''
  return `${size} (${spec.sendersPerRoom} movers${turns})`
}

export async function runFanout(kind: ServerKind, spec: FanoutSpec): Promise<FanoutResult> {
  const server = await ServerProcess.start(kind)
  const total = spec.rooms * spec.clientsPerRoom
  const pool = WorkerPool.start(Math.min(4, total))
  try {
    const primed = await primeServer(server)
    const clients: WorkerClient[] = []
    for (let r = 0; r < spec.rooms; r++) {
      const room = await server.createRoom(`bench-${spec.mode}-${r}`)
      for (let c = 0; c < spec.clientsPerRoom; c++) {
        const sender = c < spec.sendersPerRoom
        const turn = sender && spec.turnMs ? { index: c, of: spec.sendersPerRoom, ms: spec.turnMs } : undefined
        clients.push({ id: `r${r}c${c}`, room: r, endpoint: server.endpoint(room), sender, turn })
      }
    }
    // Interleave rooms so that each worker hosts clients of every room.
    clients.sort((a, b) => Number(a.id.split('c')[1]) - Number(b.id.split('c')[1]) || a.room - b.room)
    await pool.open(spec.mode, spec.hz, clients)
    await pool.all({ type: 'create' }, 'created')
    if (!(await waitUntil(() => pool.converged(), 20_000, 200)))
      throw new Error('clients did not converge after creating shapes')

    const warmupMs = 1000
    const startAt = now() + 300
    const go = pool.all(
      { type: 'go', startAt, durationMs: spec.durationMs, warmupMs },
      'sent',
      spec.durationMs + 120_000,
    )
    await sleep(startAt + warmupMs - now())
    const measuredFrom = now()
    const before = sampleProcess(server.pid)
    const sentAnswers = await go
    const sentAt = now()
    const converged = await waitUntil(() => pool.converged(), 30_000, 100)
    const settleMs = now() - sentAt
    const after = sampleProcess(server.pid)
    await sleep(50)
    const collected = await pool.all({ type: 'collect' }, 'collected')
    const latencies = collected.flatMap((answer) => answer.latencies)
    const observations = collected.reduce((sum, answer) => sum + answer.observations, 0)
    const sent = sentAnswers.reduce((sum, answer) => sum + answer.updates, 0)
    const receiversPerWrite = spec.clientsPerRoom - 1
    const seconds = spec.durationMs / 1000
    const cpuSeconds = after.cpuSeconds - before.cpuSeconds
    return {
      server: kind,
      latency: summarize(latencies),
      deliveredPerSec: observations / seconds,
      deliveredShare: observations / Math.max(1, sent * receiversPerWrite),
      sent,
      cpuSeconds,
      cpuPercent: (100 * cpuSeconds) / ((sentAt + settleMs - measuredFrom) / 1000),
      primeCpuSeconds: primed.cpuSeconds,
      peakRssMiB: after.peakRssBytes / MiB,
      converged,
      settleMs,
    }
  } finally {
    pool.stop()
    await server.stop()
  }
}
