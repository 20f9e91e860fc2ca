/**
 * Scenario 6b (kill -9 after a burst): a writer adds `writes` new shape records as fast as
 * it can, `RECORDS_PER_UPDATE` to an update (as an editor's changes of one frame go
 * together; one update a record would be a flood Stip's gate closes, see README "Limits");
 * as soon as a peer has received all of them the server gets `kill -9`. Then it is
 * restarted on the same data folder: how many records came back, how many the peer had
 * seen but are gone, and the time from restart until a fresh client holds every record
 * the server brings back (a server that loads a document after answering, as y-websocket's
 * LevelDB persistence does, is timed until its records have arrived). With `settleMs` the
 * kill comes that long after the peer had everything: a server that writes behind (y-leveldb
 * stores updates one after another) has caught up by then, so restarts compare like for like.
 */
import { type ServerKind, ServerProcess } from '../lib/servers.ts'
import { now, sleep, waitUntil } from '../lib/stats.ts'
import { SyncClient, shapeRecord } from '../lib/sync-client.ts'

/** Records in one update of the burst. */
const RECORDS_PER_UPDATE = 10
/** A fresh client after the restart is done once no record arrived for this long. */
const SETTLED_MS = 1_000

export interface Kill9Result {
  server: ServerKind
  writes: number
  seenByPeer: number
  recovered: number
  lost: number
  restartToListeningMs: number
  restartToSyncedMs: number
}

export async function runKill9(kind: ServerKind, writes: number, settleMs = 0): Promise<Kill9Result> {
  const server = await ServerProcess.start(kind)
  try {
    const room = await server.createRoom('kill-9')
    const writer = await SyncClient.open(server.endpoint(room))
    const peer = await SyncClient.open(server.endpoint(room))
    const initial = peer.records.size // a board may start with records of its own
    for (let start = 0; start < writes; start += RECORDS_PER_UPDATE) {
      writer.doc.transact(() => {
        for (let i = start; i < Math.min(writes, start + RECORDS_PER_UPDATE); i++) {
          writer.put(shapeRecord(`shape:k${i}`, i, i, {}))
        }
      })
      if (start % 100 === 90) await sleep(0)
    }
    if (!(await waitUntil(() => peer.records.size >= initial + writes, 60_000, 1))) {
      throw new Error(`${kind}: the peer received ${peer.records.size - initial} of ${writes} records`)
    }
    await sleep(settleMs)
    await server.kill9()
    const seen = new Set(peer.records.keys())
    writer.close()
    peer.close()
    const restarted = now()
    await server.restart()
    const listening = now()
    const fresh = await SyncClient.open(server.endpoint(room), 60_000)
    let synced = now()
    let size = fresh.records.size
    while (size < seen.size && now() - synced < SETTLED_MS) {
      await sleep(1)
      if (fresh.records.size !== size) {
        size = fresh.records.size
        synced = now()
      }
    }
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
