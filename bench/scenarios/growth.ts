/**
 * Scenario 4 (document growth): 5 people make `moves` moves of 100 shapes through the
 * server, in drags (bursts of 50 moves of one shape by one person, as `doc-growth.ts`
 * calls realistic). Then: bytes stored before and after compaction against the JSON size
 * of the final records.
 * - Stip: the SQLite store's bytes for the board (`SqliteStore.documentBytes`: snapshot +
 *   update log) right after the moves, and after the last client left (the room compacts).
 * - Hocuspocus-SQLite: its `documents` row (it always stores the whole state, so before and
 *   after are the same row; read after the last client left, when it stores).
 * - y-websocket (memory): the document's encoded state as a fresh client receives it.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import * as Y from 'yjs'
import { SqliteStore } from '../../server/store/sqlite.ts'
import { isStip, type ServerKind, ServerProcess } from '../lib/servers.ts'
import { sleep, waitUntil } from '../lib/stats.ts'
import { SyncClient, shapeRecord } from '../lib/sync-client.ts'

const SHAPES = 100
const PEOPLE = 5
const BURST = 50

/** Whether a client has every one of our shapes (a board may also hold records of its own). */
function hasAllShapes(client: SyncClient): boolean {
  for (let i = 0; i < SHAPES; i++) if (!client.records.has(`shape:s${i}`)) return false
  return true
}

export interface GrowthResult {
  server: ServerKind
  moves: number
  jsonBytes: number
  /** Sum of the updates the clients sent (what a store without merging or compaction keeps). */
  updateBytes: number
  storedBeforeCompaction: number
  storedAfterCompaction: number
  ratioAfter: number
  ms: number
}

function sqliteBytes(kind: ServerKind, dataDir: string, docName: string): number {
  if (isStip(kind)) {
    const store = new SqliteStore(dataDir, { lock: false }) // the server is running on it
    try {
      return store.documentBytes(docName)
    } finally {
      store.close()
    }
  }
  const db = new Database(path.join(dataDir, 'hocuspocus.sqlite'), { readonly: true })
  try {
    const row = db.prepare('SELECT LENGTH(data) AS bytes FROM documents WHERE name = ?').get(docName) as
      | { bytes: number }
      | undefined
    return row?.bytes ?? 0
  } finally {
    db.close()
  }
}

export async function runGrowth(kind: ServerKind, moves: number): Promise<GrowthResult> {
  // Five clients stand in for a whole busy room and send as fast as flow control lets them,
  // far above one person's rate: Stip's per-connection limit is raised, as an administrator
  // could, since what is measured here is storage, not the limit (it closed them at ~12,000).
  const server = await ServerProcess.start(kind, undefined, {
    STIP_UPDATES_PER_SECOND: '100000',
    STIP_UPDATE_BURST: '100000',
  })
  try {
    const room = await server.createRoom('growth')
    const people = await Promise.all(Array.from({ length: PEOPLE }, () => SyncClient.open(server.endpoint(room))))
    const watcher = await SyncClient.open(server.endpoint(room))
    people[0].doc.transact(() => {
      for (let i = 0; i < SHAPES; i++) people[0].put(shapeRecord(`shape:s${i}`, 0, 0, {}))
    })
    // Everyone has every shape before the first drag, or a drag could race its creation.
    if (!(await waitUntil(() => [...people, watcher].every((client) => hasAllShapes(client)), 20_000))) {
      throw new Error('the shapes did not reach everyone')
    }
    const started = performance.now()
    for (let move = 0; move < moves; move++) {
      const drag = Math.floor(move / BURST)
      const person = people[drag % PEOPLE]
      const i = (drag * 7) % SHAPES
      person.put(shapeRecord(`shape:s${i}`, move, move, {}))
      // Flow control: after every 10 drags, wait until the watcher has seen the last move.
      if ((move + 1) % (BURST * 10) === 0 || move === moves - 1) {
        const ok = await waitUntil(() => watcher.get(`shape:s${i}`)?.x === move, 10_000, 2)
        if (!ok)
          throw new Error(
            `move ${move} never reached the watcher: it has x=${String(watcher.get(`shape:s${i}`)?.x)}, person x=${String(person.get(`shape:s${i}`)?.x)}, closed=${people.map((p) => p.closed)}`,
          )
      }
    }
    const ms = performance.now() - started
    const jsonBytes = JSON.stringify(
      Object.fromEntries([...watcher.records.keys()].map((id) => [id, watcher.get(id)])),
    ).length
    const updateBytes = people.reduce((sum, person) => sum + person.updateBytesSent, 0)
    await sleep(300)
    let before: number
    let after: number
    if (kind === 'y-websocket' || kind === 'hocuspocus-memory' || kind === 'stip-memory') {
      const fresh = await SyncClient.open(server.endpoint(room))
      before = after = Y.encodeStateAsUpdate(fresh.doc).length
      fresh.close()
    } else {
      before = isStip(kind) ? sqliteBytes(kind, server.dataDir, room.docName) : Number.NaN
      for (const client of [...people, watcher]) client.close()
      // Stip compacts when the last client leaves; Hocuspocus stores.
      await waitUntil(
        () => {
          after = sqliteBytes(kind, server.dataDir, room.docName)
          return isStip(kind) ? after < before : after > 0
        },
        15_000,
        200,
      )
      after = sqliteBytes(kind, server.dataDir, room.docName)
      if (!isStip(kind)) before = after
    }
    for (const client of [...people, watcher]) if (!client.closed) client.close()
    return {
      server: kind,
      moves,
      jsonBytes,
      updateBytes,
      storedBeforeCompaction: before,
      storedAfterCompaction: after,
      ratioAfter: after / jsonBytes,
      ms,
    }
  } finally {
    await server.stop()
  }
}
