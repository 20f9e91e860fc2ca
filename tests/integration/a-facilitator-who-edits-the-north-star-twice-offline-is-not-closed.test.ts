/**
 * Offline work is the case the gate must never punish. A facilitator who loses the network,
 * edits the north star twice and a shape in a team's layer twice, and comes back sends it all
 * in one SyncStep2: each record's first edit as an item Yjs has already deleted (the second
 * overwrote it), then the second. The first must not read as a deletion ("the north star
 * cannot be deleted"): the facilitator stays connected, and everyone, a fresh joiner and the
 * board after a restart see the last values. Found by the honest-peer fuzz (seed 120).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { JEUGD, type LayeredBoard, recordsAfterRestart, SHAPE_IN, startLayeredBoard } from '../helpers/layers.ts'
import { putRecords, recordsSnapshot } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a facilitator who edits the north star twice while offline', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('is not closed when they come back, and everyone sees the last values', async () => {
    const watcher = await env.connect(env.sociaalToken, { sendLocalUpdates: false })
    const online = await env.connect(env.board.tokens.facilitator)
    const doc = online.doc
    const records = getRecordsMap(doc)
    const get = (id: string) => getRecord(records, id) as StoredRecord
    await online.close()

    // Offline: two edits of each record, each its own transaction, as two gestures are.
    const northStar = get(NORTH_STAR_ID)
    const props = northStar.props as Record<string, unknown>
    for (const subtitle of ['Eerste versie', 'Tweede versie']) {
      putRecords(doc, [{ ...northStar, props: { ...props, subtitle } }])
    }
    const inTeam = get(SHAPE_IN[JEUGD])
    for (const x of [100, 200]) putRecords(doc, [{ ...inTeam, x }])
    const expected = recordsSnapshot(doc)
    expect(expected[NORTH_STAR_ID]).toMatchObject({ props: { subtitle: 'Tweede versie' } })
    expect(expected[SHAPE_IN[JEUGD]]).toMatchObject({ x: 200, meta: { layerId: JEUGD } })

    // Back online with the same browser and document: the server's SyncStep1 is answered
    // with everything done offline.
    const back = await env.connect(env.board.tokens.facilitator, { doc })
    await back.roundTrip()
    expect(back.closeInfo).toBeNull()
    expect(recordsSnapshot(back.doc)).toEqual(expected)

    const same = () => JSON.stringify(recordsSnapshot(watcher.doc)) === JSON.stringify(expected)
    await waitFor(same, { message: 'the watcher to see the last values' })
    expect(watcher.closeInfo).toBeNull()
    const joiner = await env.connect(env.board.tokens.participant, { doc: new Y.Doc() })
    expect(recordsSnapshot(joiner.doc)).toEqual(expected)
    expect(await recordsAfterRestart(env)).toEqual(expected)
  })
})
