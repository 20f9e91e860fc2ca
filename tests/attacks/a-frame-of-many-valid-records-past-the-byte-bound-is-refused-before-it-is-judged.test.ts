/**
 * Under the struct limit, one frame could still carry 9,999 valid shapes of 1.1 KB each
 * (10.5 MB, well under the frame limit): judging, applying and storing it held the
 * server's event loop for about 280 ms. The gate bounds an update's bytes
 * (`STIP_MAX_UPDATE_BYTES`) before anything is decoded and closes the sender with
 * UpdateTooComplex; the Stip client sends such a change in slices far below the bound.
 * One record alone in its update may be as large as its own limit: a picture near the
 * asset limit is still taken.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../server/room/limits.ts'
import { getRecordsMap, setRecord } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { CHANNELS, SOCIAAL, sendAs, shapeInLayer } from '../helpers/layers.ts'
import { imageAssetRecord, updateFrom } from '../helpers/records.ts'

describe('a frame of many valid records past the byte bound', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it.each(CHANNELS)('is refused with UpdateTooComplex before it is judged (as %s)', async (channel) => {
    const attacker = await env.attacker(env.sociaalToken)
    const update = await env.canary.paused(() =>
      updateFrom(attacker.doc, (copy) =>
        copy.transact(() => {
          for (let i = 0; i < DEFAULT_LIMITS.maxUpdateStructs - 1; i++) {
            const shape = shapeInLayer(`shape:flood${i}`, SOCIAAL)
            shape.meta = { note: 'x'.repeat(560) }
            setRecord(getRecordsMap(copy), shape)
          }
        }),
      ),
    )
    // Every record valid and within its rights: only its bytes are too many.
    expect(update.length).toBeGreaterThan(20 * DEFAULT_LIMITS.maxUpdateBytes)
    sendAs(attacker, channel, update)
    expect((await closedWith(attacker, 10_000)).code).toBe(CloseCode.UpdateTooComplex)
    await env.expectUnharmed()
  })

  it('takes one picture near the asset limit, alone in its update', async () => {
    const sender = await env.attacker(env.sociaalToken)
    const picture = imageAssetRecord('asset:photo', DEFAULT_LIMITS.maxAssetBytes - 1024)
    const update = await env.canary.paused(() =>
      updateFrom(sender.doc, (copy) => setRecord(getRecordsMap(copy), picture)),
    )
    expect(update.length).toBeGreaterThan(DEFAULT_LIMITS.maxUpdateBytes)
    sender.sendUpdate(update)
    await sender.roundTrip(10_000)
    expect(sender.closeInfo).toBeNull()
    // Its cost (about 30 ms of the server's loop) is measured by `bench/worst-frame.ts`: here
    // the canary would also time this process decoding the 4 MB broadcast it receives.
    await env.canary.stop()
    const fresh = await env.connect(env.board.tokens.facilitator, { sendLocalUpdates: false })
    expect(getRecordsMap(fresh.doc).get('asset:photo')).toBe(JSON.stringify(picture))
  })
})
