/**
 * The north star and the root layer are the board's anchor: nobody deletes them, not even
 * the facilitator. Such an update is refused whole and its socket closed with Forbidden.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import {
  CHANNELS,
  type LayeredBoard,
  recordsAfterRestart,
  SHAPE_IN,
  startLayeredBoard,
  tryUpdate,
} from '../helpers/layers.ts'
import { updateFrom } from '../helpers/records.ts'

const WHO: [string, (env: LayeredBoard) => string][] = [
  ['the facilitator', (env) => env.board.tokens.facilitator],
  ['a participant', (env) => env.board.tokens.participant],
  ['a participant scoped to a layer', (env) => env.sociaalToken],
]

const RECORDS: [string, string][] = [
  ['the north star', NORTH_STAR_ID],
  ['the root layer', ROOT_LAYER_ID],
]

describe('nobody', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  for (const [who, token] of WHO) {
    for (const [what, id] of RECORDS) {
      for (const channel of CHANNELS) {
        it(`deletes ${what}: ${who} is closed with Forbidden (as ${channel})`, async () => {
          const refusal = await tryUpdate(env, token(env), channel, (sender) =>
            updateFrom(sender.doc, (doc) => getRecordsMap(doc).delete(id)),
          )
          expect(refusal.close?.code).toBe(CloseCode.Forbidden)
          expect(refusal.forwarded).toBe(0)
          expect(refusal.after).toEqual(refusal.before)
          expect(refusal.after).toHaveProperty([id])
          expect(await recordsAfterRestart(env)).toEqual(refusal.before)
        })
      }
    }
  }

  it('deletes the root layer with everything in it, even the facilitator in one update', async () => {
    const role: Role = 'facilitator'
    const refusal = await tryUpdate(env, env.board.tokens[role], 'Update', (sender) =>
      updateFrom(sender.doc, (doc) => {
        const records = getRecordsMap(doc)
        for (const id of [...records.keys()]) if (id !== SHAPE_IN['layer:root']) records.delete(id)
      }),
    )
    expect(refusal.close?.code).toBe(CloseCode.Forbidden)
    expect(refusal.after).toEqual(refusal.before)
    expect(await recordsAfterRestart(env)).toEqual(refusal.before)
  })
})
