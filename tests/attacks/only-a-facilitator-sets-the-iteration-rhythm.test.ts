/**
 * `meta.iterations` numbers every milestone on every screen and decides what is overdue.
 * A participant may not write it (nor delete it), a facilitator only a rhythm of two, three
 * or four weeks from a real first day, and nothing else in it.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getMetaMap } from '../../shared/doc.ts'
import { META_ITERATIONS_KEY } from '../../shared/iterations.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { updateFrom } from '../helpers/records.ts'

const ATTEMPTS: [string, 'participant' | 'facilitator', unknown, number][] = [
  ['a participant with a valid rhythm', 'participant', { weeks: 2, firstStart: '2026-11-30' }, CloseCode.Forbidden],
  [
    'a facilitator with five-week iterations',
    'facilitator',
    { weeks: 5, firstStart: '2026-11-30' },
    CloseCode.InvalidRecord,
  ],
  [
    'a facilitator with a day that does not exist',
    'facilitator',
    { weeks: 2, firstStart: '2026-02-30' },
    CloseCode.InvalidRecord,
  ],
  [
    'a facilitator with a field nobody knows',
    'facilitator',
    { weeks: 3, firstStart: '2026-11-30', offsetDays: -90 },
    CloseCode.InvalidRecord,
  ],
  ['a facilitator with a number for a rhythm', 'facilitator', 14, CloseCode.InvalidRecord],
]

describe('a write of the board’s iteration rhythm', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it.each(ATTEMPTS)('is refused from %s', async (_who, role, value, code) => {
    const token = role === 'facilitator' ? env.board.tokens.facilitator : env.board.tokens.participant
    const attacker = await env.attacker(token)
    attacker.sendUpdate(updateFrom(attacker.doc, (copy) => getMetaMap(copy).set(META_ITERATIONS_KEY, value)))
    expect((await closedWith(attacker)).code).toBe(code)
    await env.expectUnharmed()
  })

  it('is taken from a facilitator, and a participant cannot delete it', async () => {
    const facilitator = await env.attacker(env.board.tokens.facilitator)
    const rhythm = { weeks: 3, firstStart: '2026-11-30' }
    facilitator.sendUpdate(updateFrom(facilitator.doc, (copy) => getMetaMap(copy).set(META_ITERATIONS_KEY, rhythm)))
    await facilitator.roundTrip()
    expect(facilitator.closeInfo).toBeNull()

    const participant = await env.attacker(env.board.tokens.participant)
    participant.sendUpdate(updateFrom(participant.doc, (copy) => getMetaMap(copy).delete(META_ITERATIONS_KEY)))
    expect((await closedWith(participant)).code).toBe(CloseCode.Forbidden)

    const watcher = await env.connect(env.board.tokens.display)
    expect(getMetaMap(watcher.doc).get(META_ITERATIONS_KEY)).toEqual(rhythm)
    await env.canary.stop()
  })
})
