/**
 * The facilitator's tools on one open board, outside React: the signal channel to the
 * server (`shared/protocol.ts` signals, beside y-websocket's own messages on the same
 * socket), the server's clock offset, and the board-level settings the tools keep in
 * `meta` (timer, control, spotlight, voting round) as signals. Every role has one: a
 * participant and a display read the settings and receive the signals; only a
 * facilitator's UI writes them, and the server's gate refuses anyone else's write.
 *
 * The offset: on every connect the client sends `hello` with its clock, the server answers
 * with its own, and `clockOffset` turns the round trip into the offset that makes
 * `serverNow()` the same on every device, whatever its clock says. One exchange can be off
 * by half its round trip (a busy first second of a session), so a few more follow and the
 * shortest round trip of the connection wins, as NTP does.
 */
import type * as decoding from 'lib0/decoding'
import { atom, isEqual, type Signal } from 'tldraw'
import { type ControlState, META_CONTROL_KEY, readControl } from '../../../shared/control.ts'
import { getMetaMap } from '../../../shared/doc.ts'
import {
  type ClientSignal,
  readRest,
  readServerSignal,
  type ServerSignal,
  SIGNAL_MESSAGE_TYPE,
  signalFrame,
} from '../../../shared/protocol.ts'
import { META_SPOTLIGHT_KEY, readSpotlight } from '../../../shared/spotlight.ts'
import { clockOffset, META_TIMER_KEY, readTimer, serverNow, type TimerState } from '../../../shared/timer.ts'
import { META_VOTING_KEY, readRound, type VotingRound } from '../../../shared/voting.ts'
import type { BoardConnection } from '../sync/connection.ts'

export type Ballot = Extract<ServerSignal, { kind: 'ballot' }>
export type LiveTally = Extract<ServerSignal, { kind: 'tally' }>
export type VoteRefused = Extract<ServerSignal, { kind: 'vote-refused' }>
export type ReactionEvent = Extract<ServerSignal, { kind: 'reaction' }> & { key: number; at: number }

export type FacilitatorTools = ReturnType<typeof createFacilitatorTools>

