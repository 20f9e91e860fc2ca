/**
 * `meta.schema` says which migrations a board's records are at; a client that finds a
 * schema newer than its own stops writing (it looks like a board of a future Stip). So one
 * write of a "newer" schema would brick the board for everyone. Only a facilitator's client
 * writes it, and only to a schema this server can migrate from; nobody deletes it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getMetaMap, META_SCHEMA_KEY } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { stipSchema } from '../../shared/schema/index.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { updateFrom } from '../helpers/records.ts'

const ours = stipSchema.serialize() as { schemaVersion: number; sequences: Record<string, number> }
const newer = { ...ours, sequences: { ...ours.sequences, 'com.tldraw.shape': 999 } }
const unknownSequence = { ...ours, sequences: { ...ours.sequences, 'com.example.future': 1 } }

const ATTEMPTS: [string, 'participant' | 'facilitator', unknown, number][] = [
  ['a facilitator, a newer version of a sequence', 'facilitator', newer, CloseCode.InvalidRecord],
  ['a facilitator, a sequence this server does not know', 'facilitator', unknownSequence, CloseCode.InvalidRecord],
  ['a facilitator, a newer schema version', 'facilitator', { ...ours, schemaVersion: 99 }, CloseCode.InvalidRecord],
  ['a facilitator, no schema at all', 'facilitator', 'nonsense', CloseCode.InvalidRecord],
  ['a participant, even the server’s own schema', 'participant', ours, CloseCode.Forbidden],
]

describe('a write of meta.schema', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('is there from the board’s creation: the server’s own schema', () => {
    expect(env.before.meta[META_SCHEMA_KEY]).toEqual(ours)
  })

  it.each(ATTEMPTS)('is refused from %s', async (_who, role, value, code) => {
    const token = role === 'facilitator' ? env.board.tokens.facilitator : env.board.tokens.participant
    const attacker = await env.attacker(token)
    attacker.sendUpdate(updateFrom(attacker.doc, (copy) => getMetaMap(copy).set(META_SCHEMA_KEY, value)))
    expect((await closedWith(attacker)).code).toBe(code)
    await env.expectUnharmed()
  })

  it('is refused when a facilitator deletes it', async () => {
    const attacker = await env.attacker(env.board.tokens.facilitator)
    attacker.sendUpdate(updateFrom(attacker.doc, (copy) => getMetaMap(copy).delete(META_SCHEMA_KEY)))
    expect((await closedWith(attacker)).code).toBe(CloseCode.InvalidRecord)
    await env.expectUnharmed()
  })
})
