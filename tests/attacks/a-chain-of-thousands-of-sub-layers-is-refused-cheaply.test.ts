/**
 * A participant may add sub-layers inside what it may write, as deep as the layer panel
 * lets anyone (`MAX_LAYER_DEPTH`). One update building a chain of 4,000 nested layers with
 * a shape in each made the rights check walk the whole chain for every shape (and every
 * walk rebuilt the chain): minutes of a frozen server. Writability is now worked out once
 * per layer, and a participant's layer deeper than the limit is refused (Forbidden).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { layerRecord, SOCIAAL, shapeInLayer } from '../helpers/layers.ts'
import { putRecords, updateFrom } from '../helpers/records.ts'

describe('a chain of thousands of sub-layers with a shape in each', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('is refused with Forbidden, and the server keeps answering', async () => {
    const attacker = await env.attacker(env.sociaalToken)
    const layers = Array.from({ length: 4_000 }, (_, i) =>
      layerRecord(`layer:deep${i}`, `Laag ${i}`, i === 0 ? SOCIAAL : `layer:deep${i - 1}`),
    )
    const shapes = layers.map((layer, i) => shapeInLayer(`shape:deep${i}`, layer.id))
    // Built with the canary paused: the test shares its event loop with the server.
    const update = await env.canary.paused(() =>
      updateFrom(attacker.doc, (copy) => putRecords(copy, [...shapes, ...layers])),
    )
    attacker.sendUpdate(update)
    expect((await closedWith(attacker, 10_000)).code).toBe(CloseCode.Forbidden)
    expect(getRecordsMap(attacker.doc).has('layer:deep0')).toBe(false)
    await env.expectUnharmed()
  })
})
