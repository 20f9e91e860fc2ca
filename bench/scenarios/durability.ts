/**
 * Scenario 6b (kill -9 after a burst): a writer adds `writes` new shape records, one
 * update each, as fast as it can; as soon as a peer has received all of them the server
 * gets `kill -9`. Then it is restarted on the same data folder: how many records came
 * back, how many the peer had seen but are gone, and the time from restart to a synced client.
 */
import { type ServerKind, ServerProcess } from '../lib/servers.ts'
import { now, sleep, waitUntil } from '../lib/stats.ts'
import { SyncClient, shapeRecord } from '../lib/sync-client.ts'

export interface Kill9Result {
  server: ServerKind
  writes: number
  seenByPeer: number
  recovered: number
  lost: number
  restartToListeningMs: number
  restartToSyncedMs: number
}

export async function runKill9(kind: ServerKind, writes: number): Promise<Kill9Result> {
  const server = await ServerProcess.start(kind)
  try {
    const room = await server.createRoom('kill-9')
    const writer = await SyncClient.open(server.endpoint(room))
    const peer = await SyncClient.open(server.endpoint(room))
    const initial = peer.records.size // a board may start with records of its own
    for (let i = 0; i < writes; i++) {
      writer.put(shapeRecord(`shape:k${i}`, i, i, {}))
      if (i % 100 === 99) await sleep(0)
    }
    await waitUntil(() => peer.records.size >= initial + writes, 60_000, 1)
    await server.kill9()
    const seen = new Set(peer.records.keys())
    writer.close()
    peer.close()
    const restarted = now()
    await server.restart()
    const listening = now()
    const fresh = await SyncClient.open(server.endpoint(room), 60_000)
    const synced = now()
    const recovered = new Set(fresh.records.keys())
    fresh.close()
    let lost = 0
    for (const id of seen) if (!recovered.has(id)) lost++
    return {
      server: kind,
      writes,
      seenByPeer: seen.size,
      recovered: recovered.size,
      lost,
      restartToListeningMs: listening - restarted,
      restartToSyncedMs: synced - restarted,
    }
  } finally {
    await server.stop()
  }
}
