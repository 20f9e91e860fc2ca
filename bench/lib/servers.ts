/**
 * The servers under test, each started as its own child process on a free loopback port:
 * Stip (SQLite with `synchronous=full` or `normal`, or in memory) and the baselines
 * (y-websocket's reference server; Hocuspocus in memory or with SQLite). Every child is
 * registered so that `killAll` ends it, even when a scenario fails.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Endpoint } from './sync-client.ts'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export type ServerKind =
  | 'stip-full'
  | 'stip-strict'
  | 'stip-normal'
  | 'stip-memory'
  | 'y-websocket'
  | 'y-websocket-leveldb'
  | 'hocuspocus-memory'
  | 'hocuspocus-sqlite'

export const LABELS: Record<ServerKind, string> = {
  'stip-full': 'Stip (SQLite, sync=full)',
  'stip-strict': 'Stip (SQLite, strict: sent after fsync)',
  'stip-normal': 'Stip (SQLite, sync=normal)',
  'stip-memory': 'Stip (in memory)',
  'y-websocket': 'y-websocket 0.1.1 (memory)',
  'y-websocket-leveldb': 'y-websocket 0.1.1 (LevelDB, y-leveldb)',
  'hocuspocus-memory': 'Hocuspocus 4.7 (memory)',
  'hocuspocus-sqlite': 'Hocuspocus 4.7 (SQLite)',
}

export const isStip = (kind: ServerKind) => kind.startsWith('stip')
export const isDurable = (kind: ServerKind) =>
  kind === 'stip-full' ||
  kind === 'stip-strict' ||
  kind === 'stip-normal' ||
  kind === 'hocuspocus-sqlite' ||
  kind === 'y-websocket-leveldb'

/** A room as clients find it; `path` is relative to the server's origin, so it survives a restart. */
export interface Room {
  dialect: Endpoint['dialect']
  path: string
  docName: string
  token: string
}

const children = new Set<ChildProcess>()
/** Data folders we made, removed by `killAll`. */
const tempDirs = new Set<string>()

/** Registers a child process (a worker) so that `killAll` ends it too. */
export function track(child: ChildProcess): void {
  children.add(child)
  child.once('exit', () => children.delete(child))
}

/** SIGKILLs every child still running and removes the data folders we made (on exit and on failure). */
export function killAll(): void {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  children.clear()
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
}

/** What `POST /api/boards` answers, as far as the bench uses it. */
export interface BenchBoard {
  id: string
  links: { participant: string; facilitator: string; display: string }
}

export class ServerProcess {
  port = 0
  child!: ChildProcess
  private stderr = ''

  private constructor(
    readonly kind: ServerKind,
    readonly dataDir: string,
    /** Extra environment for the server (e.g. a raised rate limit), kept across restarts. */
    private readonly extraEnv: NodeJS.ProcessEnv = {},
  ) {}

