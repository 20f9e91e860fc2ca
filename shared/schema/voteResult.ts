/**
 * The result of a closed dot-voting round, as a record in the board (`typeName:
 * 'vote-result'`, scope `document`, id `vote-result:<round id>`). Only the server writes it,
 * when the round closes (`server/facilitator/voting.ts`): the tallies, never who voted
 * what. Everyone reads it (counts on the items, the ranked list, CSV); it stays in the
 * board as the record of what the room chose.
 *
 * In tldraw's order: type, typed id, validator, migration ids and sequence.
 */
import type { BaseRecord, RecordId } from '@tldraw/store'
import {
  type CustomRecordInfo,
  createCustomRecordMigrationIds,
  createCustomRecordMigrationSequence,
  idValidator,
} from '@tldraw/tlschema'
import { T } from '@tldraw/validate'
import { MAX_VOTES, VOTE_TARGETS } from '../voting.ts'

export const VOTE_RESULT_TYPE = 'vote-result'

/** Most items a result lists (a round of 70 people × 20 votes cannot name more). */
export const MAX_RESULT_ENTRIES = 1400

export interface TLVoteResult extends BaseRecord<typeof VOTE_RESULT_TYPE, TLVoteResultId> {
  roundId: string
  /** The layer voted in, or null for the whole board. */
  layerId: string | null
  targets: (typeof VOTE_TARGETS)[number]
  votesPerPerson: number
  /** Server times (ms). */
  openedAt: number
  closedAt: number
  /** How many browser identities cast at least one vote. */
  voters: number
  /** Items with votes, most first. */
  entries: { shapeId: string; votes: number }[]
  meta: Record<string, unknown>
}
export type TLVoteResultId = RecordId<TLVoteResult>

declare module '@tldraw/tlschema' {
  interface TLGlobalRecordPropsMap {
    'vote-result': TLVoteResult
  }
}

export function voteResultId(roundId: string): TLVoteResultId {
  return `${VOTE_RESULT_TYPE}:${roundId}` as TLVoteResultId
}

const count = T.number.check((value) => {
  if (!Number.isInteger(value) || value < 0) throw new Error('Expected a whole number of 0 or more')
})

export const voteResultValidator: T.Validator<TLVoteResult> = T.object({
  id: idValidator<TLVoteResultId>(VOTE_RESULT_TYPE),
  typeName: T.literal(VOTE_RESULT_TYPE),
  roundId: T.string,
  layerId: T.string.nullable(),
  targets: T.literalEnum(...VOTE_TARGETS),
  votesPerPerson: T.number.check((value) => {
    if (!Number.isInteger(value) || value < 1 || value > MAX_VOTES) throw new Error(`Expected 1 to ${MAX_VOTES}`)
  }),
  openedAt: T.number,
  closedAt: T.number,
  voters: count,
  entries: T.arrayOf(T.object({ shapeId: T.string, votes: count })).check((entries) => {
    if (entries.length > MAX_RESULT_ENTRIES) throw new Error(`Expected at most ${MAX_RESULT_ENTRIES} entries`)
  }),
  meta: T.jsonValue as T.Validator<Record<string, unknown>>,
})

/** Versions of the record, `com.tldraw.vote-result/<n>`. None yet. */
export const voteResultVersions = createCustomRecordMigrationIds(VOTE_RESULT_TYPE, {})
export const voteResultMigrations = createCustomRecordMigrationSequence({ sequence: [] })

export const voteResultSchema = {
  scope: 'document',
  validator: voteResultValidator,
  migrations: voteResultMigrations,
} satisfies CustomRecordInfo

export function isVoteResult(record: { typeName?: unknown } | undefined): record is TLVoteResult {
  return record?.typeName === VOTE_RESULT_TYPE
}
