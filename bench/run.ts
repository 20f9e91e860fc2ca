/**
 * Stip's benchmark suite: `npm run bench` (full, about 17 min on a quiet machine) or
 * `npm run bench -- --quick` (< 3 min, the CI smoke check; no timing assertions). Starts
 * every server in its own process, prints one table of Stip against the baselines from the
 * same run, and writes it with the raw results to bench/results/. Exits non-zero when a
 * scenario fails (e.g. clients that did not end with identical documents), never because of
 * a timing.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { PRIME_UPDATES } from './lib/prime.ts'
import { isStip, killAll, ROOT, type ServerKind } from './lib/servers.ts'
import { median, ratio, round } from './lib/stats.ts'
import { type BrowserResult, runBrowser } from './scenarios/browser.ts'
import { clusterConfig, clusterRows, runCluster } from './scenarios/cluster.ts'
import { type ColdJoinResult, runColdJoin } from './scenarios/cold-join.ts'
import { type DisplayHeapResult, runDisplayHeap } from './scenarios/display-heap.ts'
import { type Kill9Result, runKill9 } from './scenarios/durability.ts'
import { type FanoutResult, type FanoutSpec, runFanout, sizeLabel } from './scenarios/fanout.ts'
import { type GrowthResult, runGrowth } from './scenarios/growth.ts'
import { runSession, SESSION_OF_70, type SessionResult } from './scenarios/session.ts'
import { runStart, type StartResult } from './scenarios/start.ts'

const quick = process.argv.includes('--quick')
/** `--only <word>`: run only the scenarios whose name contains it, e.g. `--only browser`. */
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined

// Every process we start dies with us, however we end.
process.on('exit', killAll)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAll()
    process.exit(130)
  })
}
/** Load averages (1 min) seen at start and end: figures from a busy machine are not comparable. */
const loadAtStart = os.loadavg()[0]
const BENCH = path.join(ROOT, 'bench')

// A fresh clone has no baselines yet: install them from bench/package-lock.json.
if (!fs.existsSync(path.join(BENCH, 'node_modules', '@hocuspocus', 'server'))) {
  console.log('installing baselines (npm ci --prefix bench)…')
  execFileSync('npm', ['ci', '--prefix', BENCH, '--no-audit', '--no-fund'], { stdio: 'inherit', cwd: ROOT })
}

// Stip runs as `npm start` runs it: bundled (server/launch.js); build it and the client now,
// so that no scenario's start pays for a build.
execFileSync(process.execPath, [path.join(ROOT, 'server', 'launch.js'), '--build'], { stdio: 'inherit', cwd: ROOT })

const BASELINES: ServerKind[] = ['y-websocket', 'hocuspocus-sqlite']
/** How long one sender drags in the turn-taking row before the next takes over. */
const TURN_MS = 1000
const config = quick
  ? {
      fanMs: 1500,
      sizes: [
        [1, 10, 2],
        [1, 50, 5],
      ],
      // No turn-taking row: CI runs this, and it must stay short.
      turns: null,
      cold: [10_000],
      coldRepeats: 1,
      presenceMs: 1500,
      moves: 5_000,
      browser: [1000],
      frameMs: 1500,
      burst: 2_000,
      sessionMs: 1500,
      // The smoke check runs the session against Stip alone (and no durability modes).
      sessionServers: ['stip-full'] as ServerKind[],
      sessionModes: [] as ServerKind[],
      starts: 1,
      // The display's heap needs many updates to mean anything: full run only.
      displayUpdates: 0,
      tourStops: 0,
    }
  : {
      fanMs: 10_000,
      sizes: [
        [1, 10, 2],
        [1, 50, 5],
        [1, 100, 5, 3],
        [1, 100, 20, 3],
        [10, 20, 2, 3],
      ],
      // Turn-taking drags: a room's senders pass one shape around, a turn of TURN_MS each.
      turns: [1, 50, 5],
      cold: [10_000, 50_000],
      coldRepeats: 3,
      presenceMs: 10_000,
      moves: 100_000,
      browser: [1000, 5000, 10_000],
      frameMs: 5000,
      burst: 10_000,
      sessionMs: 10_000,
      sessionServers: ['stip-full', ...BASELINES] as ServerKind[],
      sessionModes: ['stip-strict', 'stip-memory'] as ServerKind[],
      starts: 3,
      displayUpdates: 100_000,
      tourStops: 500,
    }

