/**
 * A Yjs client without garbage collection (`new Y.Doc({ gc: false })`, any client may be
 * one) that writes a new value under a key and deletes it in the same update sends the new
 * value whole, with the update's delete set removing it: Yjs applies that as a deletion of
 * the key. It must be judged as one: writing the north star or the root layer and deleting
 * it again is refused like deleting it, even for the facilitator, and nothing is applied.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { CHANNELS, type LayeredBoard, recordsAfterRestart, startLayeredBoard, tryUpdate } from '../helpers/layers.ts'

/** The update of a copy of `doc` without garbage collection that rewrites `key` and deletes it. */
function rewriteAndDelete(doc: Y.Doc, key: string): Uint8Array {
  const copy = new Y.Doc({ gc: false })
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
  const before = Y.encodeStateVector(copy)
  const records = getRecordsMap(copy)
  copy.transact(() => {
    records.set(key, records.get(key) as string)
    records.delete(key)
  })
  const update = Y.encodeStateAsUpdate(copy, before)
  copy.destroy()
  return update
}

describe('the facilitator', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('sends what the test assumes: the new value whole, deleted by its own delete set', () => {
    const doc = new Y.Doc()
    getRecordsMap(doc).set(NORTH_STAR_ID, '{}')
    const update = rewriteAndDelete(doc, NORTH_STAR_ID)
    const [item] = Y.decodeUpdate(update).structs as Y.Item[]
    expect(item.content).toBeInstanceOf(Y.ContentAny)
    expect(Y.isDeleted(Y.decodeUpdate(update).ds, item.id)).toBe(true)
    Y.applyUpdate(doc, update)
    expect(getRecordsMap(doc).has(NORTH_STAR_ID)).toBe(false)
  })

  for (const [what, id] of [
    ['the north star', NORTH_STAR_ID],
    ['the root layer', ROOT_LAYER_ID],
  ]) {
    for (const channel of CHANNELS) {
      it(`is closed with Forbidden when it rewrites ${what} and deletes it in one update (as ${channel})`, async () => {
        const refusal = await tryUpdate(env, env.board.tokens.facilitator, channel, (sender) =>
          rewriteAndDelete(sender.doc, id),
        )
        expect(refusal.close?.code).toBe(CloseCode.Forbidden)
        expect(refusal.forwarded).toBe(0)
        expect(refusal.after).toEqual(refusal.before)
        expect(refusal.after).toHaveProperty([id])
        expect(await recordsAfterRestart(env)).toEqual(refusal.before)
      })
    }
  }
})
