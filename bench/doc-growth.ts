/**
 * How big does a board's document get when people drag shapes around for an hour?
 * 100 shapes, 100,000 moves by 5 people, every move a whole-record write as the client
 * binding does it, compared between the two Yjs layouts we considered:
 * - `Y.Map` of records keyed by id (what Stip uses), and
 * - y-utility's `YKeyValue` (a Y.Array of {key, val}).
 * Two patterns: realistic drags (each drag is a burst of moves of one shape by one
 * person) and the worst case (every move by another person on another shape).
 *
 * Run: npx tsx bench/doc-growth.ts [moves] [burst]
 */
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'

const SHAPES = 100
const PEOPLE = 5
const MOVES = Number(process.argv[2] ?? 100_000)

function shape(i: number, x: number, y: number) {
  return {
    id: `shape:s${i}`,
    typeName: 'shape',
    type: 'geo',
    x,
    y,
    rotation: 0,
    index: `a${i}`,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { geo: 'rectangle', w: 100, h: 100, color: 'black', fill: 'none', dash: 'draw', size: 'm' },
  }
}

interface Layout {
  name: string
  open(doc: Y.Doc): { set(key: string, value: unknown): void }
  json(doc: Y.Doc): unknown
}

const layouts: Layout[] = [
  { name: 'Y.Map', open: (doc) => doc.getMap('records'), json: (doc) => doc.getMap('records').toJSON() },
  {
    name: 'YKeyValue',
    open: (doc) => new YKeyValue(doc.getArray('records')),
    json: (doc) => doc.getArray('records').toJSON(),
  },
]

function run(layout: Layout, burst: number) {
  const server = new Y.Doc()
  const people = Array.from({ length: PEOPLE }, () => new Y.Doc())
  const maps = people.map((doc) => layout.open(doc))
  let logBytes = 0
  for (const doc of people) {
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'remote') return
      logBytes += update.length
      Y.applyUpdate(server, update)
      for (const other of people) if (other !== doc) Y.applyUpdate(other, update, 'remote')
    })
  }
  people[0].transact(() => {
    for (let i = 0; i < SHAPES; i++) maps[0].set(`shape:s${i}`, shape(i, 0, 0))
  })
  const started = performance.now()
  for (let move = 0; move < MOVES; move++) {
    const drag = Math.floor(move / burst)
    const person = drag % PEOPLE
    const i = (drag * 7) % SHAPES
    people[person].transact(() => maps[person].set(`shape:s${i}`, shape(i, move, move)))
  }
  return {
    layout: layout.name,
    burst,
    moves: MOVES,
    ms: Math.round(performance.now() - started),
    logBytes,
    compactedBytes: Y.encodeStateAsUpdate(server).length,
    jsonBytes: JSON.stringify(layout.json(server)).length,
  }
}

const bursts = process.argv[3] ? [Number(process.argv[3])] : [50, 1]
const rows = []
for (const burst of bursts) {
  for (const layout of layouts) {
    // YKeyValue slows down quadratically in the worst case; measure it on fewer moves.
    if (layout.name === 'YKeyValue' && burst === 1 && MOVES > 10_000) continue
    const row = run(layout, burst)
    rows.push({ ...row, ratio: (row.compactedBytes / row.jsonBytes).toFixed(2) })
  }
}
console.table(rows)
