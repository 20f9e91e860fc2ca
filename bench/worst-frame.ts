/**
 * The cost of one big valid frame (issue #10's bound: no single frame may block the event
 * loop for more than 50 ms). Builds each frame as an honest client would send it, then
 * hands it to a real room on a real SQLite store (`synchronous=full`, the default) in this
 * process and measures, per frame: the longest event-loop block while it is received,
 * judged, applied, stored and broadcast to one peer (`monitorEventLoopDelay` and the time
 * of each synchronous step), the CPU it cost and the RSS jump; `accepted` says whether
 * the room took it (a refused frame's figures are what refusing it cost).
 *
 * `npx tsx bench/worst-frame.ts` (add `--only paste` for the frames whose name matches the
 * pattern; run it under `node --cpu-prof --import tsx` to see where the time goes).
 * Figures on a shared 2-core machine are noisy: each frame is measured `--repeats` times
 * (default 3) on a fresh room, and the median is printed.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import * as Y from 'yjs'
import { initialDocumentUpdate } from '../server/boardDocument.ts'
import { silentLogger } from '../server/log.ts'
import { docSeenBy, fakeSocket } from '../server/room/fake-socket.ts'
import { Room } from '../server/room/room.ts'
import { SqliteStore } from '../server/store/sqlite.ts'
import { encodeRecord, getRecordsMap, type StoredRecord, setRecord } from '../shared/doc.ts'
import { assetBytesForFile, DEFAULT_MAX_IMAGE_FILE_BYTES } from '../shared/images.ts'
import { SyncStep, syncFrame } from '../shared/protocol.ts'
import { sliceChange, sliceUpdate } from '../shared/slices.ts'
import { imageAssetRecord, shapeRecord } from '../tests/helpers/records.ts'

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined
const repeats = process.argv.includes('--repeats') ? Number(process.argv[process.argv.indexOf('--repeats') + 1]) : 3

/** A frame as a client sends it: its Yjs update, in one transaction of a fresh client. */
function pasteUpdate(shapes: number, padding: number): Uint8Array {
  const doc = new Y.Doc()
  const records = getRecordsMap(doc)
  doc.transact(() => {
    for (let i = 0; i < shapes; i++) {
      const record = shapeRecord(`shape:paste${i}`)
      record.x = i * 3
      record.y = i * 2
      if (padding > 0) record.meta = { note: 'x'.repeat(padding) }
      setRecord(records, record)
    }
  })
  return Y.encodeStateAsUpdate(doc)
}

/** `extra` records and `shapes` shapes (as `pasteUpdate`), in one transaction of a fresh client. */
function recordsUpdate(shapes: number, extra: StoredRecord[]): Uint8Array {
  const doc = new Y.Doc()
  const records = getRecordsMap(doc)
  doc.transact(() => {
    for (const record of extra) setRecord(records, record)
    for (let i = 0; i < shapes; i++) {
      const record = shapeRecord(`shape:paste${i}`)
      record.x = i * 3
      setRecord(records, record)
    }
  })
  return Y.encodeStateAsUpdate(doc)
}

/** One shape of about `bytes` of JSON (a long label in its meta). */
function bigShape(bytes: number): StoredRecord {
  const record = shapeRecord('shape:big')
  record.meta = { note: 'x'.repeat(bytes - 700) }
  return record
}

/** The default asset limit (`STIP_MAX_ASSET_BYTES`): what the editor's 3 MiB picture becomes. */
const ASSET_LIMIT = assetBytesForFile(DEFAULT_MAX_IMAGE_FILE_BYTES)

/** An image asset of about `bytes` of JSON. */
const picture = (bytes: number) => imageAssetRecord('asset:photo', bytes - 1024)

/** The same paste as the client sends it: in slices of `CHANGE_SLICE_BYTES`, one frame each. */
function slicedPaste(shapes: number): Uint8Array[] {
  const doc = new Y.Doc()
  const records = getRecordsMap(doc)
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  const puts = []
  for (let i = 0; i < shapes; i++) {
    const record = shapeRecord(`shape:paste${i}`)
    record.x = i * 3
    record.y = i * 2
    puts.push({ id: record.id, json: encodeRecord(record) })
  }
  for (const slice of sliceChange(puts, [])) {
    doc.transact(() => {
      for (const { id, json } of slice) if (json !== null) records.set(id, json)
    })
  }
  return updates
}

const FRAMES: { name: string; update: () => Uint8Array | Uint8Array[] }[] = [
  // A paste of 5,000 shapes in one frame, about 2.4 MB (a client that does not slice; the
  // gate now refuses it for its bytes).
  { name: 'paste of 5,000 shapes', update: () => pasteUpdate(5_000, 0) },
  // The worst frame the struct limit alone let through: 9,999 structs (the limit is 10,000
  // with the delete set), each a record of about 1.1 KB (now refused for its bytes).
  { name: 'worst valid: 9,999 shapes of 1.1 KB', update: () => pasteUpdate(9_999, 560) },
  // The honest paste as the client sends it now, every frame arriving in one turn.
  { name: 'sliced paste of 5,000 shapes', update: () => slicedPaste(5_000) },
  // The same 5,000 shapes drawn offline, as the client now answers the server's SyncStep1.
  { name: 'sliced offline work of 5,000 shapes', update: () => sliceUpdate(pasteUpdate(5_000, 0), new Map()) },
  // The worst frames the limits let through (`STIP_MAX_UPDATE_BYTES`, 384 KiB; one record
  // alone in its update up to its own limit, with `ALONE_BYTES` besides): as many shapes as
  // fit; one record at its limit (1 MiB); one picture at the asset limit (a 3 MiB file,
  // 4 MiB of base64), alone and with 64 KiB of shapes.
  { name: 'worst within the byte bound: 810 shapes', update: () => recordsUpdate(810, []) },
  { name: 'one record of 1 MiB', update: () => recordsUpdate(0, [bigShape(1024 * 1024 - 64)]) },
  { name: 'one picture at the asset limit', update: () => recordsUpdate(0, [picture(ASSET_LIMIT)]) },
  {
    name: 'one picture at the asset limit and 130 shapes',
    update: () => recordsUpdate(130, [picture(ASSET_LIMIT)]),
  },
  // A 10 MB picture, which tldraw takes by default: 13.4 MB of base64 (the editor now stops
  // it at 3 MiB; the server refuses it past `STIP_MAX_ASSET_BYTES`).
  { name: 'a picture of 10 MB', update: () => recordsUpdate(0, [picture(13_400_000)]) },
]

