/**
 * Scenario 2 (cold join): a board preloaded with N tldraw records; a fresh client connects
 * and we time connect → fully synced (all N records), with the board in the server's
 * memory (someone still connected) and, for stores that persist, after a restart (loaded
 * from storage). And the first join after the board changed (one record added, from memory):
 * a server that caches the whole document's encoding must not make that joiner pay for it.
 * Server RSS per loaded board = RSS with the board loaded − RSS of the idle
 * server.
 */
import { MiB, sampleProcess } from '../lib/proc.ts'
import { isDurable, type ServerKind, ServerProcess } from '../lib/servers.ts'
import { median, now, sleep, waitUntil } from '../lib/stats.ts'
import { type Endpoint, SyncClient, shapeRecord } from '../lib/sync-client.ts'

export interface ColdJoinResult {
  server: ServerKind
  records: number
  fromMemoryMs: number
  /** The first join after a record was added, from memory. */
  afterChangeMs: number
  fromStorageMs: number | null
  rssPerBoardMiB: number
  rssPerBoardFromStorageMiB: number | null
}

/** Connect → synced with all `records` (the board's total); returns ms and the server's RSS while the client is still there. */
async function join(endpoint: Endpoint, records: number, pid: number): Promise<{ ms: number; rssBytes: number }> {
  const started = now()
  const client = await SyncClient.open(endpoint, 120_000)
  try {
    if (!(await waitUntil(() => client.records.size >= records, 60_000, 1))) {
      throw new Error(`joined with ${client.records.size} of ${records} records`)
    }
    const ms = now() - started
    await sleep(100)
    return { ms, rssBytes: sampleProcess(pid).rssBytes }
  } finally {
    client.close()
  }
}

export async function runColdJoin(kind: ServerKind, records: number, repeats: number): Promise<ColdJoinResult> {
  const server = await ServerProcess.start(kind)
  try {
    await sleep(300)
    const idle = sampleProcess(server.pid).rssBytes
    const room = await server.createRoom(`cold-join-${records}`)
    const loader = await SyncClient.open(server.endpoint(room))
    // Batches keep every frame well under any server's frame limit (and under Stip's
    // bound on an update's bytes, 384 KiB: 500 shapes are about 250 KB).
    for (let start = 0; start < records; start += 500) {
      loader.doc.transact(() => {
        for (let i = start; i < Math.min(records, start + 500); i++) {
          loader.put(shapeRecord(`shape:r${i}`, (i % 100) * 200, Math.floor(i / 100) * 120))
        }
      })
      await sleep(0)
    }
    const loaded = loader.records.size // ours plus any the board started with
    await join(server.endpoint(room), loaded, server.pid) // everything reached the server
    const fromMemory: number[] = []
    let rssPerBoard = 0
    for (let i = 0; i < repeats; i++) {
      const joined = await join(server.endpoint(room), loaded, server.pid)
      fromMemory.push(joined.ms)
      rssPerBoard = (joined.rssBytes - idle) / MiB
    }
    const afterChange: number[] = []
    for (let i = 0; i < repeats; i++) {
      loader.put(shapeRecord(`shape:changed${i}`, -200, -120 * (i + 1)))
      await sleep(50) // it reaches the server (the join below waits for it anyway)
      afterChange.push((await join(server.endpoint(room), loader.records.size, server.pid)).ms)
    }
    const total = loader.records.size
    loader.close()
    if (!isDurable(kind))
      return {
        server: kind,
        records,
        fromMemoryMs: median(fromMemory),
        afterChangeMs: median(afterChange),
        fromStorageMs: null,
        rssPerBoardMiB: rssPerBoard,
        rssPerBoardFromStorageMiB: null,
      }

    // From storage: the last client left (the server writes/compacts), restart, join.
    await sleep(1500)
    const fromStorage: number[] = []
    let rssFromStorage = 0
    for (let i = 0; i < repeats; i++) {
      await server.stop()
      await server.restart()
      await sleep(300)
      const idleAfter = sampleProcess(server.pid).rssBytes
      const joined = await join(server.endpoint(room), total, server.pid)
      fromStorage.push(joined.ms)
      rssFromStorage = (joined.rssBytes - idleAfter) / MiB
    }
    return {
      server: kind,
      records,
      fromMemoryMs: median(fromMemory),
      afterChangeMs: median(afterChange),
      fromStorageMs: median(fromStorage),
      rssPerBoardMiB: rssPerBoard,
      rssPerBoardFromStorageMiB: rssFromStorage,
    }
  } finally {
    await server.stop()
  }
}
