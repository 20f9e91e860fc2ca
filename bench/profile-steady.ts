/**
 * A CPU profile of a server in the steady state of a fan-out, without its start or the
 * clients' joins: the server runs with its inspector open (on a free port), clients in
 * worker processes drag shapes as the fan-out scenario does (`scenarios/fanout.ts`), and
 * the profiler runs only from the end of the warm-up to the end of the drags. Prints the
 * CPU seconds the server spent meanwhile and the latencies the receivers saw.
 *
 *   npx tsx bench/profile-steady.ts [--server stip-full] [--rooms 1] [--clients 50]
 *     [--senders 5] [--hz 15] [--seconds 20] [--out /tmp/steady.cpuprofile] [--profile no]
 *     [--prime no]
 *
 * The server is primed first (`lib/prime.ts`) unless `--prime no`: without it, a fresh
 * process's first updates are mostly V8 compiling the update path.
 *
 * Run `node server/launch.js --build-server` first when the server's sources changed.
 */
import fs from 'node:fs'
import { WebSocket } from 'ws'
import { primeServer } from './lib/prime.ts'
import { sampleProcess } from './lib/proc.ts'
import { killAll, type ServerKind, ServerProcess } from './lib/servers.ts'
import { now, sleep, summarize, waitUntil } from './lib/stats.ts'
import type { WorkerClient } from './lib/worker.ts'
import { WorkerPool } from './lib/workers.ts'

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : process.argv[at + 1]
}
const kind = arg('server', 'stip-full') as ServerKind
const rooms = Number(arg('rooms', '1'))
const perRoom = Number(arg('clients', '50'))
const senders = Number(arg('senders', '5'))
const hz = Number(arg('hz', '15'))
const seconds = Number(arg('seconds', '20'))
const out = arg('out', '/tmp/steady.cpuprofile')
const profile = arg('profile', 'yes') !== 'no'
const prime = arg('prime', 'yes') !== 'no'

/** The inspector of a process, spoken to over its WebSocket (Chrome DevTools protocol). */
class Inspector {
  private next = 1
  private readonly waiting = new Map<number, (result: unknown) => void>()
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: unknown }
      if (message.id !== undefined) this.waiting.get(message.id)?.(message.result)
    })
  }

  static async open(url: string): Promise<Inspector> {
    const ws = new WebSocket(url)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    return new Inspector(ws)
  }

  call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.next++
    return new Promise<T>((resolve) => {
      this.waiting.set(id, (result) => resolve(result as T))
      this.ws.send(JSON.stringify({ id, method, params }))
    })
  }

  close(): void {
    this.ws.close()
  }
}

const env = profile ? { NODE_OPTIONS: '--inspect=127.0.0.1:0' } : {}
const server = await ServerProcess.start(kind, undefined, env)
const pool = WorkerPool.start(Math.min(4, rooms * perRoom))
try {
  const primed = prime ? await primeServer(server) : null
  const clients: WorkerClient[] = []
  for (let r = 0; r < rooms; r++) {
    const room = await server.createRoom(`steady-${r}`)
    for (let c = 0; c < perRoom; c++)
      clients.push({ id: `r${r}c${c}`, room: r, endpoint: server.endpoint(room), sender: c < senders })
  }
  clients.sort((a, b) => Number(a.id.split('c')[1]) - Number(b.id.split('c')[1]) || a.room - b.room)
  await pool.open('fanout', hz, clients)
  await pool.all({ type: 'create' }, 'created')
  if (!(await waitUntil(() => pool.converged(), 20_000, 200))) throw new Error('clients did not converge')
  const inspectorUrl = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(server.stderrTail)?.[0]
  const inspector = profile && inspectorUrl ? await Inspector.open(inspectorUrl) : null
  if (profile && !inspector) throw new Error(`no inspector address in the server's stderr: ${server.stderrTail}`)
  await inspector?.call('Profiler.enable')
  await inspector?.call('Profiler.setSamplingInterval', { interval: 1000 })

  const warmupMs = 2000
  const durationMs = seconds * 1000
  const startAt = now() + 300
  const go = pool.all({ type: 'go', startAt, durationMs, warmupMs }, 'sent', durationMs + 120_000)
  await sleep(startAt + warmupMs - now())
  await inspector?.call('Profiler.start')
  const before = sampleProcess(server.pid)
  const measuredFrom = now()
  const sent = (await go).reduce((sum, answer) => sum + answer.updates, 0)
  const after = sampleProcess(server.pid)
  const measuredMs = now() - measuredFrom
  if (inspector) {
    const { profile: cpuProfile } = await inspector.call<{ profile: unknown }>('Profiler.stop')
    fs.writeFileSync(out, JSON.stringify(cpuProfile))
    inspector.close()
  }
  const converged = await waitUntil(() => pool.converged(), 30_000, 100)
  const collected = await pool.all({ type: 'collect' }, 'collected')
  const latency = summarize(collected.flatMap((answer) => answer.latencies))
  const observations = collected.reduce((sum, answer) => sum + answer.observations, 0)
  const cpuSeconds = after.cpuSeconds - before.cpuSeconds
  console.log(
    JSON.stringify({
      server: kind,
      primeCpuSeconds: primed?.cpuSeconds ?? null,
      size: `${rooms}×${perRoom} (${senders} senders at ${hz} Hz)`,
      seconds: Math.round(measuredMs) / 1000,
      sent,
      observations,
      cpuSeconds,
      systemSeconds: after.systemSeconds - before.systemSeconds,
      mainThreadSeconds: after.mainThreadSeconds - before.mainThreadSeconds,
      cpuMsPerDelivered: (1000 * cpuSeconds) / Math.max(1, observations),
      peakRssMiB: Math.round(after.peakRssBytes / 2 ** 20),
      latency,
      converged,
      profile: inspector ? out : null,
    }),
  )
} finally {
  pool.stop()
  await server.stop()
  killAll()
}
