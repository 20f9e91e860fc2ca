/**
 * A participant may add sub-layers inside what it may write, as deep as the layer panel
 * lets anyone (`MAX_LAYER_DEPTH`). One update building a chain of 4,000 nested layers with
 * a shape in each made the rights check walk the whole chain for every shape (and every
 * walk rebuilt the chain): minutes of a frozen server. Writability is now worked out once
 * per layer, and a participant's layer deeper than the limit is refused (Forbidden). A chain
 * that long no longer fits in one update (`STIP_MAX_UPDATE_BYTES`: UpdateTooComplex); one as
 * long as fits is refused for its depth.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../server/room/limits.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { layerRecord, SOCIAAL, shapeInLayer } from '../helpers/layers.ts'
import type { RawClient } from '../helpers/raw-client.ts'
import { putRecords, updateFrom } from '../helpers/records.ts'

describe('a chain of thousands of sub-layers with a shape in each', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  /** A chain of `length` nested layers under Sociaal domein with a shape in each, as one update. */
  const chain = (attacker: RawClient, length: number) => {
    const layers = Array.from({ length }, (_, i) =>
      layerRecord(`layer:deep${i}`, `Laag ${i}`, i === 0 ? SOCIAAL : `layer:deep${i - 1}`),
    )
    const shapes = layers.map((layer, i) => shapeInLayer(`shape:deep${i}`, layer.id))
    // Built with the canary paused: the test shares its event loop with the server.
    return env.canary.paused(() => updateFrom(attacker.doc, (copy) => putRecords(copy, [...shapes, ...layers])))
  }

  it('is refused with Forbidden, and the server keeps answering', async () => {
    const attacker = await env.attacker(env.sociaalToken)
    // As long as one update may be (`STIP_MAX_UPDATE_BYTES`): far deeper than the limit.
    const update = await chain(attacker, 450)
    expect(update.length).toBeLessThan(DEFAULT_LIMITS.maxUpdateBytes)
    attacker.sendUpdate(update)
    expect((await closedWith(attacker, 10_000)).code).toBe(CloseCode.Forbidden)
    expect(getRecordsMap(attacker.doc).has('layer:deep0')).toBe(false)
    await env.expectUnharmed()
  })

  it('of 4,000 is refused for its bytes before its rights are read', async () => {
    const attacker = await env.attacker(env.sociaalToken)
    attacker.sendUpdate(await chain(attacker, 4_000))
    expect((await closedWith(attacker, 10_000)).code).toBe(CloseCode.UpdateTooComplex)
    await env.expectUnharmed()
  })
})
