import { describe, expect, it } from 'vitest'
import { createRootLayer, type LayerRecord, ROOT_LAYER_ID } from './layers.ts'
import {
  type Ballot,
  castVote,
  isVotable,
  ranks,
  refuseRound,
  resultCsv,
  retractVote,
  tally,
  type VotingRound,
  votesLeft,
} from './voting.ts'

const NOW = 1_800_000_000_000
const round = (overrides: Partial<VotingRound> = {}): VotingRound => ({
  id: 'round-1',
  layerId: null,
  votesPerPerson: 3,
  severalPerItem: false,
  targets: 'shapes',
  results: 'end',
  open: true,
  openedAt: NOW - 1000,
  endsAt: null,
  ...overrides,
})
const at = { now: NOW, votable: true }

function castAll(start: Ballot, items: string[], r: VotingRound) {
  let ballot = start
  const refusals: string[] = []
  for (const item of items) {
    const result = castVote(ballot, item, r, at)
    if (result.ok) ballot = result.ballot
    else refusals.push(result.reason)
  }
  return { ballot, refusals }
}

describe('the vote tally', () => {
  it('keeps a person within their votes', () => {
    const { ballot, refusals } = castAll({}, ['shape:a', 'shape:b', 'shape:c', 'shape:d'], round())
    expect(ballot).toEqual({ 'shape:a': 1, 'shape:b': 1, 'shape:c': 1 })
    expect(refusals).toEqual(['no-votes-left'])
    expect(votesLeft(ballot, round())).toBe(0)
  })

  it('one vote per item unless the round allows several', () => {
    expect(castAll({}, ['shape:a', 'shape:a'], round()).refusals).toEqual(['already-voted'])
    const several = castAll({}, ['shape:a', 'shape:a', 'shape:a'], round({ severalPerItem: true }))
    expect(several.ballot).toEqual({ 'shape:a': 3 })
  })

  it('takes a vote back, and only one that was cast', () => {
    const cast = castAll({}, ['shape:a', 'shape:b'], round({ severalPerItem: true, votesPerPerson: 5 }))
    const back = retractVote(cast.ballot, 'shape:a', round(), NOW)
    expect(back).toEqual({ ok: true, ballot: { 'shape:b': 1 } })
    expect(retractVote({}, 'shape:a', round(), NOW)).toEqual({ ok: false, reason: 'no-vote-to-take-back' })
  })

  it('refuses every vote once the round is closed or its time is up', () => {
    expect(castVote({}, 'shape:a', round({ open: false }), at)).toEqual({ ok: false, reason: 'round-closed' })
    expect(castVote({}, 'shape:a', round({ endsAt: NOW }), at)).toEqual({ ok: false, reason: 'round-closed' })
    expect(retractVote({ 'shape:a': 1 }, 'shape:a', round({ open: false }), NOW).ok).toBe(false)
    expect(castVote({}, 'shape:a', round(), { now: NOW, votable: false })).toEqual({ ok: false, reason: 'not-votable' })
  })

  it('adds up ballots, most first, equal votes sharing a rank', () => {
    const entries = tally([{ 'shape:b': 1, 'shape:a': 2 }, { 'shape:b': 1 }, { 'shape:c': 1 }, {}])
    expect(entries).toEqual([
      { shapeId: 'shape:a', votes: 2 },
      { shapeId: 'shape:b', votes: 2 },
      { shapeId: 'shape:c', votes: 1 },
    ])
    expect(ranks(entries)).toEqual([1, 1, 3])
    expect(resultCsv(entries, (id) => (id === 'shape:a' ? 'Zaak, "snel"' : id))).toBe(
      'rank,votes,title,id\r\n1,2,"Zaak, ""snel""",shape:a\r\n1,2,shape:b,shape:b\r\n3,1,shape:c,shape:c\r\n',
    )
  })

  it('lets only the round’s kind of shape in its layer and below be voted on', () => {
    const dept: LayerRecord = { ...createRootLayer('Ruimte'), id: 'layer:ruimte', parentId: ROOT_LAYER_ID }
    const team: LayerRecord = { ...createRootLayer('Team'), id: 'layer:team', parentId: 'layer:ruimte' }
    const layers = new Map([
      [ROOT_LAYER_ID, createRootLayer()],
      [dept.id, dept],
      [team.id, team],
    ])
    const milestone = { id: 'shape:m', typeName: 'shape', type: 'milestone', meta: { layerId: 'layer:team' } }
    const note = { id: 'shape:n', typeName: 'shape', type: 'note', meta: {} }
    expect(isVotable(milestone, { targets: 'milestones', layerId: 'layer:ruimte' }, layers)).toBe(true)
    expect(isVotable(note, { targets: 'milestones', layerId: null }, layers)).toBe(false)
    expect(isVotable(note, { targets: 'notes', layerId: 'layer:ruimte' }, layers)).toBe(false)
    expect(isVotable(note, { targets: 'shapes', layerId: null }, layers)).toBe(true)
    expect(isVotable({ id: 'layer:x', typeName: 'layer' }, { targets: 'shapes', layerId: null }, layers)).toBe(false)
  })

  it('refuses round settings outside their ranges', () => {
    expect(refuseRound(round())).toBeNull()
    expect(refuseRound(round({ votesPerPerson: 21 }))).toMatch(/1 to 20/)
    expect(refuseRound(round({ votesPerPerson: 0 }))).toMatch(/1 to 20/)
    expect(refuseRound({ ...round(), targets: 'layers' })).toMatch(/targets/)
    expect(refuseRound({ ...round(), ballots: {} })).toMatch(/unknown/)
    expect(refuseRound(round({ endsAt: NOW - 5000 }))).toMatch(/endsAt/)
  })
})
