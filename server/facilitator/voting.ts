/**
 * Dot voting on the server: the ballots, the limits, the tallies and the result record.
 *
 * The round's settings are `meta.voting` (`shared/voting.ts`), written by a facilitator
 * through the gate like any setting. The ballots are never in the document nor presence:
 * this hook holds them in the store (`BoardStore.loadBallots` / `saveBallot`), keyed by
 * browser identity — the connection's `secretHash`, the hash of its browser secret — and
 * keeps the open round's in memory. One person is one browser profile: two tabs of one
 * browser share one ballot; a laptop and a phone are two voters.
 *
 * - `vote` / `unvote` (any role but display): checked against the open round (open, not past
 *   `endsAt`, votes left, one per item unless several are allowed, the item a shape of the
 *   round's kind in its layer); the voter's own ballot is sent to their connections only, or
 *   `vote-refused` with the reason.
 * - With `results: 'live'` every change of a ballot sends everyone the tally; with `'end'`
 *   nobody gets one — facilitators included — until the round closes.
 * - Closing (`close-round` from a facilitator, `open: false` written by one, or `endsAt`
 *   reached: a timer of the room, and at load after a restart): the server writes, as
 *   itself (`Room.writeAsServer`), `open: false` and a `vote-result` record with the tally
 *   (`shared/schema/voteResult.ts`), then deletes the ballots.
 */
import { getMetaMap, getRecord, getRecordsMap, setRecord } from '../../shared/doc.ts'
import type { VoteRefusalReason } from '../../shared/protocol.ts'
import { checkRecord } from '../../shared/schema/index.ts'
import { type TLVoteResult, voteResultId } from '../../shared/schema/voteResult.ts'
import {
  type Ballot,
  castVote,
  isRoundOpen,
  isVotable,
  META_VOTING_KEY,
  readRound,
  retractVote,
  tally,
  type VotingRound,
  votesLeft,
} from '../../shared/voting.ts'
import type { Logger } from '../log.ts'
import type { RoomHooks } from '../room/hooks.ts'
import type { Connection, Room } from '../room/room.ts'
import type { BoardStore } from '../store/types.ts'
import { broadcastSignal, type SignalVoting, sendSignal } from './signals.ts'

interface RoomVoting {
  /** The round whose ballots are loaded. */
  roundId: string
  ballots: Map<string, Ballot>
  /** Closes the round at its `endsAt`. */
  timer: ReturnType<typeof setTimeout> | null
  timerAt: number | null
}

export interface VotingOptions {
  store: BoardStore
  log: Logger
  now?: () => number
}

export type VotingService = SignalVoting & { hooks: RoomHooks }

