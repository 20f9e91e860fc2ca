/**
 * Rights are checked per record but decided per update: an update from the participant
 * scoped to "Sociaal domein" that writes one record it may write and one it may not is
 * refused whole — the allowed record is not applied, forwarded or stored either.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import {
  CHANNELS,
  JEUGD,
  type LayeredBoard,
  PUBLIEK,
  recordsAfterRestart,
  SHAPE_IN,
  SOCIAAL,
  shapeInLayer,
  startLayeredBoard,
  tryUpdate,
} from '../helpers/layers.ts'
import { putRecords, updateFrom } from '../helpers/records.ts'

describe('an update with one allowed and one forbidden record', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  for (const channel of CHANNELS) {
    it(`applies nothing of it (as ${channel})`, async () => {
      const refusal = await tryUpdate(env, env.sociaalToken, channel, (sender) =>
        updateFrom(sender.doc, (doc) => {
          const records = getRecordsMap(doc)
          putRecords(doc, [
            shapeInLayer('shape:allowed', SOCIAAL),
            { ...(getRecord(records, SHAPE_IN[JEUGD]) as StoredRecord), x: 42 },
            shapeInLayer('shape:forbidden', PUBLIEK),
          ])
          records.delete(SHAPE_IN[SOCIAAL])
        }),
      )
      expect(refusal.close?.code).toBe(CloseCode.Forbidden)
      // The reason names the record, so the sender's browser keeps the rest of its work.
      expect(refusal.close?.reason).toBe('Forbidden shape:forbidden')
      expect(refusal.forwarded).toBe(0)
      expect(refusal.after).toEqual(refusal.before)
      expect(refusal.after).not.toHaveProperty(['shape:allowed'])
      expect(await recordsAfterRestart(env)).toEqual(refusal.before)
    })

    it(`applies nothing when the forbidden record is a north star move (as ${channel})`, async () => {
      const refusal = await tryUpdate(env, env.sociaalToken, channel, (sender) =>
        updateFrom(sender.doc, (doc) => {
          const records = getRecordsMap(doc)
          putRecords(doc, [
            { ...(getRecord(records, NORTH_STAR_ID) as StoredRecord), y: 999 },
            shapeInLayer('shape:allowed', JEUGD),
          ])
        }),
      )
      expect(refusal.close?.code).toBe(CloseCode.Forbidden)
      expect(refusal.forwarded).toBe(0)
      expect(refusal.after).toEqual(refusal.before)
      expect(await recordsAfterRestart(env)).toEqual(refusal.before)
    })
  }
})