/** One table row: Stip's figure, each baseline's, the better baseline, the ratio and the goal. */
interface Row {
  scenario: string
  metric: string
  stip: number
  baselines: Partial<Record<ServerKind, number>>
  goal?: { text: string; met: boolean }
  /** Counts (records lost, recovered) where "lower is better" does not hold: no ratio. */
  noRatio?: boolean
  /** Throughput rows: the better baseline is the higher one. */
  higherIsBetter?: boolean
}

const rows: Row[] = []
const raw: Record<string, unknown[]> = {}
const failures: string[] = []
/** What a reader of the table should know that is no failure (a baseline that fell behind). */
const notes: string[] = []

function better(row: Row): number {
  const values = Object.values(row.baselines).filter((v): v is number => Number.isFinite(v))
  if (!values.length) return Number.NaN
  return row.higherIsBetter ? Math.max(...values) : Math.min(...values)
}

async function scenario(name: string, run: () => Promise<void>): Promise<void> {
  if (only && !name.includes(only)) return
  const started = Date.now()
  console.log(`\n▶ ${name}`)
  try {
    await run()
  } catch (error) {
    failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`)
    console.log(`  FAILED: ${String(error)}`)
  }
  console.log(`  (${Math.round((Date.now() - started) / 1000)} s)`)
}

function record(key: string, value: unknown): void {
  const list = raw[key] ?? []
  list.push(value)
  raw[key] = list
  console.log(`  ${JSON.stringify(value)}`)
}

const fanSpec = (
  rooms: number,
  clients: number,
  senders: number,
  mode: FanoutSpec['mode'] = 'fanout',
  hz = 15,
  durationMs = config.fanMs,
  turnMs?: number,
): FanoutSpec => ({
  mode,
  rooms,
  clientsPerRoom: clients,
  sendersPerRoom: senders,
  hz,
  durationMs,
  turnMs,
})

async function fanoutRow(
  scenarioName: string,
  spec: FanoutSpec,
  stipKind: ServerKind,
  baselines: ServerKind[],
  withGoals: boolean,
  repeats = 1,
): Promise<Record<string, FanoutResult>> {
  // With several repeats the servers take turns (A B C A B C …) and each figure is the
  // median over its repeats: at 100 clients on 2 cores the clients saturate and one run
  // alone swings by 2–3×.
  const runs: Record<string, FanoutResult[]> = {}
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const kind of [stipKind, ...baselines]) {
      const result = await runFanout(kind, spec)
      record(scenarioName, { size: sizeLabel(spec), repeat, ...result })
      if (!result.converged)
        failures.push(`${scenarioName} ${sizeLabel(spec)} ${kind}: clients ended with different documents`)
      runs[kind] = [...(runs[kind] ?? []), result]
    }
  }
  const results: Record<string, FanoutResult> = {}
  for (const [kind, list] of Object.entries(runs)) results[kind] = medianRun(list)
  const pick = (f: (r: FanoutResult) => number) => Object.fromEntries(baselines.map((kind) => [kind, f(results[kind])]))
  const label = `${scenarioName} ${sizeLabel(spec)}`
  const p99: Row = {
    scenario: label,
    metric: 'latency p99 ms',
    stip: results[stipKind].latency.p99,
    baselines: pick((r) => r.latency.p99),
  }
  const cpu: Row = {
    scenario: label,
    metric: 'server CPU s',
    stip: results[stipKind].cpuSeconds,
    baselines: pick((r) => r.cpuSeconds),
  }
  const rss: Row = {
    scenario: label,
    metric: 'server peak RSS MiB',
    stip: results[stipKind].peakRssMiB,
    baselines: pick((r) => r.peakRssMiB),
  }
  // #15 goals 1 and 2: fan-out p99 ≤ 0.8×, CPU for the same updates ≤ 1.0×, RSS ≤ 1.1×.
  if (withGoals) {
    p99.goal = { text: '≤ 0.8× better baseline', met: p99.stip <= 0.8 * better(p99) }
    cpu.goal = { text: '≤ 1.0× better baseline', met: cpu.stip <= better(cpu) }
    rss.goal = { text: '≤ 1.1× better baseline', met: rss.stip <= 1.1 * better(rss) }
  }
  rows.push(
    {
      scenario: label,
      metric: 'latency p50 ms',
      stip: results[stipKind].latency.p50,
      baselines: pick((r) => r.latency.p50),
    },
    {
      scenario: label,
      metric: 'latency p95 ms',
      stip: results[stipKind].latency.p95,
      baselines: pick((r) => r.latency.p95),
    },
    p99,
    {
      scenario: label,
      metric: 'latency max ms',
      stip: results[stipKind].latency.max,
      baselines: pick((r) => r.latency.max),
    },
    {
      scenario: label,
      metric: 'delivered/s',
      higherIsBetter: true,
      stip: results[stipKind].deliveredPerSec,
      baselines: pick((r) => r.deliveredPerSec),
    },
    cpu,
    rss,
    {
      scenario: label,
      metric: `server CPU s of its warm-up (${PRIME_UPDATES} updates, once per start)`,
      stip: results[stipKind].primeCpuSeconds,
      baselines: pick((r) => r.primeCpuSeconds),
    },
  )
  return results
}

/** The per-metric median of several runs of one server. */
function medianRun(list: FanoutResult[]): FanoutResult {
  const m = (f: (r: FanoutResult) => number) => median(list.map(f))
  return {
    ...list[0],
    latency: {
      n: m((r) => r.latency.n),
      p50: m((r) => r.latency.p50),
      p95: m((r) => r.latency.p95),
      p99: m((r) => r.latency.p99),
      max: m((r) => r.latency.max),
    },
    deliveredPerSec: m((r) => r.deliveredPerSec),
    deliveredShare: m((r) => r.deliveredShare),
    cpuSeconds: m((r) => r.cpuSeconds),
    cpuPercent: m((r) => r.cpuPercent),
    primeCpuSeconds: m((r) => r.primeCpuSeconds),
    peakRssMiB: m((r) => r.peakRssMiB),
    converged: list.every((r) => r.converged),
  }
}

const started = Date.now()
try {
  await scenario('1. fan-out latency (15 Hz drags)', async () => {
    for (const [rooms, clients, senders, repeats = 1] of config.sizes)
      await fanoutRow('fan-out', fanSpec(rooms, clients, senders), 'stip-full', BASELINES, true, repeats)
    if (config.turns) {
      const [rooms, clients, senders] = config.turns
      const turns = fanSpec(rooms, clients, senders, 'fanout', 15, config.fanMs, TURN_MS)
      await fanoutRow('turn-taking drags', turns, 'stip-full', BASELINES, true)
    }
  })

  await scenario('2. cold join', async () => {
    for (const records of config.cold) {
      const results: Record<string, ColdJoinResult> = {}
      for (const kind of ['stip-full', ...BASELINES] as ServerKind[]) {
        results[kind] = await runColdJoin(kind, records, config.coldRepeats)
        record('cold-join', results[kind])
      }
      const label = `cold join ${records / 1000}k`
      const memory: Row = {
        scenario: label,
        metric: 'from memory ms',
        stip: results['stip-full'].fromMemoryMs,
        baselines: {
          'y-websocket': results['y-websocket'].fromMemoryMs,
          'hocuspocus-sqlite': results['hocuspocus-sqlite'].fromMemoryMs,
        },
      }
      const afterChange: Row = {
        scenario: label,
        metric: 'first join after a change ms',
        stip: results['stip-full'].afterChangeMs,
        baselines: {
          'y-websocket': results['y-websocket'].afterChangeMs,
          'hocuspocus-sqlite': results['hocuspocus-sqlite'].afterChangeMs,
        },
      }
      const storage: Row = {
        scenario: label,
        metric: 'from storage ms',
        stip: results['stip-full'].fromStorageMs ?? Number.NaN,
        baselines: { 'hocuspocus-sqlite': results['hocuspocus-sqlite'].fromStorageMs ?? Number.NaN },
      }
      // #15 goal 3: at 10k and 50k records alike.
      for (const row of [memory, afterChange, storage])
        row.goal = { text: '≤ 0.5× better baseline', met: row.stip <= 0.5 * better(row) }
      rows.push(memory, afterChange, storage, {
        scenario: label,
        metric: 'RSS per board MiB',
        stip: results['stip-full'].rssPerBoardMiB,
        baselines: {
          'y-websocket': results['y-websocket'].rssPerBoardMiB,
          'hocuspocus-sqlite': results['hocuspocus-sqlite'].rssPerBoardMiB,
        },
      })
    }
  })

  await scenario('3. presence storm (50 clients, cursors at 30 Hz)', async () => {
    await fanoutRow('presence', fanSpec(1, 50, 50, 'presence', 30, config.presenceMs), 'stip-full', BASELINES, false)
  })

  await scenario(`4. document growth (${config.moves} moves of 100 shapes)`, async () => {
    const results: Record<string, GrowthResult> = {}
    for (const kind of ['stip-full', ...BASELINES] as ServerKind[]) {
      results[kind] = await runGrowth(kind, config.moves)
      record('growth', results[kind])
    }
    const s = results['stip-full']
    const base = (f: (r: GrowthResult) => number) => ({
      'y-websocket': f(results['y-websocket']),
      'hocuspocus-sqlite': f(results['hocuspocus-sqlite']),
    })
    rows.push(
      {
        scenario: 'growth',
        metric: 'final records JSON bytes',
        stip: s.jsonBytes,
        baselines: base((r) => r.jsonBytes),
      },
      {
        scenario: 'growth',
        metric: 'stored bytes before compaction',
        stip: s.storedBeforeCompaction,
        baselines: base((r) => r.storedBeforeCompaction),
      },
      {
        scenario: 'growth',
        metric: 'stored bytes after compaction',
        stip: s.storedAfterCompaction,
        baselines: base((r) => r.storedAfterCompaction),
      },
      {
        scenario: 'growth',
        metric: 'stored / JSON right after the moves',
        stip: s.storedBeforeCompaction / s.jsonBytes,
        baselines: base((r) => r.storedBeforeCompaction / r.jsonBytes),
        goal: { text: '≤ 3×', met: s.storedBeforeCompaction / s.jsonBytes <= 3 },
      },
      {
        scenario: 'growth',
        metric: 'stored / JSON after compaction',
        stip: s.ratioAfter,
        baselines: base((r) => r.ratioAfter),
        goal: { text: '≤ 3×', met: s.ratioAfter <= 3 },
      },
    )
  })

  await scenario('6. durability', async () => {
    const spec = fanSpec(1, 50, 5)
    const results: Record<string, FanoutResult> = {}
    for (const kind of ['stip-full', 'stip-strict', 'stip-normal', 'stip-memory'] as ServerKind[]) {
      results[kind] = await runFanout(kind, spec)
      record('durability-fanout', { size: sizeLabel(spec), ...results[kind] })
      if (!results[kind].converged) failures.push(`durability fan-out ${kind}: clients ended with different documents`)
    }
    const memory = results['stip-memory']
    rows.push(
      {
        scenario: 'durability 1×50',
        metric: 'p99 ms: sync=full / strict / normal vs memory',
        stip: results['stip-full'].latency.p99,
        baselines: {
          'stip-strict': results['stip-strict'].latency.p99,
          'stip-normal': results['stip-normal'].latency.p99,
          'stip-memory': memory.latency.p99,
        },
      },
      {
        scenario: 'durability 1×50',
        metric: 'CPU s: sync=full / strict / normal vs memory',
        stip: results['stip-full'].cpuSeconds,
        baselines: {
          'stip-strict': results['stip-strict'].cpuSeconds,
          'stip-normal': results['stip-normal'].cpuSeconds,
          'stip-memory': memory.cpuSeconds,
        },
      },
    )
    const kills: Record<string, Kill9Result> = {}
    for (const kind of ['stip-full', 'stip-normal', 'y-websocket-leveldb', 'hocuspocus-sqlite'] as ServerKind[]) {
      kills[kind] = await runKill9(kind, config.burst)
      record('kill-9', kills[kind])
    }
    rows.push(
      {
        scenario: `kill -9 after ${config.burst} writes`,
        metric: 'records a peer saw, lost',
        noRatio: true,
        stip: kills['stip-full'].lost,
        baselines: {
          'stip-normal': kills['stip-normal'].lost,
          'y-websocket-leveldb': kills['y-websocket-leveldb'].lost,
          'hocuspocus-sqlite': kills['hocuspocus-sqlite'].lost,
        },
        goal: { text: '0', met: kills['stip-full'].lost === 0 },
      },
      {
        scenario: `kill -9 after ${config.burst} writes`,
        metric: 'records recovered',
        noRatio: true,
        stip: kills['stip-full'].recovered,
        baselines: {
          'stip-normal': kills['stip-normal'].recovered,
          'y-websocket-leveldb': kills['y-websocket-leveldb'].recovered,
          'hocuspocus-sqlite': kills['hocuspocus-sqlite'].recovered,
        },
      },
      {
        scenario: `kill -9 after ${config.burst} writes`,
        metric: 'restart → listening ms',
        stip: kills['stip-full'].restartToListeningMs,
        baselines: {
          'stip-normal': kills['stip-normal'].restartToListeningMs,
          'y-websocket-leveldb': kills['y-websocket-leveldb'].restartToListeningMs,
          'hocuspocus-sqlite': kills['hocuspocus-sqlite'].restartToListeningMs,
        },
      },
      {
        scenario: `kill -9 after ${config.burst} writes`,
        metric: 'restart → synced client ms',
        stip: kills['stip-full'].restartToSyncedMs,
        baselines: {
          'stip-normal': kills['stip-normal'].restartToSyncedMs,
          'y-websocket-leveldb': kills['y-websocket-leveldb'].restartToSyncedMs,
          'hocuspocus-sqlite': kills['hocuspocus-sqlite'].restartToSyncedMs,
        },
      },
    )
    // The same restart once every server has caught up with its writes (5 s after the burst):
    // every server then brings all records back, so the times compare like for like.
    const settled: Record<string, Kill9Result> = {}
    for (const kind of ['stip-full', 'y-websocket-leveldb'] as ServerKind[]) {
      settled[kind] = await runKill9(kind, config.burst, 5_000)
      record('kill-9-settled', settled[kind])
    }
    rows.push(
      {
        scenario: `kill -9 5 s after ${config.burst} writes`,
        metric: 'records recovered',
        noRatio: true,
        stip: settled['stip-full'].recovered,
        baselines: { 'y-websocket-leveldb': settled['y-websocket-leveldb'].recovered },
      },
      {
        scenario: `kill -9 5 s after ${config.burst} writes`,
        metric: 'restart → synced client ms',
        stip: settled['stip-full'].restartToSyncedMs,
        baselines: { 'y-websocket-leveldb': settled['y-websocket-leveldb'].restartToSyncedMs },
        goal: {
          text: '≤ 1.0× y-websocket (LevelDB)',
          met: settled['stip-full'].restartToSyncedMs <= settled['y-websocket-leveldb'].restartToSyncedMs,
        },
      },
    )
  })

  await scenario(
    '8. session of 70 (10 drawing at 15 Hz, 70 cursors at 20 Hz, a display; reconnect storm)',
    async () => {
      const spec = { ...SESSION_OF_70, durationMs: config.sessionMs }
      const results: Record<string, SessionResult> = {}
      for (const kind of [...config.sessionServers, ...config.sessionModes]) {
        results[kind] = await runSession(kind, spec)
        record('session', results[kind])
        // A baseline that cannot keep up with 70 is a finding, not a failure of the bench.
        if (!results[kind].converged) {
          if (isStip(kind)) failures.push(`session of 70 ${kind}: clients ended with different documents`)
          else notes.push(`session of 70 ${kind}: clients had not converged 30 s after the last write (backlog)`)
        }
      }
      const stip = results['stip-full']
      const pickOf = (kinds: ServerKind[]) => (f: (r: SessionResult) => number) =>
        Object.fromEntries(kinds.filter((kind) => results[kind]).map((kind) => [kind, f(results[kind])]))
      const others = pickOf(BASELINES)
      const label = 'session of 70'
      rows.push(
        { scenario: label, metric: 'stroke p50 ms', stip: stip.strokes.p50, baselines: others((r) => r.strokes.p50) },
        {
          scenario: label,
          metric: 'stroke p99 ms',
          stip: stip.strokes.p99,
          baselines: others((r) => r.strokes.p99),
          goal: { text: '≤ 30', met: stip.strokes.p99 <= 30 },
        },
        { scenario: label, metric: 'cursor p50 ms', stip: stip.cursors.p50, baselines: others((r) => r.cursors.p50) },
        {
          scenario: label,
          metric: 'cursor p99 ms',
          stip: stip.cursors.p99,
          baselines: others((r) => r.cursors.p99),
          goal: { text: '≤ 30', met: stip.cursors.p99 <= 30 },
        },
        { scenario: label, metric: 'server CPU s', stip: stip.cpuSeconds, baselines: others((r) => r.cpuSeconds) },
        // What of each p99 is the bench's own: its clients share the server's 2 cores.
        {
          scenario: label,
          metric: "clients' own event-loop delay p99 ms",
          stip: stip.clientLoopDelayP99Ms,
          baselines: others((r) => r.clientLoopDelayP99Ms),
        },
        {
          scenario: label,
          metric: 'machine CPU busy %',
          stip: stip.machineBusy * 100,
          baselines: others((r) => r.machineBusy * 100),
        },
        {
          scenario: label,
          metric: 'server peak RSS MiB',
          stip: stip.peakRssMiB,
          baselines: others((r) => r.peakRssMiB),
        },
        {
          scenario: label,
          metric: 'restart: start → listening ms',
          stip: stip.restartToListeningMs,
          baselines: others((r) => r.restartToListeningMs),
        },
        {
          scenario: label,
          metric: 'reconnect storm: listening → all 71 synced ms',
          stip: stip.stormMs,
          baselines: others((r) => r.stormMs),
          goal: { text: '≤ 3000', met: stip.stormMs <= 3000 },
        },
      )
      if (config.sessionModes.length === 0) return
      // Durability modes side by side: sync=full (the default) against strict and memory.
      const modes = pickOf(config.sessionModes)
      rows.push(
        {
          scenario: 'durability, session of 70',
          metric: 'stroke p99 ms: default / strict / memory',
          stip: stip.strokes.p99,
          baselines: modes((r) => r.strokes.p99),
        },
        {
          scenario: 'durability, session of 70',
          metric: 'cursor p99 ms: default / strict / memory',
          stip: stip.cursors.p99,
          baselines: modes((r) => r.cursors.p99),
        },
        {
          scenario: 'durability, session of 70',
          metric: 'server CPU s: default / strict / memory',
          stip: stip.cpuSeconds,
          baselines: modes((r) => r.cpuSeconds),
        },
      )
    },
  )

  await scenario('9. process start and idle memory', async () => {
    const results: Record<string, StartResult> = {}
    for (const kind of ['stip-full', ...BASELINES] as ServerKind[]) {
      results[kind] = await runStart(kind, config.starts)
      record('start', results[kind])
    }
    const pick = (f: (r: StartResult) => number) =>
      Object.fromEntries(BASELINES.map((kind) => [kind, f(results[kind])]))
    rows.push(
      {
        scenario: 'start',
        metric: 'process start → listening ms',
        stip: results['stip-full'].startToListeningMs,
        baselines: pick((r) => r.startToListeningMs),
        goal: { text: '≤ 200', met: results['stip-full'].startToListeningMs <= 200 },
      },
      {
        scenario: 'start',
        metric: 'idle RSS MiB',
        stip: results['stip-full'].idleRssMiB,
        baselines: pick((r) => r.idleRssMiB),
      },
    )
  })

  if (config.displayUpdates > 0)
    await scenario(
      `10. wall display heap (${config.displayUpdates} remote updates, ${config.tourStops} tour stops)`,
      async () => {
        const result: DisplayHeapResult = await runDisplayHeap({
          updates: config.displayUpdates,
          writers: 30,
          tourStops: config.tourStops,
        })
        record('display-heap', result)
        rows.push(
          {
            scenario: 'wall display',
            metric: `heap MiB after ${config.displayUpdates} updates and ${config.tourStops} stops (before: ${round(result.heapBeforeMiB)})`,
            stip: result.heapAfterMiB,
            baselines: {},
          },
          {
            scenario: 'wall display',
            metric: 'heap growth %',
            stip: 100 * result.growth,
            baselines: {},
            goal: { text: '≤ 10', met: Math.abs(result.growth) <= 0.1 },
          },
          {
            scenario: 'wall display',
            metric: 'live objects growth %, compiled code left out',
            stip: 100 * result.liveGrowth,
            baselines: {},
            noRatio: true,
          },
          {
            scenario: 'wall display',
            metric: 'heap growth % in the second half (a leak grows in both)',
            stip: 100 * result.secondHalfGrowth,
            baselines: {},
            noRatio: true,
          },
          {
            scenario: 'wall display',
            metric: `Y.Doc structs, tombstones included (before: ${result.docStructsBefore})`,
            stip: result.docStructsAfter,
            baselines: {},
            noRatio: true,
          },
          { scenario: 'wall display', metric: 'tour stops seen', stip: result.tourStops, baselines: {}, noRatio: true },
        )
      },
    )

  /** Issue #15, goal 6: a board of this many shapes interactive within this many ms. */
  const OPEN_GOALS_MS: Record<number, number> = { 5000: 3000, 10000: 6000 }
  await scenario('5. browser (Chromium, built client)', async () => {
    const results: BrowserResult[] = await runBrowser(config.browser, config.frameMs)
    for (const result of results) {
      record('browser', result)
      const label = `browser ${result.shapes} shapes`
      rows.push(
        {
          scenario: label,
          metric: 'open → interactive ms',
          stip: result.interactiveMs,
          baselines: {},
          goal: OPEN_GOALS_MS[result.shapes]
            ? { text: `< ${OPEN_GOALS_MS[result.shapes]}`, met: result.interactiveMs < OPEN_GOALS_MS[result.shapes] }
            : undefined,
        },
        { scenario: label, metric: 'frame p50 ms, panning', stip: result.panFrames.p50, baselines: {} },
        {
          scenario: label,
          metric: 'frame p95 ms, panning',
          stip: result.panFrames.p95,
          baselines: {},
          goal: result.shapes === 5000 ? { text: '< 20', met: result.panFrames.p95 < 20 } : undefined,
        },
        {
          scenario: label,
          metric: 'frame p50 ms, 200 remote upd/s',
          stip: result.remoteFrames.p50,
          baselines: {},
          goal: result.shapes === 5000 ? { text: '< 33', met: result.remoteFrames.p50 < 33 } : undefined,
        },
        { scenario: label, metric: 'frame p95 ms, 200 remote upd/s', stip: result.remoteFrames.p95, baselines: {} },
      )
    }
  })

  // Needs the local PostgreSQL (DATABASE_URL); see bench/scenarios/cluster.ts.
  await scenario('7. several processes (cluster)', async () => {
    const result = await runCluster(clusterConfig(quick))
    record('cluster', result)
    if (!result.fanout.converged) failures.push('cluster fan-out: clients ended with different documents')
    for (const row of clusterRows(result)) rows.push({ ...row, baselines: {} })
  })
} finally {
  killAll()
}

// ---- report ----
const columns: ServerKind[] = [
  'y-websocket',
  'y-websocket-leveldb',
  'hocuspocus-sqlite',
  'stip-strict',
  'stip-normal',
  'stip-memory',
]
const used = columns.filter((kind) => rows.some((row) => row.baselines[kind] !== undefined))
const header = ['scenario', 'metric', 'Stip', ...used, 'ratio', 'goal']
const fmt = (value: number | undefined) =>
  value === undefined ? '' : Number.isNaN(value) ? 'n/a' : String(round(value))
const lines = [
  `| ${header.join(' | ')} |`,
  `| ${header.map(() => '---').join(' | ')} |`,
  ...rows.map((row) => {
    const r = row.noRatio ? Number.NaN : ratio(row.stip, better(row))
    const goal = row.goal ? `${row.goal.text} ${row.goal.met ? '✅ met' : '❌ missed'}` : ''
    return `| ${[row.scenario, row.metric, fmt(row.stip), ...used.map((kind) => fmt(row.baselines[kind])), Number.isNaN(r) ? '' : `${round(r)}×`, goal].join(' | ')} |`
  }),
]
const cpu = os.cpus()
const machine = `${os.cpus().length} cores (${cpu[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 1024 ** 3)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`
const table = lines.join('\n')
const loadAtEnd = os.loadavg()[0]
const load = `load average (1 min) ${loadAtStart.toFixed(1)} at start, ${loadAtEnd.toFixed(1)} at end, on ${cpu.length} cores`
const busy = Math.max(loadAtStart, loadAtEnd) > cpu.length
console.log(
  `\n${quick ? 'QUICK' : 'FULL'} run, ${new Date().toISOString()}, ${Math.round((Date.now() - started) / 1000)} s\n${machine}`,
)
console.log(
  'ratio = Stip / the better of the other columns (lower, or higher for delivered/s); Hocuspocus 4.7.0 runs on Node 20 despite engines >=22.\n',
)
console.log(table)
console.log(`\n${load}${busy ? ' — WARNING: something else was using the machine; timings are not reliable' : ''}`)
if (notes.length) console.log(`\nNOTES:\n${notes.map((n) => `- ${n}`).join('\n')}`)
if (failures.length) console.log(`\nFAILURES:\n${failures.map((f) => `- ${f}`).join('\n')}`)

const resultsDir = path.join(BENCH, 'results')
fs.mkdirSync(resultsDir, { recursive: true })
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const report = {
  load: { start: loadAtStart, end: loadAtEnd, cores: cpu.length, busy },
  // A partial run must not overwrite latest-<mode>.md of a whole one.
  mode: `${quick ? 'quick' : 'full'}${only ? `-${only.replace(/\W+/g, '-')}` : ''}`,
  date: new Date().toISOString(),
  machine,
  seconds: (Date.now() - started) / 1000,
  rows,
  raw,
  notes,
  failures,
}
fs.writeFileSync(path.join(resultsDir, `${stamp}-${report.mode}.json`), JSON.stringify(report, null, 2))
const notesText = notes.length ? `\n${notes.map((n) => `- ${n}`).join('\n')}\n` : ''
fs.writeFileSync(path.join(resultsDir, `latest-${report.mode}.md`), `${machine}\n${load}\n\n${table}\n${notesText}`)
console.log(`\nwrote bench/results/${stamp}-${report.mode}.json`)
process.exit(failures.length ? 1 : 0)
