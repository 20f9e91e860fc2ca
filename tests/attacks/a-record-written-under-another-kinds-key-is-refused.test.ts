/**
 * A record's kind is its key's: `shape:north-star` holds a shape, whatever the value says.
 * A participant writes, with one plain Y.Map `set`, a value whose `typeName` claims a kind
 * everyone may write (an asset, a user) over the north star, the root layer, the page, or
 * a shape in a locked layer. Each is refused whole with InvalidRecord, the board stays as
 * it was for a fresh peer, honest edits still arrive and the server answers throughout.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecord, getRecordsMap, type StoredRecord, setRecord } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { NORTH_STAR_ID, PAGE_ID } from '../../shared/schema/index.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { BESLOTEN, SHAPE_IN } from '../helpers/layers.ts'
import { updateFrom } from '../helpers/records.ts'

const SPOOFS: [string, string, (current: StoredRecord) => StoredRecord][] = [
  ['the north star, as an asset', NORTH_STAR_ID, (star) => ({ ...star, typeName: 'asset', x: 999 })],
  ['the root layer, as a user', ROOT_LAYER_ID, (root) => ({ ...root, typeName: 'user', locked: true })],
  ['the page, as a user', PAGE_ID, (page) => ({ ...page, typeName: 'user', name: 'Overgenomen' })],
  ['a shape in a locked layer, as an asset', SHAPE_IN[BESLOTEN], (shape) => ({ ...shape, typeName: 'asset', x: 5 })],
]

describe('a value that claims another kind than its key', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it.each(SPOOFS)('is refused with InvalidRecord when it overwrites %s', async (_what, id, spoof) => {
    const attacker = await env.attacker(env.board.tokens.participant)
    const current = getRecord(getRecordsMap(attacker.doc), id)
    expect(current, `${id} exists`).toBeDefined()
    // The plain write, as any Yjs client sends it.
    attacker.sendUpdate(
      updateFrom(attacker.doc, (copy) => setRecord(getRecordsMap(copy), spoof(current as StoredRecord))),
    )
    expect((await closedWith(attacker)).code).toBe(CloseCode.InvalidRecord)
    await env.expectUnharmed()
  })
})
