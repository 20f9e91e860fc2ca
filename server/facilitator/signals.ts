/**
 * The facilitator's signals on the server: a room hook (`hooks.ts`) that takes Stip's one
 * custom message type (`SIGNAL_MESSAGE_TYPE`, `shared/protocol.ts`) and nothing else.
 *
 * For every signal, in this order:
 * 1. Rate: at most `SIGNALS_PER_SECOND` per connection on average, `SIGNAL_BURST` at once
 *    (a token bucket); past it the connection is closed (`SignalsTooFast`).
 * 2. Form: exactly one of `ClientSignal`, within `MAX_SIGNAL_BYTES` (`MalformedMessage`).
 * 3. Role, from the connection's token, never from the signal: only facilitators send
 *    `FACILITATOR_SIGNALS` (bring, follow, close-round); displays send nothing but `hello`
 *    (`SignalForbidden`).
 * Then:
 * - `hello` is answered with the server's clock (each client's offset for the timer) and
 *   the follow-me in progress, so a late joiner joins it; the voting hook adds the
 *   person's own ballot.
 * - `bring`, `follow` and `reaction` are relayed to every other connection of the room. The
 *   room remembers the follow-me (in memory: it is ephemeral) until it is stopped or its
 *   facilitator's connection goes.
 * - `vote`, `unvote` and `close-round` go to the voting hook (`voting.ts`).
 * Nothing of it is stored, nor put in the document or presence.
 */
import {
  type ClientSignal,
  CloseCode,
  FACILITATOR_SIGNALS,
  readClientSignal,
  type ServerSignal,
  SIGNAL_BURST,
  SIGNAL_MESSAGE_TYPE,
  SIGNALS_PER_SECOND,
  signalFrame,
} from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'
import type { RoomHooks } from '../room/hooks.ts'
import type { Connection, Room } from '../room/room.ts'

/** What the voting hook adds to the signals (`voting.ts`). */
export interface SignalVoting {
  /** A connection said hello: send it what it should know of the round. */
  greet(room: Room, connection: Connection): void
  /** A vote, an unvote or a close-round, already checked for form and role. */
  receive(
    room: Room,
    connection: Connection,
    signal: Extract<ClientSignal, { kind: 'vote' | 'unvote' | 'close-round' }>,
  ): void
}

export interface SignalOptions {
  log: Logger
  /** The server's clock (ms since the epoch); tests give their own. */
  now?: () => number
  voting?: SignalVoting
}

/** One connection's signal budget: a token bucket refilled at `SIGNALS_PER_SECOND`. */
class SignalBudget {
  private tokens = SIGNAL_BURST
  private at: number

  constructor(private readonly clock: () => number) {
    this.at = clock()
  }

  take(): boolean {
    const now = this.clock()
    this.tokens = Math.min(SIGNAL_BURST, this.tokens + ((now - this.at) / 1000) * SIGNALS_PER_SECOND)
    this.at = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

/** A room's follow-me in progress. */
interface Follow {
  userId: string
  by: Connection
}

/** Sends one signal to one connection. */
export function sendSignal(room: Room, connection: Connection, signal: ServerSignal): void {
  room.sendTo(connection, signalFrame(signal))
}

/** Sends one signal to every connection of the room but `except`. */
export function broadcastSignal(room: Room, signal: ServerSignal, except?: Connection): void {
  const frame = signalFrame(signal)
  for (const connection of room.connections) if (connection !== except) room.sendTo(connection, frame)
}

export function signalHooks({ log, now = Date.now, voting }: SignalOptions): RoomHooks {
  const budgets = new WeakMap<Connection, SignalBudget>()
  const follows = new WeakMap<Room, Follow>()
  const monotonic = () => performance.now()

  const refuse = (room: Room, connection: Connection, code: CloseCode, reason: string) => {
    log.warn('signal refused', { board: room.boardId, role: connection.role, reason })
    room.close(connection, code)
  }

  return {
    onMessage({ room, connection, type, payload }) {
      if (type !== SIGNAL_MESSAGE_TYPE) return false
      let budget = budgets.get(connection)
      if (!budget) {
        budget = new SignalBudget(monotonic)
        budgets.set(connection, budget)
      }
      if (!budget.take()) {
        refuse(room, connection, CloseCode.SignalsTooFast, 'too many signals')
        return true
      }
      let signal: ClientSignal
      try {
        signal = readClientSignal(payload)
      } catch (error) {
        refuse(room, connection, CloseCode.MalformedMessage, String(error instanceof Error ? error.message : error))
        return true
      }
      const facilitatorOnly = FACILITATOR_SIGNALS.includes(signal.kind)
      if (
        (facilitatorOnly && connection.role !== 'facilitator') ||
        (connection.role === 'display' && signal.kind !== 'hello')
      ) {
        refuse(room, connection, CloseCode.SignalForbidden, `${signal.kind} from a ${connection.role}`)
        return true
      }
      switch (signal.kind) {
        case 'hello':
          sendSignal(room, connection, {
            kind: 'hello',
            sentAt: signal.sentAt,
            serverTime: now(),
            follow: follows.get(room)?.userId ?? null,
          })
          voting?.greet(room, connection)
          break
        case 'bring':
          broadcastSignal(room, { kind: 'bring', userId: signal.userId }, connection)
          break
        case 'follow':
          if (signal.userId === null) follows.delete(room)
          else follows.set(room, { userId: signal.userId, by: connection })
          broadcastSignal(room, { kind: 'follow', userId: signal.userId }, connection)
          break
        case 'reaction':
          broadcastSignal(room, signal, connection)
          break
        default:
          voting?.receive(room, connection, signal)
      }
      return true
    },
    onDisconnected({ room, connection }) {
      // The facilitator who leads has gone (a dead battery): nobody is left to follow.
      if (follows.get(room)?.by !== connection) return
      follows.delete(room)
      broadcastSignal(room, { kind: 'follow', userId: null })
    },
  }
}
