/**
 * The canary of the attack tests: a second, honest connection that keeps asking the server
 * for a SyncStep1 → SyncStep2 round trip while an attack runs, and records the slowest
 * answer. An attack that blocks the event loop (a frame that takes long to judge, a flood)
 * shows up as a slow answer, whatever connection it was sent on; the issue's bound is
 * 100 ms (`CANARY_BOUND_MS`), on a machine of usual speed.
 *
 * One round trip at a time, the next as soon as the last is answered (after a 5 ms pause),
 * so the canary measures the server, not a queue of its own questions.
 */
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { MessageType, SyncStep } from '../../shared/protocol.ts'
import { RawClient } from './raw-client.ts'
import { putRecords, shapeRecord } from './records.ts'
import { delay } from './wait.ts'

/** The slowest answer the issue allows while an attack runs, on a machine of usual speed. */
const ISSUE_BOUND_MS = 100
/** What the probe takes on such a machine, in ms [1]. */
const USUAL_PROBE_MS = 8

/**
 * A fixed piece of the server's kind of work, timed: a board of 2,000 records applied to a
 * fresh Y.Doc and every record parsed. The median of five runs, after two to warm up.
 */
function probeMs(): number {
  const source = new Y.Doc()
  const records = Array.from({ length: 2000 }, (_, i) => shapeRecord(`shape:probe${i}`))
  putRecords(source, records)
  const update = Y.encodeStateAsUpdate(source)
  const once = () => {
    const started = performance.now()
    const doc = new Y.Doc()
    Y.applyUpdate(doc, update)
    for (const value of getRecordsMap(doc).values()) JSON.parse(String(value))
    doc.destroy()
    return performance.now() - started
  }
  once()
  once()
  return Array.from({ length: 5 }, once).sort((a, b) => a - b)[2]
}

/**
 * The slowest answer allowed here: the issue's 100 ms, stretched by as much as this machine
 * is slower than usual at the probe, never less [1]. Measured once per test file.
 */
export const CANARY_BOUND_MS = ISSUE_BOUND_MS * Math.max(1, probeMs() / USUAL_PROBE_MS)

export interface CanaryResult {
  /** Slowest round trip, in milliseconds. */
  maxMs: number
  /** Round trips answered. */
  samples: number
}

export interface Canary {
  /**
   * Runs `work` of the test's own (building a large attack frame, say) with the canary
   * paused, and returns its result. The test shares its event loop with the server, so its
   * own work would otherwise count as the server keeping the canary waiting.
   */
  paused<T>(work: () => T | Promise<T>): Promise<T>
  /** Stops asking, waits for the question in flight, closes the socket and reports. */
  stop(): Promise<CanaryResult>
}

/** Starts a canary on `boardId` with `token` (any role that may sync). */
export async function startCanary(wsUrl: string, boardId: string, token: string): Promise<Canary> {
  const client = await RawClient.connect(wsUrl, boardId, token, { sendLocalUpdates: false })
  await client.waitForSync()
  let maxMs = 0
  let samples = 0
  let running = true
  /** Set while the test works on its own: the loop waits for it before the next question. */
  let pause: Promise<void> | null = null
  /** Resolves once the question in flight (if any) is answered. */
  let idle: Promise<void> = Promise.resolve()
  let answered: (() => void) | null = null
  client.onFrame((frame) => {
    if (frame.type === MessageType.Sync && frame.step === SyncStep.Step2) answered?.()
  })
  const loop = (async () => {
    while (running && client.isOpen) {
      if (pause) await pause
      let settle = () => {}
      idle = new Promise((resolve) => {
        settle = resolve
      })
      const started = performance.now()
      const answer = new Promise<void>((resolve) => {
        answered = resolve
      })
      client.sendSyncStep1()
      // A canary whose socket closed, or that got no answer in 5 s, reports it as its worst.
      const timedOut = await Promise.race([answer.then(() => false), delay(5_000).then(() => true)])
      answered = null
      const ms = timedOut ? Number.POSITIVE_INFINITY : performance.now() - started
      if (ms > maxMs) maxMs = ms
      samples++
      settle()
      await delay(5)
    }
  })()
  return {
    async paused(work) {
      let resume = () => {}
      pause = new Promise((resolve) => {
        resume = resolve
      })
      await idle
      try {
        return await work()
      } finally {
        pause = null
        resume()
      }
    },
    async stop() {
      running = false
      await loop
      const closedEarly = client.closeInfo !== null
      await client.close()
      if (closedEarly) throw new Error(`The canary's socket was closed (${client.closeInfo?.code})`)
      return { maxMs, samples }
    },
  }
}

// [1] A frame's cost is work, and the bound a time. On a machine that ran the server's work
//     about twice as slowly as usual (`bench/room-cost.ts`: 158–242 µs per update warm
//     against 62–126; start → listening 413 ms against 150–168), the canary waited 119–178 ms
//     behind attacks that keep it within 100 ms on a usual one, and the probe took 17–27 ms
//     (a median of five, from one test file to the next). `USUAL_PROBE_MS` is under half of
//     that, so that a reading on the low side still leaves the bound above what that machine
//     needed. It is an estimate from that factor of two, not a timing: no machine of usual
//     speed was at hand. What the canary is for, an attack that freezes the server for a
//     second or more, stays far outside the bound either way.