export function createFacilitatorTools(connection: BoardConnection) {
  const { doc, provider } = connection
  const meta = getMetaMap(doc)

  const $offset = atom('server clock offset', 0)
  /** True once this connection measured its offset. */
  const $clockKnown = atom('server clock known', false)
  const $timer = atom<TimerState | null>('timer', null, { isEqual })
  const $control = atom<ControlState | null>('control', null, { isEqual })
  const $spotlight = atom<string | null>('spotlight', null)
  const $round = atom<VotingRound | null>('voting round', null, { isEqual })
  const $ballot = atom<Ballot | null>('own ballot', null, { isEqual })
  const $tally = atom<LiveTally | null>('live tally', null, { isEqual })
  const $refused = atom<VoteRefused | null>('vote refused', null)
  /** The follow-me in progress (the leader's presence user id), or null. */
  const $follow = atom<string | null>('follow me', null)
  /** The last bring-everyone-to-me, with a counter so the same leader twice is news. */
  const $bring = atom<{ userId: string; count: number } | null>('bring to me', null)
  const $reactions = atom<readonly ReactionEvent[]>('reactions', [])
  let reactionKey = 0

  const read = () => {
    $timer.set(readTimer(meta.get(META_TIMER_KEY)))
    $control.set(readControl(meta.get(META_CONTROL_KEY)))
    $spotlight.set(readSpotlight(meta.get(META_SPOTLIGHT_KEY)))
    const round = readRound(meta.get(META_VOTING_KEY))
    if (round?.id !== $round.get()?.id) {
      $ballot.set(null)
      $tally.set(null)
    }
    $round.set(round)
  }
  read()
  meta.observe(read)

  function send(signal: ClientSignal): boolean {
    if (!provider.wsconnected || !provider.ws) return false
    provider.ws.send(signalFrame(signal) as Uint8Array<ArrayBuffer>)
    return true
  }

  let helloSentAt = 0
  /** This connection's exchanges so far, and the shortest round trip among them. */
  let samples = 0
  let bestRoundTrip = Number.POSITIVE_INFINITY
  let nextHello: ReturnType<typeof setTimeout> | undefined
  const sayHello = () => {
    clearTimeout(nextHello)
    helloSentAt = Date.now()
    send({ kind: 'hello', sentAt: helloSentAt })
  }
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'connected') return
    // Another connection may reach another process, with its own clock: measure afresh.
    samples = 0
    bestRoundTrip = Number.POSITIVE_INFINITY
    sayHello()
  }
  provider.on('status', onStatus)
  if (provider.wsconnected) sayHello()

  const receive = (signal: ServerSignal) => {
    switch (signal.kind) {
      case 'hello':
        if (signal.sentAt !== helloSentAt) return // an answer to an older hello
        measured(signal.sentAt, signal.serverTime, Date.now())
        $follow.set(signal.follow)
        return
      case 'bring':
        $bring.set({ userId: signal.userId, count: ($bring.get()?.count ?? 0) + 1 })
        return
      case 'follow':
        $follow.set(signal.userId)
        return
      case 'reaction':
        addReaction(signal)
        return
      case 'ballot':
        $ballot.set(signal)
        return
      case 'tally':
        $tally.set(signal)
        return
      case 'vote-refused':
        $refused.set(signal)
        return
    }
  }

  function measured(sentAt: number, serverTime: number, receivedAt: number) {
    samples++
    const roundTrip = receivedAt - sentAt
    if (roundTrip < bestRoundTrip) {
      bestRoundTrip = roundTrip
      $offset.set(clockOffset({ sentAt, serverTime, receivedAt }))
    }
    $clockKnown.set(true)
    if (samples < CLOCK_SAMPLES) nextHello = setTimeout(sayHello, CLOCK_SAMPLE_GAP_MS)
  }

  function addReaction(reaction: Extract<ServerSignal, { kind: 'reaction' }>) {
    const now = Date.now()
    const entry: ReactionEvent = { ...reaction, key: reactionKey++, at: now }
    $reactions.set([...$reactions.get().filter((r) => now - r.at < REACTION_MS), entry])
  }

  // y-websocket looks a message type up in the provider's own table.
  provider.messageHandlers[SIGNAL_MESSAGE_TYPE] = (_encoder, decoder: decoding.Decoder) => {
    const signal = readServerSignal(readRest(decoder))
    if (signal) receive(signal)
  }

  /** Writes (or, with undefined, deletes) one of the tools' `meta` keys. */
  function setMeta(key: string, value: unknown): void {
    doc.transact(() => {
      if (value === undefined) meta.delete(key)
      else meta.set(key, value)
    })
  }

  return {
    $offset: $offset as Signal<number>,
    $clockKnown: $clockKnown as Signal<boolean>,
    $timer: $timer as Signal<TimerState | null>,
    $control: $control as Signal<ControlState | null>,
    $spotlight: $spotlight as Signal<string | null>,
    $round: $round as Signal<VotingRound | null>,
    $ballot: $ballot as Signal<Ballot | null>,
    $tally: $tally as Signal<LiveTally | null>,
    $refused: $refused as Signal<VoteRefused | null>,
    $follow: $follow as Signal<string | null>,
    $bring: $bring as Signal<{ userId: string; count: number } | null>,
    $reactions: $reactions as Signal<readonly ReactionEvent[]>,
    /** The server's time now, as every device of the board agrees on it. */
    now: () => serverNow($offset.get()),
    send,
    setMeta,
    /** Shows a reaction of our own at once (the server relays it to everyone else). */
    react(emoji: Extract<ClientSignal, { kind: 'reaction' }>['emoji'], x: number, y: number): void {
      if (send({ kind: 'reaction', emoji, x, y })) addReaction({ kind: 'reaction', emoji, x, y })
    },
    /** A follow-me we started ourselves (a facilitator's own screen shows it too). */
    setOwnFollow(userId: string | null): void {
      if (send({ kind: 'follow', userId })) $follow.set(userId)
    },
    dispose(): void {
      meta.unobserve(read)
      clearTimeout(nextHello)
      provider.off('status', onStatus)
      delete provider.messageHandlers[SIGNAL_MESSAGE_TYPE]
    },
  }
}

/** Clock exchanges per connection, and the pause between them. */
const CLOCK_SAMPLES = 4
const CLOCK_SAMPLE_GAP_MS = 1500

/** How long a reaction floats before it is gone. */
export const REACTION_MS = 2500
