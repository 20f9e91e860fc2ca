/**
 * The facilitator may do everything the scoped participant is refused: edit the north
 * star, write in any department's layer and in locked layers, move shapes between
 * layers, lock, unlock, hide and restructure layers, rename the page and the document.
 * All of it in one update and in single updates, seen by another client and stored.
 */
import { TLDOCUMENT_ID } from '@tldraw/tlschema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import {
  BESLOTEN,
  JEUGD,
  type LayeredBoard,
  layerRecord,
  PUBLIEK,
  recordsAfterRestart,
  SHAPE_IN,
  SOCIAAL,
  shapeInLayer,
  startLayeredBoard,
  WERKGROEP,
} from '../helpers/layers.ts'
import { putRecords, recordsSnapshot } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('the facilitator', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('writes every layer, the layer tree, the north star, the page and the document', async () => {
    const facilitator = await env.connect(env.board.tokens.facilitator)
    const watcher = await env.connect(env.sociaalToken, { sendLocalUpdates: false })
    const records = getRecordsMap(facilitator.doc)
    const get = (id: string) => getRecord(records, id) as StoredRecord

    // One change at a time, each its own update…
    const steps: (() => void)[] = [
      () => putRecords(facilitator.doc, [{ ...get(NORTH_STAR_ID), x: 10, y: 20 }]),
      () => putRecords(facilitator.doc, [{ ...get(SHAPE_IN[PUBLIEK]), x: 77 }]),
      () => putRecords(facilitator.doc, [shapeInLayer('shape:new-in-publiek', PUBLIEK)]),
      () => records.delete(SHAPE_IN[PUBLIEK]),
      () => putRecords(facilitator.doc, [{ ...get(SHAPE_IN[SOCIAAL]), meta: { layerId: PUBLIEK } }]),
      () => putRecords(facilitator.doc, [shapeInLayer('shape:new-in-besloten', BESLOTEN)]),
      () => putRecords(facilitator.doc, [{ ...get(SHAPE_IN[WERKGROEP]), x: 5 }]),
      () => putRecords(facilitator.doc, [{ ...get(PUBLIEK), locked: true, name: 'Publiekszaken (dicht)' }]),
      () => putRecords(facilitator.doc, [{ ...get(BESLOTEN), locked: false }]),
      () => putRecords(facilitator.doc, [{ ...get(JEUGD), visible: false, parentId: PUBLIEK }]),
      () => putRecords(facilitator.doc, [{ ...get('page:page'), name: 'Het bord' }]),
      () => putRecords(facilitator.doc, [{ ...get(TLDOCUMENT_ID), name: 'Het bord' }]),
    ]
    for (const step of steps) {
      step()
      await facilitator.roundTrip()
    }
    // …and several at once.
    facilitator.doc.transact(() => {
      putRecords(facilitator.doc, [
        layerRecord('layer:dicht', 'Dicht', PUBLIEK, { locked: true, visible: false, index: 5 }),
        shapeInLayer('shape:in-dicht', 'layer:dicht'),
        { ...get(NORTH_STAR_ID), meta: { layerId: 'layer:root' }, x: 0 },
      ])
      records.delete(WERKGROEP)
      records.delete(SHAPE_IN[WERKGROEP])
    })
    await facilitator.roundTrip()
    expect(facilitator.closeInfo).toBeNull()

    const expected = recordsSnapshot(facilitator.doc)
    expect(expected[SHAPE_IN[SOCIAAL]]).toMatchObject({ meta: { layerId: PUBLIEK } })
    expect(expected[PUBLIEK]).toMatchObject({ locked: true })
    expect(expected).not.toHaveProperty([WERKGROEP])
    await waitFor(() => JSON.stringify(recordsSnapshot(watcher.doc)) === JSON.stringify(expected), {
      message: 'the watching participant to receive every change',
    })
    expect(await recordsAfterRestart(env)).toEqual(expected)
  })
})
