/**
 * A paste of thousands of shapes with arrows bound to them, by a participant scoped to a
 * layer, sent the way the client's binding sends it (`shared/slices.ts`: slices of
 * `CHANGE_SLICE_BYTES`, layers before shapes before bindings, each its own update): every
 * slice is accepted (the connection stays open), a peer sees all of it, and the server
 * stores all of it. The slices arrive back to back, more than a room handles in one turn
 * (`ROOM_TURN_BYTES`), so the room takes them over several turns, in order.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { encodeRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { boundArrowRecords } from '../../shared/pathRecords.ts'
import { CHANGE_SLICE_BYTES, sliceChange } from '../../shared/slices.ts'
import {
  type LayeredBoard,
  layerRecord,
  recordsAfterRestart,
  SOCIAAL,
  shapeInLayer,
  startLayeredBoard,
} from '../helpers/layers.ts'
import { recordsSnapshot } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

const SHAPES = 2_000
const TEAM = 'layer:plakteam'

function pastedRecords(): StoredRecord[] {
  const records: StoredRecord[] = []
  // The arrows and their bindings come first, as a paste may list them: slicing reorders.
  for (let i = 0; i + 1 < SHAPES; i += 10) {
    const arrow = boundArrowRecords({
      arrowId: `shape:arrow${i}`,
      bindingIds: { start: `binding:start${i}`, end: `binding:end${i}` },
      from: { id: `shape:pasted${i}`, x: i, y: 0 },
      to: { id: `shape:pasted${i + 1}`, x: i + 1, y: 50 },
      index: 'a2',
      layerId: TEAM,
    })
    records.push(...(arrow as unknown as StoredRecord[]))
  }
  for (let i = 0; i < SHAPES; i++) records.push({ ...shapeInLayer(`shape:pasted${i}`, TEAM), x: i, y: i })
  records.push(layerRecord(TEAM, 'Plakteam', SOCIAAL, { index: 9 }))
  return records
}

describe('a big paste', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('goes in slices that are each accepted, and peers and the store get all of it', async () => {
    const scoped = await env.connect(env.sociaalToken)
    const other = await env.connect(env.board.tokens.participant)
    const records = getRecordsMap(scoped.doc)
    const pasted = pastedRecords()
    const slices = sliceChange(
      pasted.map((record) => ({ id: record.id, json: encodeRecord(record) })),
      [],
    )
    expect(slices.length).toBeGreaterThan(4)
    const updates: Uint8Array[] = []
    const collect = (update: Uint8Array) => updates.push(update)
    scoped.doc.on('update', collect)
    for (const slice of slices) {
      scoped.doc.transact(() => {
        for (const { id, json } of slice) if (json !== null) records.set(id, json)
      })
    }
    scoped.doc.off('update', collect)
    expect(updates).toHaveLength(slices.length)
    for (const update of updates) expect(update.length).toBeLessThan(CHANGE_SLICE_BYTES + 16 * 1024)

    await scoped.roundTrip()
    expect(scoped.closeInfo).toBeNull()
    const seen = getRecordsMap(other.doc)
    await waitFor(() => pasted.every((record) => seen.has(record.id)), {
      message: 'the peer to see every pasted record',
      timeoutMs: 30_000,
    })
    expect(Y.encodeStateVector(other.doc)).toEqual(Y.encodeStateVector(scoped.doc))
    expect(recordsSnapshot(other.doc)).toEqual(recordsSnapshot(scoped.doc))
    expect(await recordsAfterRestart(env)).toEqual(recordsSnapshot(scoped.doc))
  })
})
