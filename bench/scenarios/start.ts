/**
 * Scenario 9 (start and idle memory): the time from spawning a server process to its
 * "listening" line, and its RSS once it idles with no board loaded. What an administrator
 * waits for after a restart, and what the VM costs before anyone joins.
 */
import { MiB, sampleProcess } from '../lib/proc.ts'
import { type ServerKind, ServerProcess } from '../lib/servers.ts'
import { median, now, sleep } from '../lib/stats.ts'

export interface StartResult {
  server: ServerKind
  /** Spawn → listening, median of `repeats`. */
  startToListeningMs: number
  idleRssMiB: number
}

export async function runStart(kind: ServerKind, repeats: number): Promise<StartResult> {
  const times: number[] = []
  const rss: number[] = []
  for (let i = 0; i < repeats; i++) {
    const started = now()
    const server = await ServerProcess.start(kind)
    times.push(now() - started)
    await sleep(500)
    rss.push(sampleProcess(server.pid).rssBytes / MiB)
    await server.stop()
  }
  return { server: kind, startToListeningMs: median(times), idleRssMiB: median(rss) }
}
