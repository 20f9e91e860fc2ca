/**
 * Dot voting: the round's settings (`meta.voting`, facilitators only) and the pure rules
 * the server applies to ballots (`server/facilitator/voting.ts`).
 *
 * Ballots never enter the document or presence: the server holds them (a table behind the
 * store interface), keyed by browser identity (the hash of the browser secret, one person
 * = one browser profile), and tallies them. With `results: 'live'` it publishes the counts
 * as they change; with `results: 'end'` nobody, facilitators included, sees anyone's votes
 * but their own until the round closes. On close the server writes the result into the
 * board as a `vote-result` record (`shared/schema/voteResult.ts`).
 *
 * Opening a round: a facilitator writes `meta.voting` with `open: true` and a new `id`.
 * Closing: a facilitator sends the `close-round` signal (or writes `open: false`); a round
 * with `endsAt` closes itself then (the server's timer). Votes are cast and retracted with
 * the `vote` and `unvote` signals of `shared/protocol.ts`.
 */
import { isLayerId, type Layers, layerOfShape, subtreeOf } from './layers.ts'
import type { VoteRefusalReason } from './protocol.ts'
import { MILESTONE_TYPE } from './schema/milestone.ts'

export const META_VOTING_KEY = 'voting'

export const MIN_VOTES = 1
export const MAX_VOTES = 20
/** What may be voted on: milestones, sticky notes, or every shape. */
export const VOTE_TARGETS = ['milestones', 'notes', 'shapes'] as const
export type VoteTarget = (typeof VOTE_TARGETS)[number]
export const VOTE_RESULTS = ['live', 'end'] as const
export type VoteResults = (typeof VOTE_RESULTS)[number]

export interface VotingRound {
  /** Names the round: its ballots and its result record (`vote-result:<id>`). */
  id: string
  /** The layer voted in (with its sub-layers), or null for the whole board. */
  layerId: string | null
  votesPerPerson: number
  /** May one person put more than one vote on one item? */
  severalPerItem: boolean
  targets: VoteTarget
  results: VoteResults
  open: boolean
  /** Server time (ms) the round opened. */
  openedAt: number
  /** Server time (ms) it closes by itself (tied to the timer), or null. */
  endsAt: number | null
}

const ROUND_ID = /^[A-Za-z0-9_-]{6,40}$/

/** Why `value` may not be stored as `meta.voting`; null if it may (undefined: no round). */
export function refuseRound(value: unknown): string | null {
  if (value === undefined) return null
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a voting round is an object'
  const { id, layerId, votesPerPerson, severalPerItem, targets, results, open, openedAt, endsAt, ...rest } =
    value as Record<string, unknown>
  if (Object.keys(rest).length > 0) return `unknown voting field "${Object.keys(rest)[0]}"`
  if (typeof id !== 'string' || !ROUND_ID.test(id)) return 'the round id is 6–40 letters, digits, - or _'
  if (layerId !== null && (!isLayerId(layerId) || layerId.length > 200)) return 'the round is on the board or a layer'
  if (
    typeof votesPerPerson !== 'number' ||
    !Number.isInteger(votesPerPerson) ||
    votesPerPerson < MIN_VOTES ||
    votesPerPerson > MAX_VOTES
  ) {
    return `votes per person are ${MIN_VOTES} to ${MAX_VOTES}`
  }
  if (typeof severalPerItem !== 'boolean') return 'several votes per item is yes or no'
  if (!(VOTE_TARGETS as readonly unknown[]).includes(targets)) return 'targets are milestones, notes or shapes'
  if (!(VOTE_RESULTS as readonly unknown[]).includes(results)) return 'results are live or at the end'
  if (typeof open !== 'boolean') return 'a round is open or closed'
  if (!isTime(openedAt)) return 'openedAt is a time'
  if (endsAt !== null && (!isTime(endsAt) || (endsAt as number) <= (openedAt as number))) {
    return 'endsAt is a time after openedAt, or null'
  }
  return null
}

/** The round in a stored value, or null. */
export function readRound(value: unknown): VotingRound | null {
  return value !== undefined && refuseRound(value) === null ? (value as VotingRound) : null
}

/** Whether a round takes votes at server time `now`. */
export function isRoundOpen(round: VotingRound | null, now: number): round is VotingRound {
  return round?.open === true && (round.endsAt === null || now < round.endsAt)
}

