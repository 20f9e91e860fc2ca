/**
 * CPU per update of one room in a fresh process, in-process and without sockets: a `Room`
 * on a MemoryStore with `receivers` object sockets that drop what they get, and five
 * participants whose drags (a shape record each, as the fan-out's senders write them) go
 * through `receive` → the gate → apply → the end-of-turn flush → the broadcast, one turn
 * each. Prints, for every 250 updates, the process's CPU per update (all threads) and its
 * main thread's (in 10 ms ticks): the difference is V8 compiling and collecting on its own
 * threads. How a fresh process warms up, apart from the network and the clients.
 *
 *   npx tsx bench/room-cost.ts [receivers=49] [updates=3000]
 *   node --trace-opt --import tsx bench/room-cost.ts   # what V8 optimises meanwhile
 */
import * as Y from 'yjs'
import { initialDocumentUpdate } from '../server/boardDocument.ts'
import { silentLogger } from '../server/log.ts'
import { tick } from '../server/room/fake-socket.ts'
import { Room } from '../server/room/room.ts'
import { MemoryStore } from '../server/store/memory.ts'
import { getRecordsMap, setRecord } from '../shared/doc.ts'
import { SyncStep, syncFrame } from '../shared/protocol.ts'
import { shapeRecord } from '../tests/helpers/records.ts'
import { sampleProcess } from './lib/proc.ts'

const receivers = Number(process.argv[2] ?? 49)
const total = Number(process.argv[3] ?? 3000)
const EVERY = 250
const SENDERS = 5
const BOARD = 'b'.repeat(20)

const store = new MemoryStore()
store.createBoard(
  { id: BOARD, name: 'Bench', created: new Date().toISOString() },
  { facilitator: 'f', participant: 'p', display: 'd' },
)
store.compact(BOARD, initialDocumentUpdate('Bench'), 0)
const room = new Room(BOARD, store, silentLogger)
const dropping = () => ({ send() {}, close() {}, bufferedAmount: 0 })
const senders = Array.from({ length: SENDERS }, (_, index) => {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(room.doc))
  const connection = room.connect(dropping(), 'participant', 'p', null, `browser-secret-${index}`.padEnd(43, 'x'))
  return { doc, connection, index }
})
for (let r = 0; r < receivers; r++) room.connect(dropping(), 'participant', 'p')
await tick()

// Every frame is made before anything is timed: each sender's doc only ever holds its own moves.
const frames = Array.from({ length: total }, (_, n) => {
  const sender = senders[n % SENDERS]
  const updates: Uint8Array[] = []
  const collect = (update: Uint8Array) => updates.push(update)
  sender.doc.on('update', collect)
  const id = `shape:drag${sender.index}`
  setRecord(getRecordsMap(sender.doc), { ...shapeRecord(id), x: n % 400, y: (n * 7) % 300 })
  sender.doc.off('update', collect)
  return { connection: sender.connection, frame: syncFrame(SyncStep.Update, Y.mergeUpdates(updates)) }
})

/** Milliseconds of CPU: the whole process, and its main thread (from /proc, 10 ms ticks). */
const processMs = () => {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}
const mainThreadMs = () => sampleProcess(process.pid).mainThreadSeconds * 1000

let [processAt, mainAt] = [processMs(), mainThreadMs()]
for (let n = 0; n < total; n++) {
  room.receive(frames[n].connection, frames[n].frame)
  await tick()
  if ((n + 1) % EVERY !== 0) continue
  const [processNow, mainNow] = [processMs(), mainThreadMs()]
  const perUpdate = (ms: number) => `${Math.round((ms * 1000) / EVERY)} µs`
  console.log(
    `updates ${n + 2 - EVERY}–${n + 1}: ${perUpdate(processNow - processAt)} per update, main thread ${perUpdate(mainNow - mainAt)}`,
  )
  ;[processAt, mainAt] = [processNow, mainNow]
}
if (getRecordsMap(room.doc).size === 0) throw new Error('no update was applied')
room.destroy()
