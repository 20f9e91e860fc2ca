/**
 * A Stip server as a child process (`node --import tsx server/main.ts`, or the bundle
 * `npm start` runs), configured through
 * the environment like in production, so tests can SIGTERM it or `kill -9` it.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { withTimeout } from './wait.ts'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

export interface ChildServerOptions {
  dataDir: string
  /** Extra environment variables. */
  env?: Record<string, string>
  /** How long to wait for the "listening" log line. */
  startTimeoutMs?: number
  /** What node runs (default: the sources through tsx; `['dist/main.cjs']`: the bundle). */
  args?: string[]
}

export interface ChildExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface ChildServer {
  url: string
  wsUrl: string
  port: number
  process: ChildProcess
  /** Every JSON log line the server printed so far. */
  logs: Record<string, unknown>[]
  /** Everything printed on stderr so far. */
  stderr(): string
  /** Resolves when the process has exited. */
  exited: Promise<ChildExit>
  /** `kill -9`: no chance to flush. */
  kill9(): Promise<ChildExit>
  /** SIGTERM, the way a supervisor stops the server. */
  terminate(timeoutMs?: number): Promise<ChildExit>
}

export async function startChildServer({
  dataDir,
  env = {},
  startTimeoutMs = 20_000,
  args = ['--import', 'tsx', 'server/main.ts'],
}: ChildServerOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: Record<string, unknown>[] = []
  let stderr = ''
  let stdoutRest = ''
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })

  const listening = new Promise<number>((resolve, reject) => {
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      const lines = (stdoutRest + chunk).split('\n')
      stdoutRest = lines.pop() ?? ''
      for (const line of lines) {
        if (line.trim() === '') continue
        let entry: Record<string, unknown>
        try {
          entry = JSON.parse(line) as Record<string, unknown>
        } catch {
          entry = { unparsed: line }
        }
        logs.push(entry)
        if (entry.msg === 'listening' && typeof entry.port === 'number') resolve(entry.port)
      }
    })
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk
    })
    child.once('error', reject)
    void exited.then(({ code, signal }) =>
      reject(new Error(`Server exited before listening (code ${code}, signal ${signal}).\n${stderr}`)),
    )
  })

  let port: number
  try {
    port = await withTimeout(listening, startTimeoutMs, 'the child server to log "listening"')
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    throw new Error(`${String(error)}\nstdout: ${JSON.stringify(logs)}\nstderr: ${stderr}`)
  }

  const alive = () => child.exitCode === null && child.signalCode === null
  return {
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    process: child,
    logs,
    stderr: () => stderr,
    exited,
    kill9() {
      if (alive()) child.kill('SIGKILL')
      return withTimeout(exited, 10_000, 'the killed server to exit')
    },
    terminate(timeoutMs = 15_000) {
      if (alive()) child.kill('SIGTERM')
      return withTimeout(exited, timeoutMs, 'the server to exit after SIGTERM')
    },
  }
}
