/**
 * Every record value is checked on the server with the full Stip schema (tldraw's shapes,
 * bindings and assets plus the north star and layers: the registry the client validates
 * with). An update holding one record the schema refuses is refused whole with
 * InvalidRecord, so no client ever skips someone else's change as unreadable.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecord, getRecordsMap, type StoredRecord, setRecord } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { SOCIAAL, shapeInLayer } from '../helpers/layers.ts'
import { updateFrom } from '../helpers/records.ts'

const valid = shapeInLayer('shape:valid', SOCIAAL)
const INVALID: [string, 'participant' | 'facilitator', (doc: StoredRecord | undefined) => StoredRecord][] = [
  ['a geo shape without its props', 'participant', () => ({ ...shapeInLayer('shape:bad', SOCIAAL), props: {} })],
  ['a shape of a type nobody knows', 'participant', () => ({ ...shapeInLayer('shape:bad', SOCIAAL), type: 'virus' })],
  [
    'a north star whose mission is not rich text',
    'facilitator',
    (star) => ({ ...(star as StoredRecord), props: { mission: 42 } }),
  ],
  [
    'a record of a session type (tldraw camera)',
    'participant',
    () => ({ id: 'camera:x', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }),
  ],
]

describe('an update with a record the full schema refuses', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it.each(INVALID)('is refused whole with InvalidRecord: %s', async (_what, role, invalid) => {
    const token = role === 'facilitator' ? env.board.tokens.facilitator : env.sociaalToken
    const attacker = await env.attacker(token)
    const bad = invalid(getRecord(getRecordsMap(attacker.doc), NORTH_STAR_ID))
    attacker.sendUpdate(
      updateFrom(attacker.doc, (copy) =>
        copy.transact(() => {
          setRecord(getRecordsMap(copy), valid) // valid, and refused with the rest
          setRecord(getRecordsMap(copy), bad)
        }),
      ),
    )
    expect((await closedWith(attacker)).code).toBe(CloseCode.InvalidRecord)
    await env.expectUnharmed()
  })
})
