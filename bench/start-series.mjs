/**
 * Interleaved start → "listening" of several builds, for comparing start-up changes on a busy
 * machine: each round starts every build once, in turn, so that the load hits them alike.
 *
 *   node bench/start-series.mjs <rounds> <label>=<checkout>[:<script>] …
 *   node bench/start-series.mjs 12 before=/tmp/stip-main after=.
 *
 * `<script>` defaults to `server/launch.js` (what `npm start` runs). Each start gets a fresh
 * `DATA_DIR` and is stopped with SIGTERM once it logs "listening". Prints per build the
 * median, min and max wall time from spawn to that line, and the median CPU time (user +
 * system, from /proc) the process had used by then, which a busy machine distorts less.
 * `HOLD=<ms>` waits before the SIGTERM (e.g. so that `EXTRA="--cpu-prof …"` profiles get written).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const rounds = Number(process.argv[2])
const builds = process.argv.slice(3).map((arg) => {
  const [label, rest] = arg.split('=')
  const [dir, script = 'server/launch.js'] = rest.split(':')
  return { label, dir: path.resolve(dir), script, wall: [], cpu: [] }
})
if (!(rounds > 0) || builds.length === 0) {
  console.error('usage: node bench/start-series.mjs <rounds> <label>=<checkout>[:<script>] …')
  process.exit(2)
}
const extra = process.env.EXTRA ? process.env.EXTRA.split(' ') : []
const CLOCK_TICKS_PER_SECOND = 100

/** User + system CPU ms of a running process (Linux). */
function cpuMs(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND
}

function startOnce(build) {
  return new Promise((resolve, reject) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-start-series-'))
    const started = performance.now()
    const child = spawn(process.execPath, [...extra, build.script], {
      cwd: build.dir,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let output = ''
    let listening = false
    child.stdout.on('data', (chunk) => {
      if (listening) return
      output += chunk
      if (!output.includes('"listening"')) return
      listening = true
      build.wall.push(performance.now() - started)
      build.cpu.push(cpuMs(child.pid))
      setTimeout(() => child.kill('SIGTERM'), Number(process.env.HOLD ?? 0))
    })
    child.once('exit', (code) => {
      fs.rmSync(dataDir, { recursive: true, force: true })
      if (listening) resolve()
      else reject(new Error(`${build.label} exited (${code}) before listening: ${output}`))
    })
  })
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  return sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2
}
const ms = (value) => value.toFixed(0)

const loadBefore = os.loadavg()
for (let round = 0; round < rounds; round++) for (const build of builds) await startOnce(build)
for (const { label, wall, cpu } of builds) {
  console.log(
    `${label}: median ${ms(median(wall))} ms, min ${ms(Math.min(...wall))}, max ${ms(Math.max(...wall))}` +
      ` (n=${rounds}); CPU by then, median ${ms(median(cpu))} ms  [${wall.map(ms).join(' ')}]`,
  )
}
const load = (values) => values.map((value) => value.toFixed(2)).join(' ')
console.log(`load average before ${load(loadBefore)}, after ${load(os.loadavg())}`)
