/**
 * Interleaved starts of several builds, for comparing what a start costs and leaves behind:
 * per start, the wall time from spawn to "listening", the CPU time the process had used by
 * then (every thread, from /proc/<pid>/task/<tid>/schedstat: nanoseconds, where /proc's
 * stat counts 10 ms ticks), its RSS 300 and 500 ms after listening (the bench's "start"
 * row samples at 500), and then the first `POST /api/boards`, a second one, and the first
 * sync join (sync step 1 sent → step 2 received) on the new board, so that a change that
 * leaves work to the first requests shows there.
 *
 *   node bench/idle-series.mjs <rounds> <label>=<checkout>[,<node flag>…] …
 *   node bench/idle-series.mjs 10 before=/tmp/stip-main after=.
 *
 * Each round starts every build once, in turn, so that the load hits them alike. Each start
 * gets a fresh `DATA_DIR`; the checkout must be built (`node server/launch.js --build`) and
 * started once, so that its V8 code cache exists. `DELAY=<ms>` (default 3000) is how long
 * after listening the requests start. Prints per build the median and [min–max] of each figure.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { WebSocket } from 'ws'

const rounds = Number(process.argv[2])
const builds = process.argv.slice(3).map((arg) => {
  const label = arg.slice(0, arg.indexOf('='))
  const [dir, ...flags] = arg.slice(arg.indexOf('=') + 1).split(',')
  return { label, dir: path.resolve(dir), flags, figures: {} }
})
if (!(rounds > 0) || builds.length === 0) {
  console.error('usage: node bench/idle-series.mjs <rounds> <label>=<checkout>[,<node flag>…] …')
  process.exit(2)
}
const DELAY_MS = Number(process.env.DELAY ?? 3000)
const RSS_AT_MS = [300, 500]

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const rssMiB = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024
/** CPU ms of every thread of a running process (Linux). */
function cpuMs(pid) {
  let ns = 0
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0])
  }
  return ns / 1e6
}

function record(build, name, value) {
  build.figures[name] ??= []
  build.figures[name].push(value)
}
async function timed(build, name, fn) {
  const started = performance.now()
  const result = await fn()
  record(build, name, performance.now() - started)
  return result
}

async function createBoard(port, name) {
  const response = await fetch(`http://127.0.0.1:${port}/api/boards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  })
  if (response.status !== 201) throw new Error(`creating a board answered ${response.status}`)
  return response.json()
}

/** y-websocket's sync step 1 with an empty state vector; resolves on the server's step 2. */
function join(port, board) {
  const token = new URL(board.links.participant).hash.replace(/^#token=/, '')
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/sync/${board.id}?token=${token}`, { perMessageDeflate: false })
    ws.on('open', () => ws.send(Buffer.from([0, 0, 1, 0])))
    ws.on('message', (data) => {
      if (data[0] !== 0 || data[1] !== 1) return
      ws.close()
      resolve()
    })
    ws.on('error', reject)
  })
}

async function startOnce(build) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-idle-series-'))
  const started = performance.now()
  const child = spawn(process.execPath, [...build.flags, 'server/launch.js'], {
    cwd: build.dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const port = await new Promise((resolve, reject) => {
      let output = ''
      const onData = (chunk) => {
        output += chunk
        const line = output.split('\n').find((candidate) => candidate.includes('"msg":"listening"'))
        if (!line) return
        child.stdout.off('data', onData)
        child.stdout.resume()
        resolve(JSON.parse(line).port)
      }
      child.stdout.on('data', onData)
      child.once('exit', (code) => reject(new Error(`${build.label} exited (${code}) before listening: ${output}`)))
    })
    const listening = performance.now()
    record(build, 'listen ms', listening - started)
    record(build, 'CPU ms', cpuMs(child.pid))
    for (const at of RSS_AT_MS) {
      await sleep(at - (performance.now() - listening))
      record(build, `RSS +${at} ms MiB`, rssMiB(child.pid))
    }
    await sleep(DELAY_MS - (performance.now() - listening))
    const board = await timed(build, 'first POST ms', () => createBoard(port, 'Eerste'))
    await timed(build, 'second POST ms', () => createBoard(port, 'Tweede'))
    await timed(build, 'first join ms', () => join(port, board))
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length / 2
  return sorted.length % 2 ? sorted[Math.floor(middle)] : (sorted[middle - 1] + sorted[middle]) / 2
}
const loadBefore = os.loadavg()
for (let round = 0; round < rounds; round++) for (const build of builds) await startOnce(build)
for (const { label, figures } of builds) {
  const line = Object.entries(figures).map(
    ([name, values]) =>
      `${name} ${median(values).toFixed(1)} [${Math.min(...values).toFixed(1)}–${Math.max(...values).toFixed(1)}]`,
  )
  console.log(`${label} (n=${rounds}): ${line.join(', ')}`)
}
const load = (values) => values.map((value) => value.toFixed(2)).join(' ')
console.log(`load average before ${load(loadBefore)}, after ${load(os.loadavg())}`)