  static async start(kind: ServerKind, dataDir?: string, env: NodeJS.ProcessEnv = {}): Promise<ServerProcess> {
    let dir = dataDir
    if (!dir) {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), `stip-bench-${kind}-`))
      tempDirs.add(dir)
    }
    const server = new ServerProcess(kind, dir, env)
    await server.spawn()
    return server
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.kind} has no pid`)
    return this.child.pid
  }

  get label(): string {
    return LABELS[this.kind]
  }

  /** The last 4,000 characters the server wrote to stderr (e.g. its inspector's address). */
  get stderrTail(): string {
    return this.stderr
  }

  endpoint(room: Room): Endpoint {
    return {
      dialect: room.dialect,
      url: `ws://127.0.0.1:${this.port}${room.path}`,
      docName: room.docName,
      token: room.token,
    }
  }

  async createRoom(name: string): Promise<Room> {
    if (isStip(this.kind)) {
      const board = await this.createBoard(name)
      return this.createRoomFromLink(board.id, board.links.participant)
    }
    const docName = name.replace(/[^A-Za-z0-9-]/g, '-')
    if (this.kind.startsWith('y-websocket')) return { dialect: 'y-websocket', path: `/${docName}`, docName, token: '' }
    return { dialect: 'hocuspocus', path: '/', docName, token: 'bench' }
  }

  /** A new Stip board (`POST /api/boards`), with its links. */
  async createBoard(name: string): Promise<BenchBoard> {
    const response = await fetch(`http://127.0.0.1:${this.port}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    })
    if (response.status !== 201) throw new Error(`creating a board failed: ${response.status}`)
    return (await response.json()) as BenchBoard
  }

  /** The room of a Stip board whose participant link we already have. */
  createRoomFromLink(boardId: string, link: string): Room {
    const token = new URL(link).hash.replace(/^#token=/, '')
    return { dialect: 'y-websocket', path: `/sync/${boardId}?token=${token}`, docName: boardId, token }
  }

  /** SIGTERM and wait (the server writes what is pending). */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.signal('SIGTERM', timeoutMs)
  }

  /** `kill -9`: no chance to write anything. */
  async kill9(): Promise<void> {
    await this.signal('SIGKILL', 5_000)
  }

  /** Starts the same kind again on the same data folder (new port). */
  async restart(): Promise<void> {
    await this.spawn()
  }

  private async signal(signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
    const child = this.child
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    await exited
    clearTimeout(timer)
    children.delete(child)
  }

  private spawn(): Promise<void> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...this.extraEnv,
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: this.dataDir,
    }
    let args: string[]
    switch (this.kind) {
      case 'stip-full':
      case 'stip-strict':
      case 'stip-normal':
        env.STIP_SQLITE_SYNC = this.kind === 'stip-normal' ? 'normal' : 'full'
        env.STIP_DURABILITY = this.kind === 'stip-strict' ? 'strict' : 'wal'
        // What `npm start` runs: the compiled bundle (`run.ts` builds it before any scenario).
        args = ['server/launch.js']
        break
      case 'stip-memory':
        args = ['--import', 'tsx', 'bench/servers/stip-memory.ts']
        break
      case 'y-websocket':
      case 'y-websocket-leveldb':
        // The reference server's own persistence: every update into LevelDB (y-leveldb).
        if (this.kind === 'y-websocket-leveldb') env.YPERSISTENCE = path.join(this.dataDir, 'leveldb')
        args = ['bench/servers/y-websocket.mjs']
        break
      case 'hocuspocus-memory':
      case 'hocuspocus-sqlite':
        if (this.kind === 'hocuspocus-sqlite') env.HOCUSPOCUS_SQLITE = path.join(this.dataDir, 'hocuspocus.sqlite')
        args = ['bench/servers/hocuspocus.mjs']
        break
    }
    // STIP_BENCH_CPU_PROF=<dir>: every server writes a V8 CPU profile there when it stops.
    const profileDir = process.env.STIP_BENCH_CPU_PROF
    if (profileDir) args = ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, ...args]
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    this.child = child
    children.add(child)
    this.stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000)
    })
    return new Promise<void>((resolve, reject) => {
      let buffered = ''
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`${this.kind} did not start in 30 s: ${this.stderr}`))
      }, 30_000)
      child.once('exit', (code, signal) => {
        clearTimeout(timer)
        children.delete(child)
        reject(new Error(`${this.kind} exited (${code ?? signal}) before listening: ${this.stderr}`))
      })
      child.stdout?.on('data', (chunk: Buffer) => {
        if (this.port !== 0 && child === this.child && buffered === '') return // drained after start
        buffered += chunk.toString()
        for (const line of buffered.split('\n')) {
          if (!line.includes('"listening"')) continue
          try {
            const parsed = JSON.parse(line) as { port?: number }
            if (typeof parsed.port !== 'number') continue
            this.port = parsed.port
            buffered = ''
            clearTimeout(timer)
            resolve()
            return
          } catch {
            // a partial line; wait for the rest
          }
        }
      })
      this.port = 0
    })
  }
}
