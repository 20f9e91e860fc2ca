/**
 * `meta.display` steers every wall display of the board, its join link (the QR code people
 * scan) included. A participant may not write it, a facilitator only with fields the
 * display's sanitizer keeps as they are, and a key no setting owns is refused for everyone.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { META_DISPLAY_KEY } from '../../shared/display.ts'
import { getMetaMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { updateFrom } from '../helpers/records.ts'

const ATTEMPTS: [string, 'participant' | 'facilitator', string, unknown, number][] = [
  [
    'a participant pointing the join code elsewhere',
    'participant',
    META_DISPLAY_KEY,
    { showJoinCode: true, joinLink: 'https://evil.example/' },
    CloseCode.Forbidden,
  ],
  [
    'a facilitator with a mode nobody knows',
    'facilitator',
    META_DISPLAY_KEY,
    { mode: 'party' },
    CloseCode.InvalidRecord,
  ],
  [
    'a facilitator with a field nobody knows',
    'facilitator',
    META_DISPLAY_KEY,
    { mode: 'tour', script: '<x>' },
    CloseCode.InvalidRecord,
  ],
  ['a facilitator under a key no setting owns', 'facilitator', 'locked', true, CloseCode.InvalidRecord],
  ['a participant under a key no setting owns', 'participant', 'title', 'Overgenomen', CloseCode.Forbidden],
]

describe('a write of the board’s settings', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it.each(ATTEMPTS)('is refused from %s', async (_who, role, key, value, code) => {
    const token = role === 'facilitator' ? env.board.tokens.facilitator : env.board.tokens.participant
    const attacker = await env.attacker(token)
    attacker.sendUpdate(updateFrom(attacker.doc, (copy) => getMetaMap(copy).set(key, value)))
    expect((await closedWith(attacker)).code).toBe(code)
    await env.expectUnharmed()
  })

  it('is taken from a facilitator with valid fields', async () => {
    const facilitator = await env.attacker(env.board.tokens.facilitator)
    facilitator.sendUpdate(
      updateFrom(facilitator.doc, (copy) => getMetaMap(copy).set(META_DISPLAY_KEY, { mode: 'tour', tourSeconds: 30 })),
    )
    await facilitator.roundTrip()
    expect(facilitator.closeInfo).toBeNull()
    const watcher = await env.connect(env.board.tokens.display)
    expect(getMetaMap(watcher.doc).get(META_DISPLAY_KEY)).toEqual({ mode: 'tour', tourSeconds: 30 })
    await env.canary.stop()
  })
})
