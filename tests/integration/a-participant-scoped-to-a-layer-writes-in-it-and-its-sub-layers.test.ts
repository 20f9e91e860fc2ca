/**
 * A participant link scoped to "Sociaal domein" may create, change and delete shapes in
 * that layer and in its team layer, and add a layer below it; another client sees every
 * change, and the scoped connection stays open. It syncs the whole board, other layers too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import {
  JEUGD,
  type LayeredBoard,
  layerRecord,
  PUBLIEK,
  recordsAfterRestart,
  SHAPE_IN,
  SOCIAAL,
  shapeInLayer,
  startLayeredBoard,
} from '../helpers/layers.ts'
import { putRecords, recordsSnapshot } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('a participant scoped to a layer', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('writes in its layer and its team sub-layer, and another client sees it', async () => {
    const scoped = await env.connect(env.sociaalToken)
    const other = await env.connect(env.board.tokens.participant)

    // It sees the whole board, not only its own layer.
    const seen = getRecordsMap(scoped.doc)
    for (const id of [NORTH_STAR_ID, SHAPE_IN[PUBLIEK], PUBLIEK]) expect(seen.has(id), id).toBe(true)

    putRecords(scoped.doc, [
      shapeInLayer('shape:new-in-sociaal', SOCIAAL),
      shapeInLayer('shape:new-in-jeugd', JEUGD),
      { ...shapeInLayer(SHAPE_IN[SOCIAAL], SOCIAAL), x: 321 },
      { ...shapeInLayer(SHAPE_IN[JEUGD], SOCIAAL) }, // moved up from the team into the department
      layerRecord('layer:wijkteam', 'Wijkteam Noord', SOCIAAL, { index: 3 }),
      shapeInLayer('shape:new-in-wijkteam', 'layer:wijkteam'),
    ])
    getRecordsMap(scoped.doc).delete('shape:new-in-sociaal')
    await scoped.roundTrip()
    expect(scoped.closeInfo).toBeNull()

    const records = getRecordsMap(other.doc)
    await waitFor(() => records.has('shape:new-in-wijkteam') && !records.has('shape:new-in-sociaal'), {
      message: 'the other client to see the scoped participant’s changes',
    })
    expect(getRecord(records, 'shape:new-in-jeugd')?.meta).toEqual({ layerId: JEUGD })
    expect(getRecord(records, SHAPE_IN[SOCIAAL])?.x).toBe(321)
    expect(getRecord(records, SHAPE_IN[JEUGD])?.meta).toEqual({ layerId: SOCIAAL })
    expect(getRecord(records, 'layer:wijkteam')?.parentId).toBe(SOCIAAL)
    expect(recordsSnapshot(other.doc)).toEqual(recordsSnapshot(scoped.doc))

    const expected = recordsSnapshot(scoped.doc)
    expect(await recordsAfterRestart(env)).toEqual(expected)
  })
})