interface Measure {
  /** Longest synchronous run of the room's work for the frame (receive + end-of-turn flush). */
  blockMs: number
  /** CPU time of that run (user + system): less swayed by other processes than `blockMs`. */
  blockCpuMs: number
  /** Longest event-loop delay seen by `monitorEventLoopDelay` (1 ms resolution). */
  loopMaxMs: number
  cpuMs: number
  rssJumpMiB: number
  accepted: boolean
}

async function measure(updates: Uint8Array[], shapes: number, target: Map<number, number>): Promise<Measure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stip-worst-frame-'))
  const store = new SqliteStore(dir)
  try {
    const board = 'board-worst'
    store.createBoard(
      { id: board, name: 'Worst', created: new Date().toISOString() },
      {
        facilitator: 'f',
        participant: 'p',
        display: 'd',
      },
    )
    store.compact(board, initialDocumentUpdate('Worst'), 0)
    const room = new Room(board, store, silentLogger)
    const sender = fakeSocket()
    const peer = fakeSocket()
    const from = room.connect(sender, 'participant', 'p')
    room.connect(peer, 'participant', 'p')
    await new Promise((resolve) => setImmediate(resolve))
    const frames = updates.map((update) => syncFrame(SyncStep.Update, update))
    global.gc?.()
    const rssBefore = process.memoryUsage().rss
    const loop = monitorEventLoopDelay({ resolution: 1 })
    loop.enable()
    await new Promise((resolve) => setTimeout(resolve, 20))
    const cpuBefore = process.cpuUsage()
    let longest = 0
    let longestCpu = 0
    const timed = (run: () => void) => {
      const started = performance.now()
      const cpuAtStart = process.cpuUsage()
      run()
      const cpu = process.cpuUsage(cpuAtStart)
      longest = Math.max(longest, performance.now() - started)
      longestCpu = Math.max(longestCpu, (cpu.user + cpu.system) / 1000)
    }
    const sentBefore = peer.sent.length
    // The peer never asked for the board: it sees only what is broadcast, the paste.
    // The room's work for one frame happens in two synchronous runs: the frame's handler
    // (gate, apply) and the end-of-turn flush (store, broadcast). Each is one block.
    const flush = room.flush.bind(room)
    room.flush = () => timed(flush)
    timed(() => {
      for (const frame of frames) room.receive(from, frame)
    })
    // Until every frame is stored and sent (a room may take several turns for them).
    const applied = () => [...target].every(([client, clock]) => Y.getState(room.doc.store, client) >= clock)
    for (let waited = 0; !applied() && sender.closed === null && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
    const cpu = process.cpuUsage(cpuBefore)
    loop.disable()
    const rssJump = process.memoryUsage().rss - rssBefore
    const accepted =
      sender.closed === null && peer.sent.length > sentBefore && docSeenBy(peer).getMap('records').size >= shapes
    room.destroy()
    return {
      blockMs: longest,
      blockCpuMs: longestCpu,
      loopMaxMs: loop.max / 1e6,
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssJumpMiB: rssJump / 1024 / 1024,
      accepted,
    }
  } finally {
    store.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
const round = (value: number) => Math.round(value * 10) / 10

console.log(
  `load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}, ${new Date().toISOString()}`,
)
for (const { name, update: build } of FRAMES) {
  if (only && !new RegExp(only).test(name)) continue
  const built = build()
  const updates = Array.isArray(built) ? built : [built]
  const runs: Measure[] = []
  const pasted = new Y.Doc()
  for (const update of updates) Y.applyUpdate(pasted, update)
  const shapes = getRecordsMap(pasted).size
  const target = Y.decodeStateVector(Y.encodeStateVector(pasted))
  for (let i = 0; i < repeats; i++) runs.push(await measure(updates, shapes, target))
  console.log(
    JSON.stringify({
      frame: name,
      frames: updates.length,
      bytes: updates.reduce((sum, update) => sum + update.length, 0),
      accepted: runs.every((run) => run.accepted),
      blockMs: round(median(runs.map((run) => run.blockMs))),
      blockCpuMs: round(median(runs.map((run) => run.blockCpuMs))),
      loopMaxMs: round(median(runs.map((run) => run.loopMaxMs))),
      loopMaxMsBest: round(Math.min(...runs.map((run) => run.loopMaxMs))),
      cpuMs: round(median(runs.map((run) => run.cpuMs))),
      rssJumpMiB: round(median(runs.map((run) => run.rssJumpMiB))),
    }),
  )
}
