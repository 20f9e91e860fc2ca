/**
 * What the history costs and how fast replay seeks in it: a board with 100,000 stored
 * updates (one row each, as a room stores one merged row per busy turn), 500 shapes drawn
 * and dragged by 5 people over 180 days, compacted and checkpointed as a room does it
 * (snapshot every 1,000 rows, a checkpoint every 500). Then, through a real Stip server on
 * that data directory, over HTTP as the replay view asks:
 * - opening replay: `GET /api/boards/:id/history` (extent and 600 moments);
 * - seeking: `GET …/history/state?seq=` for 20 moments picked at random (cold: each from
 *   its nearest checkpoint), and a playback of 600 frames (`&from=`, warm) at 25 a second.
 * And the disk: the history's bytes per 10,000 updates, checkpoints, the SQLite file.
 *
 * Run: npx tsx bench/history.ts [updates]   (prints figures; asserts nothing)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as Y from 'yjs'
import { startServer } from '../server/app.ts'
import { initialDocumentUpdate } from '../server/boardDocument.ts'
import { silentLogger } from '../server/log.ts'
import { DEFAULT_COMPACTION } from '../server/room/persistence.ts'
import { SqliteStore } from '../server/store/sqlite.ts'
import { hashToken, newBoardId, newToken } from '../server/tokens.ts'
import { getRecordsMap, setRecord } from '../shared/doc.ts'
import type { HistoryInfoResponse } from '../shared/historyApi.ts'
import { authorizationHeader, ROUTES, routePath } from '../shared/routes.ts'
import { shapeRecord } from '../tests/helpers/records.ts'

const UPDATES = Number(process.argv[2] ?? 100_000)
const SHAPES = 500
const PEOPLE = 5
const BURST = 20
const DAYS = 180

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-history-bench-'))
  const start = Date.now() - DAYS * 24 * 3600 * 1000
  const clock = { now: start }
  const store = new SqliteStore(dir, { now: () => clock.now, synchronous: 'normal' })
  const boardId = newBoardId()
  const token = newToken()
  store.createBoard(
    { id: boardId, name: 'Bench', created: new Date(start).toISOString() },
    { facilitator: hashToken(token), participant: hashToken(newToken()), display: hashToken(newToken()) },
    initialDocumentUpdate('Bench'),
  )
  const doc = new Y.Doc()
  Y.applyUpdate(doc, initialDocumentUpdate('Bench'))
  let last: Uint8Array | null = null
  doc.on('update', (update: Uint8Array) => {
    last = update
  })
  const people = Array.from({ length: PEOPLE }, (_, i) => 1000 + i)
  const records = getRecordsMap(doc)
  const built = performance.now()
  let rows = 1
  let sinceCheckpoint = 1
  let seq = 0
  for (let i = 0; rows < UPDATES; i++) {
    const person = people[Math.floor(i / BURST) % PEOPLE]
    doc.clientID = person // each person writes under their own client id
    const shape = Math.floor(i / BURST) % SHAPES
    const base = shapeRecord(`shape:s${shape}`)
    setRecord(records, { ...base, x: (i * 7) % 3000, y: (i * 13) % 2000 })
    if (!last) throw new Error('no update')
    clock.now = start + Math.floor((rows / UPDATES) * DAYS * 24 * 3600 * 1000)
    seq = store.appendUpdates(boardId, [last])
    rows++
    sinceCheckpoint++
    if (
      rows % DEFAULT_COMPACTION.compactAfterUpdates === 0 ||
      sinceCheckpoint >= DEFAULT_COMPACTION.checkpointEveryRows
    ) {
      const checkpoint = sinceCheckpoint >= DEFAULT_COMPACTION.checkpointEveryRows
      store.compact(boardId, Y.encodeStateAsUpdate(doc), seq, { checkpoint })
      if (checkpoint) sinceCheckpoint = 0
    }
  }
  store.compact(boardId, Y.encodeStateAsUpdate(doc), seq, { checkpoint: true })
  const buildMs = performance.now() - built
  const storage = store.storageOf(boardId)
  const info = store.historyInfo(boardId)
  store.close()
  const fileBytes = ['stip.sqlite', 'stip.sqlite-wal']
    .map((file) => path.join(dir, file))
    .filter((file) => fs.existsSync(file))
    .reduce((sum, file) => sum + fs.statSync(file).size, 0)

  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir: dir, log: silentLogger })
  const get = async (url: string) => {
    const started = performance.now()
    const response = await fetch(new URL(url, server.url), { headers: { authorization: authorizationHeader(token) } })
    const body = new Uint8Array(await response.arrayBuffer())
    if (response.status !== 200) throw new Error(`${url}: ${response.status} ${new TextDecoder().decode(body)}`)
    return { ms: performance.now() - started, body }
  }
  const opened = await get(routePath(ROUTES.history, { boardId }))
  const history = JSON.parse(new TextDecoder().decode(opened.body)) as HistoryInfoResponse
  const state = routePath(ROUTES.historyState, { boardId })
  // Cold seeks: a moment at random, each far from the last, so each starts at a checkpoint.
  const seeks: number[] = []
  for (let i = 0; i < 20; i++) {
    const moment = history.moments[Math.floor(((i * 7919) % 600) * (history.moments.length / 600))]
    const { ms, body } = await get(`${state}?seq=${moment.seq}`)
    const check = new Y.Doc()
    Y.applyUpdate(check, body)
    seeks.push(ms)
  }
  const openAndSeek = opened.ms + Math.max(...seeks)
  // Playback: every moment, each frame only what changed since the one before, at 25 frames a
  // second (under the replay's rate limit; the page itself plays 10 a second).
  await new Promise((resolve) => setTimeout(resolve, 2000)) // the cold seeks' burst refills
  const frames: number[] = []
  let previous: number | null = null
  for (const moment of history.moments) {
    const started = performance.now()
    const { ms } = await get(
      previous === null ? `${state}?seq=${moment.seq}` : `${state}?seq=${moment.seq}&from=${previous}`,
    )
    frames.push(ms)
    previous = moment.seq
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 40 - (performance.now() - started))))
  }
  const playMs = frames.reduce((sum, ms) => sum + ms, 0)
  await server.close()
  fs.rmSync(dir, { recursive: true, force: true })

  console.log(
    `History bench: ${info.rows} stored updates, ${SHAPES} shapes, ${PEOPLE} people, ${DAYS} days (built in ${(buildMs / 1000).toFixed(1)} s)`,
  )
  console.log(
    `  disk: history ${mb(storage.history)} (${kb((storage.history / info.rows) * 10_000)} per 10,000 updates), ${info.checkpoints} checkpoints ${mb(storage.checkpoints)}, snapshot+tail ${kb(storage.document)}, SQLite file ${mb(fileBytes)} (${kb((fileBytes / info.rows) * 10_000)} per 10,000 updates, indexes included)`,
  )
  console.log(`  open replay (GET history, ${history.moments.length} moments): ${opened.ms.toFixed(0)} ms`)
  console.log(
    `  seek to a random moment (cold, 20 seeks): median ${median(seeks).toFixed(0)} ms, max ${Math.max(...seeks).toFixed(0)} ms`,
  )
  console.log(`  open + worst seek: ${openAndSeek.toFixed(0)} ms (wanted < 2000 ms)`)
  console.log(
    `  playback of ${frames.length} frames (from → to): ${(playMs / 1000).toFixed(1)} s of server time in all, median ${median(frames).toFixed(1)} ms, max ${Math.max(...frames).toFixed(0)} ms a frame`,
  )
}

await main()