export function votingService({ store, log, now = Date.now }: VotingOptions): VotingService {
  const rooms = new WeakMap<Room, RoomVoting>()
  const released = new WeakSet<Room>()

  const roundOf = (room: Room): VotingRound | null => readRound(getMetaMap(room.doc).get(META_VOTING_KEY))

  /** The state of the room's current round, its ballots loaded; the previous round's dropped. */
  const stateOf = (room: Room, round: VotingRound): RoomVoting => {
    const known = rooms.get(room)
    if (known?.roundId === round.id) return known
    if (known) clearTimer(known)
    const ballots = new Map<string, Ballot>()
    for (const row of store.loadBallots(room.boardId, round.id)) ballots.set(row.voter, row.votes)
    const state: RoomVoting = { roundId: round.id, ballots, timer: null, timerAt: null }
    rooms.set(room, state)
    return state
  }

  const clearTimer = (state: RoomVoting) => {
    if (state.timer) clearTimeout(state.timer)
    state.timer = null
    state.timerAt = null
  }

  const sendBallot = (room: Room, voter: string, round: VotingRound, ballot: Ballot) => {
    for (const connection of room.connections) {
      if (connection.secretHash !== voter) continue
      sendSignal(room, connection, {
        kind: 'ballot',
        roundId: round.id,
        votes: { ...ballot },
        left: votesLeft(ballot, round),
      })
    }
  }

  const tallyOf = (state: RoomVoting) => ({
    entries: tally(state.ballots.values()),
    voters: [...state.ballots.values()].filter((ballot) => Object.keys(ballot).length > 0).length,
  })

  const publishTally = (room: Room, round: VotingRound, state: RoomVoting, to?: Connection) => {
    if (round.results !== 'live') return // [1]
    const signal = { kind: 'tally', roundId: round.id, ...tallyOf(state) } as const
    if (to) sendSignal(room, to, signal)
    else broadcastSignal(room, signal)
  }

  /** Writes the result and `open: false`, as the server; then forgets the ballots. */
  const close = (room: Room, round: VotingRound) => {
    const state = stateOf(room, round)
    clearTimer(state)
    const records = getRecordsMap(room.doc)
    if (!round.open && getRecord(records, voteResultId(round.id))) return // closed and written already
    const { entries, voters } = tallyOf(state)
    const closedAt = Math.min(now(), round.endsAt ?? Number.POSITIVE_INFINITY)
    const result: TLVoteResult = {
      id: voteResultId(round.id),
      typeName: 'vote-result',
      roundId: round.id,
      layerId: round.layerId,
      targets: round.targets,
      votesPerPerson: round.votesPerPerson,
      openedAt: round.openedAt,
      closedAt,
      voters,
      entries,
      meta: {},
    }
    // The server's own record is checked like anyone's: a result the schema refuses (more
    // entries than it allows) is never written.
    const check = checkRecord(result)
    if (!check.ok) {
      log.error('vote result not written: invalid record', { board: room.boardId, reason: check.message })
      return
    }
    const written = room.writeAsServer((doc) => {
      getMetaMap(doc).set(META_VOTING_KEY, { ...round, open: false })
      setRecord(getRecordsMap(doc), result)
    })
    if (!written) {
      log.warn('voting round not closed: the board takes no changes', { board: room.boardId })
      return
    }
    log.info('voting round closed', { board: room.boardId, voters, items: entries.length })
    try {
      store.deleteBallots(room.boardId, round.id)
    } catch (error) {
      log.error('ballots of a closed round not deleted', { board: room.boardId, error: String(error) })
    }
    state.ballots.clear()
  }

  /** After any change of the document: close what must close, time what has an end. */
  const follow = (room: Room) => {
    const round = roundOf(room)
    if (!round) {
      const known = rooms.get(room)
      if (known) clearTimer(known)
      return
    }
    const state = stateOf(room, round)
    if (!round.open) {
      if (!getRecord(getRecordsMap(room.doc), voteResultId(round.id))) close(room, round)
      return
    }
    if (round.endsAt === null) {
      clearTimer(state)
      return
    }
    if (round.endsAt <= now()) {
      close(room, round)
      return
    }
    if (state.timerAt === round.endsAt) return
    clearTimer(state)
    state.timerAt = round.endsAt
    state.timer = setTimeout(
      () => {
        state.timer = null
        state.timerAt = null
        const current = roundOf(room)
        if (current?.id === round.id && current.open && !room.isFailed) close(room, current)
        else if (current) follow(room)
      },
      Math.min(round.endsAt - now(), 2 ** 31 - 1),
    )
  }

  const receive: SignalVoting['receive'] = (room, connection, signal) => {
    const round = roundOf(room)
    if (signal.kind === 'close-round') {
      if (round?.open) close(room, round)
      return
    }
    const refuse = (reason: VoteRefusalReason) =>
      sendSignal(room, connection, { kind: 'vote-refused', itemId: signal.itemId, reason })
    if (!isRoundOpen(round, now())) {
      refuse('round-closed')
      return
    }
    const state = stateOf(room, round)
    const voter = connection.secretHash
    const ballot = state.ballots.get(voter) ?? {}
    const item = getRecord(getRecordsMap(room.doc), signal.itemId)
    const result =
      signal.kind === 'vote'
        ? castVote(ballot, signal.itemId, round, {
            now: now(),
            votable: item !== undefined && isVotable(item, round, room.layers),
          })
        : retractVote(ballot, signal.itemId, round, now())
    if (!result.ok) {
      refuse(result.reason)
      return
    }
    try {
      store.saveBallot(room.boardId, round.id, { voter, votes: { ...result.ballot } })
    } catch (error) {
      log.error('ballot not stored', { board: room.boardId, error: String(error) })
      sendBallot(room, voter, round, ballot) // unchanged: the client shows what counts
      return
    }
    state.ballots.set(voter, result.ballot)
    sendBallot(room, voter, round, result.ballot)
    publishTally(room, round, state)
  }

  const greet: SignalVoting['greet'] = (room, connection) => {
    const round = roundOf(room)
    if (!isRoundOpen(round, now()) || connection.role === 'display') {
      if (round && connection.role !== 'display') follow(room)
      return
    }
    const state = stateOf(room, round)
    const ballot = state.ballots.get(connection.secretHash) ?? {}
    sendSignal(room, connection, {
      kind: 'ballot',
      roundId: round.id,
      votes: { ...ballot },
      left: votesLeft(ballot, round),
    })
    publishTally(room, round, state, connection)
  }

  return {
    greet,
    receive,
    hooks: {
      onLoaded({ room }) {
        // After a restart a round may have ended meanwhile; the room answers nobody before
        // this turn ends, so closing it on the next turn is in time.
        setImmediate(() => {
          if (!room.isFailed && !released.has(room)) follow(room)
        })
      },
      onUpdateApplied({ room }) {
        follow(room)
      },
      onReleased({ room }) {
        const known = rooms.get(room)
        if (known) clearTimer(known)
        rooms.delete(room)
        released.add(room)
      },
    },
  }
}

// [1] "At the end" means nobody sees a count before the close: not the facilitator, not a
//     display. Each voter is sent only their own ballot.
