/**
 * The rights check must judge an update by what Yjs will do with it, not by the records it
 * happens to spell out. Two valid Yjs updates a hostile participant can build with Yjs
 * itself (see tests/helpers/layers-crafted.ts):
 * - a new, already-deleted value for a key, without a delete set: applying it deletes the
 *   key's current value (here the north star, or a shape in another department's layer);
 * - two concurrent values for one key in one update: the one Yjs keeps (the higher client
 *   id's) puts a shape in a layer the participant may not write; the other is harmless.
 * Each must be refused like its plain form: socket closed with Forbidden, nothing applied,
 * forwarded or stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import {
  CHANNELS,
  type LayeredBoard,
  PUBLIEK,
  recordsAfterRestart,
  SHAPE_IN,
  SOCIAAL,
  shapeInLayer,
  startLayeredBoard,
  tryUpdate,
} from '../helpers/layers.ts'
import { concurrentValues, deletionDisguisedAsNewItem } from '../helpers/layers-crafted.ts'

describe('a crafted update from the participant scoped to Sociaal domein', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('does what the tests assume when Yjs applies it (a check of the helpers themselves)', () => {
    const doc = new Y.Doc()
    getRecordsMap(doc).set(NORTH_STAR_ID, shapeInLayer(NORTH_STAR_ID, null))
    const probe = new Y.Doc()
    Y.applyUpdate(probe, Y.encodeStateAsUpdate(doc))
    Y.applyUpdate(probe, deletionDisguisedAsNewItem(doc, NORTH_STAR_ID))
    expect(getRecordsMap(probe).has(NORTH_STAR_ID)).toBe(false)
    expect(Y.decodeUpdate(deletionDisguisedAsNewItem(doc, NORTH_STAR_ID)).ds.clients.size).toBe(0)

    const twice = new Y.Doc()
    Y.applyUpdate(twice, Y.encodeStateAsUpdate(doc))
    Y.applyUpdate(
      twice,
      concurrentValues(doc, 'shape:x', shapeInLayer('shape:x', PUBLIEK), shapeInLayer('shape:x', SOCIAAL)),
    )
    expect(getRecord(getRecordsMap(twice), 'shape:x')?.meta).toEqual({ layerId: PUBLIEK })
  })

  for (const channel of CHANNELS) {
    for (const [what, id] of [
      ['the north star', NORTH_STAR_ID],
      ['a shape in Publiekszaken', SHAPE_IN[PUBLIEK]],
    ]) {
      it(`is refused when it deletes ${what} without naming it in its delete set (as ${channel})`, async () => {
        const refusal = await tryUpdate(env, env.sociaalToken, channel, (sender) =>
          deletionDisguisedAsNewItem(sender.doc, id),
        )
        expect(refusal.after, `${id} must survive`).toHaveProperty([id])
        expect(refusal.after).toEqual(refusal.before)
        expect(refusal.forwarded).toBe(0)
        expect(refusal.close?.code).toBe(CloseCode.Forbidden)
        expect(await recordsAfterRestart(env)).toEqual(refusal.before)
      })
    }

    for (const [what, id] of [
      ['creates a shape in Publiekszaken', 'shape:sneaky'],
      ['moves its shape into Publiekszaken', SHAPE_IN[SOCIAAL]],
    ]) {
      it(`is refused when the value Yjs keeps ${what} (as ${channel})`, async () => {
        const refusal = await tryUpdate(env, env.sociaalToken, channel, (sender) =>
          concurrentValues(sender.doc, id, shapeInLayer(id, PUBLIEK), shapeInLayer(id, SOCIAAL)),
        )
        expect(refusal.after).toEqual(refusal.before)
        expect(refusal.forwarded).toBe(0)
        expect(refusal.close?.code).toBe(CloseCode.Forbidden)
        expect(await recordsAfterRestart(env)).toEqual(refusal.before)
      })
    }
  }
})