/** Whether a shape record may get votes in `round`: its kind and its layer. */
export function isVotable(
  shape: { id: string; typeName: string; type?: unknown; meta?: unknown },
  round: Pick<VotingRound, 'targets' | 'layerId'>,
  layers: Layers,
): boolean {
  if (shape.typeName !== 'shape') return false
  if (round.targets === 'milestones' && shape.type !== MILESTONE_TYPE) return false
  if (round.targets === 'notes' && shape.type !== 'note') return false
  if (round.layerId === null) return true
  return subtreeOf(layers, round.layerId).has(layerOfShape(shape))
}

/** One person's votes: item id → number of votes on it. */
export type Ballot = Readonly<Record<string, number>>

export function votesUsed(ballot: Ballot): number {
  let used = 0
  for (const count of Object.values(ballot)) used += count
  return used
}

export function votesLeft(ballot: Ballot, round: Pick<VotingRound, 'votesPerPerson'>): number {
  return Math.max(0, round.votesPerPerson - votesUsed(ballot))
}

/** Why a vote is refused (the client shows it), named; the wire's `vote-refused` reason. */
export type VoteRefusal = VoteRefusalReason

/** Casting a vote on `itemId`: the new ballot, or why not. `votable`: `isVotable` of the item. */
export function castVote(
  ballot: Ballot,
  itemId: string,
  round: VotingRound,
  context: { now: number; votable: boolean },
): { ok: true; ballot: Ballot } | { ok: false; reason: VoteRefusal } {
  if (!isRoundOpen(round, context.now)) return { ok: false, reason: 'round-closed' }
  if (!context.votable) return { ok: false, reason: 'not-votable' }
  if (votesLeft(ballot, round) === 0) return { ok: false, reason: 'no-votes-left' }
  const current = ballot[itemId] ?? 0
  if (current > 0 && !round.severalPerItem) return { ok: false, reason: 'already-voted' }
  return { ok: true, ballot: { ...ballot, [itemId]: current + 1 } }
}

/** Taking one vote back from `itemId`. */
export function retractVote(
  ballot: Ballot,
  itemId: string,
  round: VotingRound,
  now: number,
): { ok: true; ballot: Ballot } | { ok: false; reason: VoteRefusal } {
  if (!isRoundOpen(round, now)) return { ok: false, reason: 'round-closed' }
  const current = ballot[itemId] ?? 0
  if (current === 0) return { ok: false, reason: 'no-vote-to-take-back' }
  const next: Record<string, number> = { ...ballot }
  if (current === 1) delete next[itemId]
  else next[itemId] = current - 1
  return { ok: true, ballot: next }
}

/** One line of a result: an item and its votes. */
export interface TallyEntry {
  shapeId: string
  votes: number
}

/** Adds up ballots: items with votes, most first (ties by id, so every reader agrees). */
export function tally(ballots: Iterable<Ballot>): TallyEntry[] {
  const counts = new Map<string, number>()
  for (const ballot of ballots) {
    for (const [item, count] of Object.entries(ballot)) counts.set(item, (counts.get(item) ?? 0) + count)
  }
  return [...counts]
    .filter(([, votes]) => votes > 0)
    .map(([shapeId, votes]) => ({ shapeId, votes }))
    .sort((a, b) => b.votes - a.votes || (a.shapeId < b.shapeId ? -1 : a.shapeId > b.shapeId ? 1 : 0))
}

/** Ranks (1-based; equal votes share a rank, "1, 2, 2, 4"). */
export function ranks(entries: readonly TallyEntry[]): number[] {
  return entries.map((entry, index) => {
    let first = index
    while (first > 0 && entries[first - 1].votes === entry.votes) first--
    return first + 1
  })
}

/** A ranked result as CSV (RFC 4180 quoting), with the item's title from `titleOf`. */
export function resultCsv(entries: readonly TallyEntry[], titleOf: (shapeId: string) => string): string {
  const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text)
  const rankOf = ranks(entries)
  const lines = ['rank,votes,title,id']
  entries.forEach((entry, index) => {
    lines.push(
      [String(rankOf[index]), String(entry.votes), quote(titleOf(entry.shapeId)), quote(entry.shapeId)].join(','),
    )
  })
  return `${lines.join('\r\n')}\r\n`
}

/** A new random round id. */
export function newRoundId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}
