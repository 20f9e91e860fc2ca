/**
 * Signals (`shared/protocol.ts`) for tests: send a client signal from a raw client, read the
 * server's signals among the frames it received, and the facilitator's meta settings.
 */
import * as decoding from 'lib0/decoding'
import * as Y from 'yjs'
import { getMetaMap } from '../../shared/doc.ts'
import {
  type ClientSignal,
  readMessageType,
  readRest,
  readServerSignal,
  type ServerSignal,
  SIGNAL_MESSAGE_TYPE,
  signalFrame,
} from '../../shared/protocol.ts'
import type { VotingRound } from '../../shared/voting.ts'
import type { RawClient, ReceivedFrame } from './raw-client.ts'
import { waitFor } from './wait.ts'

export function sendSignal(client: RawClient, signal: ClientSignal): void {
  client.sendRaw(signalFrame(signal))
}

/** The server signal in a frame, or null for any other frame. */
export function signalIn(frame: ReceivedFrame): ServerSignal | null {
  const decoder = decoding.createDecoder(frame.data)
  if (readMessageType(decoder) !== SIGNAL_MESSAGE_TYPE) return null
  return readServerSignal(readRest(decoder))
}

/** Every server signal the client has received, in order. */
export function signalsOf(client: RawClient, from = 0): ServerSignal[] {
  return client.frames
    .slice(from)
    .map(signalIn)
    .filter((signal): signal is ServerSignal => signal !== null)
}

/** Waits for a server signal of `kind` (after frame `from`) that passes `test`; returns it. */
export async function nextSignal<K extends ServerSignal['kind']>(
  client: RawClient,
  kind: K,
  test: (signal: Extract<ServerSignal, { kind: K }>) => boolean = () => true,
  from = 0,
): Promise<Extract<ServerSignal, { kind: K }>> {
  const found = () =>
    signalsOf(client, from).find(
      (signal): signal is Extract<ServerSignal, { kind: K }> =>
        signal.kind === kind && test(signal as Extract<ServerSignal, { kind: K }>),
    )
  await waitFor(() => found() ?? client.closeInfo, { timeoutMs: 5_000, message: `a "${kind}" signal` })
  const signal = found()
  if (!signal) throw new Error(`closed (${client.closeInfo?.code}) before a "${kind}" signal`)
  return signal
}

/** Sets a `meta` key in the client's document (sent as an Update). */
export function setMeta(client: RawClient, key: string, value: unknown): void {
  const meta = getMetaMap(client.doc)
  client.doc.transact(() => {
    if (value === undefined) meta.delete(key)
    else meta.set(key, value)
  })
}

/** A local change of a client's document that it does not send: the update, to send later. */
export function localChange(doc: Y.Doc, change: () => void): Uint8Array {
  const updates: Uint8Array[] = []
  const capture = (update: Uint8Array) => updates.push(update)
  doc.on('update', capture)
  try {
    change()
  } finally {
    doc.off('update', capture)
  }
  return Y.mergeUpdates(updates)
}

/** A voting round as a facilitator opens it. */
export function openRound(overrides: Partial<VotingRound> = {}): VotingRound {
  return {
    id: 'round-test-1',
    layerId: null,
    votesPerPerson: 3,
    severalPerItem: false,
    targets: 'shapes',
    results: 'end',
    open: true,
    openedAt: Date.now(),
    endsAt: null,
    ...overrides,
  }
}
