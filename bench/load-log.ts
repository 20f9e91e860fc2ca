/**
 * What a room pays to load a board whose update log was not compacted (a restart after
 * `kill -9`): the log's rows applied one by one in one transaction (what
 * `server/room/persistence.ts` does) against merging them first with `Y.mergeUpdates`.
 * Both check each row with `Y.decodeUpdate` first, as the room does.
 *
 *   npx tsx bench/load-log.ts [--records 10000] [--moves 2000] [--repeats 5]
 */
import * as Y from 'yjs'
import { median } from './lib/stats.ts'
import { shapeRecord } from './lib/sync-client.ts'

const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`)
  return at === -1 ? fallback : Number(process.argv[at + 1])
}
const records = arg('records', 10_000)
const moves = arg('moves', 2_000)
const repeats = arg('repeats', 5)

// The log as the kill -9 scenario leaves it: new records 10 to an update, then moves of
// 100 shapes, one update each.
const source = new Y.Doc()
const map = source.getMap<string>('records')
const rows: Uint8Array[] = []
source.on('update', (update: Uint8Array) => rows.push(update))
for (let start = 0; start < records; start += 10) {
  source.transact(() => {
    for (let i = start; i < Math.min(records, start + 10); i++) {
      map.set(`shape:k${i}`, JSON.stringify(shapeRecord(`shape:k${i}`, i, i, {})))
    }
  })
}
for (let i = 0; i < moves; i++) {
  const id = `shape:k${i % 100}`
  map.set(id, JSON.stringify(shapeRecord(id, i, i, {})))
}

function time(label: string, load: () => Y.Doc): Y.Doc {
  const times: number[] = []
  let doc = new Y.Doc()
  for (let i = 0; i < repeats; i++) {
    const started = performance.now()
    doc = load()
    times.push(performance.now() - started)
  }
  console.log(`${label}: median ${median(times).toFixed(1)} ms of ${repeats}`)
  return doc
}

console.log(`${rows.length} rows, ${records} records, ${moves} moves`)
const merged = time('decode each, merge, apply', () => {
  const doc = new Y.Doc()
  for (const row of rows) Y.decodeUpdate(row)
  Y.applyUpdate(doc, Y.mergeUpdates(rows))
  return doc
})
const oneByOne = time('decode each, apply each in one transaction', () => {
  const doc = new Y.Doc()
  for (const row of rows) Y.decodeUpdate(row)
  doc.transact(() => {
    for (const row of rows) Y.applyUpdate(doc, row)
  })
  return doc
})
const same = Buffer.compare(Y.encodeStateAsUpdate(merged), Y.encodeStateAsUpdate(oneByOne)) === 0
console.log(`same document: ${same}`)
if (!same) process.exitCode = 1
