/** The parent side of `worker.ts`: a pool of client processes and a typed request/answer helper. */
import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { ROOT, track } from './servers.ts'
import type { FromWorker, ToWorker, WorkerClient, WorkerMode } from './worker.ts'

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))

export class WorkerPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  /** Starts `count` worker processes. */
  static start(count: number): WorkerPool {
    const workers = Array.from({ length: count }, () => {
      const child = fork(WORKER, [], {
        cwd: ROOT,
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      track(child)
      return child
    })
    return new WorkerPool(workers)
  }

  get size(): number {
    return this.workers.length
  }

  /** Sends one message to every worker (`each` may tailor it) and waits for every answer of `answer` type. */
  async all<T extends FromWorker['type']>(
    message: ToWorker | ((index: number) => ToWorker),
    answer: T,
    timeoutMs = 120_000,
  ): Promise<Extract<FromWorker, { type: T }>[]> {
    return Promise.all(
      this.workers.map(
        (worker, index) =>
          new Promise<Extract<FromWorker, { type: T }>>((resolve, reject) => {
            const timer = setTimeout(
              () => done(new Error(`worker did not answer ${answer} in ${timeoutMs} ms`)),
              timeoutMs,
            )
            const onMessage = (reply: FromWorker) => {
              if (reply.type === 'error') done(new Error(`worker failed: ${reply.message}`))
              else if (reply.type === answer) done(null, reply as Extract<FromWorker, { type: T }>)
            }
            const onExit = (code: number | null) => done(new Error(`worker exited (${code}) waiting for ${answer}`))
            const done = (error: Error | null, value?: Extract<FromWorker, { type: T }>) => {
              clearTimeout(timer)
              worker.off('message', onMessage)
              worker.off('exit', onExit)
              if (error) reject(error)
              else resolve(value as Extract<FromWorker, { type: T }>)
            }
            worker.on('message', onMessage)
            worker.once('exit', onExit)
            worker.send(typeof message === 'function' ? message(index) : message)
          }),
      ),
    )
  }

  /** Opens clients spread round-robin over the workers. */
  async open(mode: WorkerMode, hz: number, clients: WorkerClient[], cursorHz?: number): Promise<void> {
    await this.all(
      (index) => ({
        type: 'open',
        mode,
        hz,
        cursorHz,
        clients: clients.filter((_, i) => i % this.workers.length === index),
      }),
      'opened',
    )
  }

  /** Whether every client of each room has the same records. */
  async converged(): Promise<boolean> {
    const answers = await this.all({ type: 'fingerprints' }, 'fingerprints', 30_000)
    const byRoom = new Map<number, Set<string>>()
    for (const { rooms } of answers) {
      for (const { room, hash } of rooms) {
        const hashes = byRoom.get(room) ?? new Set<string>()
        hashes.add(hash)
        byRoom.set(room, hashes)
      }
    }
    return [...byRoom.values()].every((hashes) => hashes.size === 1)
  }

  stop(): void {
    for (const worker of this.workers) if (worker.connected) worker.disconnect()
    for (const worker of this.workers) if (worker.exitCode === null) worker.kill()
  }
}
