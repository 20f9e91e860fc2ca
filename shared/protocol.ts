/**
 * The wire between a Stip client and the server.
 *
 * A board is synced over one WebSocket at `/sync/<boardId>?token=<token>` speaking the
 * standard y-websocket protocol, so any Yjs client (y-websocket's WebsocketProvider,
 * y-protocols by hand) can integrate:
 *
 * 1. Every binary frame starts with a varuint message type (`MessageType`).
 * 2. `Sync` frames carry a varuint sync step (`SyncStep`) and a varuint8array payload:
 *    the client sends SyncStep1 (its state vector); the server answers SyncStep2 (what
 *    the client lacks) and its own SyncStep1; the client answers SyncStep2. After that
 *    both sides send `Update`s.
 * 3. `Awareness` frames carry y-protocols awareness updates (cursors, names, colours).
 * 4. The server checks the token before the upgrade. A connection is closed with one of
 *    the `CloseCode`s below when it misbehaves or loses its rights; the reason string is
 *    the code's name, so logs and clients can tell them apart.
 *
 * A display (read-only) connection syncs like any other but the server never applies,
 * stores or forwards a document update from it.
 *
 * The frame codec at the end of this file is the only place frames are encoded or decoded
 * (the room, the tests' raw client). It comes in y-protocols-style pairs, `writeX(encoder, …)`
 * and `readX(decoder)`, where `readX` reads what follows the message type; whole frames are
 * built with `xFrame(…)` and read with `readFrame`, which refuses unknown types, truncated
 * fields and trailing bytes. Message types the room does not handle itself (custom,
 * ephemeral messages, kept apart from the Yjs ones) are a varuint type followed by a payload
 * the codec does not look into: `customFrame`, handled by the room's `onMessage` hooks.
 * The browser client builds no frames but the signals: y-websocket's WebsocketProvider does.
 *
 * Signals (`SIGNAL_MESSAGE_TYPE`, "Signals" below) are Stip's one family of custom messages:
 * ephemeral, never stored, one JSON object per frame tagged by `kind` — the server's clock,
 * bring-everyone-to-me, follow-me, reactions and dot votes. A client sends `hello` on every
 * connect and the server answers with its time (for the timer's clock offset) and the
 * follow-me in progress (late joiners join it). The server stamps who sent a signal from its
 * token (never from the signal), lets only facilitators send `FACILITATOR_SIGNALS`, and
 * bounds their size and rate.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'

/** First varuint of every frame. Same numbers as y-websocket. */
export const MessageType = {
  Sync: 0,
  Awareness: 1,
  Auth: 2,
  QueryAwareness: 3,
} as const
export type MessageType = (typeof MessageType)[keyof typeof MessageType]

/** Second varuint of a `Sync` frame. Same numbers as y-protocols/sync. */
export const SyncStep = {
  Step1: 0,
  Step2: 1,
  Update: 2,
} as const
export type SyncStep = (typeof SyncStep)[keyof typeof SyncStep]

/**
 * Close codes the server uses (4000–4999 is the application range). Clients treat
 * `Unauthorized` and `BoardNotFound` as final (no reconnect); the rest reconnect.
 */
export const CloseCode = {
  /** A frame could not be decoded: unknown type, truncated varint, broken Yjs update. */
  MalformedMessage: 4400,
  /** The token was rotated or revoked while the socket was open. */
  Unauthorized: 4401,
  /** The connection tried to change something its role may not change. */
  Forbidden: 4403,
  /** The board was deleted while the socket was open. */
  BoardNotFound: 4404,
  /** A frame was larger than `MAX_FRAME_BYTES`: the standard code, sent by ws itself. */
  MessageTooLarge: 1009,
  /** An update put something that is not a valid record into the document. */
  InvalidRecord: 4422,
  /**
   * The board's stored document could not be read whole, so it takes no changes until an
   * administrator has looked at it; the client keeps its edits. Reconnect later.
   */
  BoardReadOnly: 4423,
  /** The server failed while applying the update; none of it was kept. Reconnect. */
  UpdateFailed: 4500,
  /** The store could not write the update; nothing of it was applied. Reconnect later. */
  StoreUnavailable: 4503,
  /** The server is shutting down (upgrade, restart). Reconnect. */
  ServerRestarting: 4504,
  /**
   * The board moved to another Stip process (a rolling upgrade handed it over, or this
   * process lost its lease): everything was stored, reconnect now, not after a back-off.
   */
  Handover: 4505,
  /**
   * An awareness update set or removed a presence that is not the connection's own: another
   * connection's, or a second client id (one per connection). Nothing of it was applied.
   */
  PresenceNotOwn: 4470,
  /** An awareness state was larger (or nested deeper) than the server's limit (`shared/presence.ts`). */
  PresenceTooLarge: 4471,
  /** More presence updates per second than the server's limit (`shared/presence.ts`). */
  PresenceTooFast: 4472,
  /**
   * An update held more structs and delete ranges (`STIP_MAX_UPDATE_STRUCTS`) or more bytes
   * (`STIP_MAX_UPDATE_BYTES`; one record alone in its update excepted) than the server takes
   * in one frame: it would block the server for everyone. Nothing applied. The Stip client
   * sends big changes in slices far within both (`shared/slices.ts`).
   */
  UpdateTooComplex: 4413,
  /** A record in the update was larger than the server's limit (`STIP_MAX_RECORD_BYTES`, `STIP_MAX_ASSET_BYTES`). */
  RecordTooLarge: 4414,
  /** The board is at its size limit (`STIP_MAX_BOARD_BYTES`): updates that add records are refused; deleting works. */
  BoardTooLarge: 4415,
  /** More updates, bytes or sync requests per second than the server allows one connection. */
  RateLimited: 4429,
  /** The socket did not read what the server sent, past `STIP_MAX_BUFFERED_BYTES`. */
  NotReading: 4430,
  /** More signals per second than the server allows one connection (`SIGNALS_PER_SECOND`). */
  SignalsTooFast: 4473,
  /** A signal only a facilitator may send (`FACILITATOR_SIGNALS`), from another role. */
  SignalForbidden: 4474,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]

/** The name of a close code, used as the WebSocket close reason. */
export function closeCodeName(code: number): string {
  for (const [name, value] of Object.entries(CloseCode)) if (value === code) return name
  return 'Unknown'
}

/**
 * The close reason of a refused change: the code's name and, when the refusal is about one
 * record, its id (`Forbidden shape:abc`), so the sender's browser knows which of its changes
 * the server will never take and keeps the rest (`client/src/kept/`). Only the sender gets
 * it, and it names the sender's own record. Cut to the 123 bytes a close reason may hold.
 */
export function refusalReason(code: number, recordId?: string): string {
  const name = closeCodeName(code)
  if (!recordId) return name
  const reason = `${name} ${recordId}`
  return new TextEncoder().encode(reason).length <= MAX_CLOSE_REASON_BYTES ? reason : name
}

/** The record a refusal's close reason names (`refusalReason`), or null. */
export function refusedRecordOf(reason: string): string | null {
  const space = reason.indexOf(' ')
  if (space < 0) return null
  const id = reason.slice(space + 1)
  return /^[a-z_]+:\S+$/.test(id) ? id : null
}

/** The most a WebSocket close reason may hold (RFC 6455: 125 bytes of payload, 2 of them the code). */
const MAX_CLOSE_REASON_BYTES = 123

/** Close codes after which a client reconnects at once (with a little jitter), not after a back-off: nothing is wrong. */
export const RECONNECT_NOW_CODES: readonly number[] = [CloseCode.Handover]

/** Close codes after which a client must not reconnect with the same token. */
export const FINAL_CLOSE_CODES: readonly number[] = [CloseCode.Unauthorized, CloseCode.BoardNotFound]

/**
 * Close codes that refuse a change of the client's own for good: sending the same change
 * again can never succeed (outside its rights, no valid record, too large, the board full).
 * The client drops the change (its local copy, then reloads from the server) and tells the
 * person why, instead of reconnecting and sending it again forever. The Stip client checks
 * the same rules before it sends, so an honest person meets these only with a page that is
 * older than the server (a tab left open across an upgrade) or past a limit.
 */
export const REFUSED_CHANGE_CODES: readonly number[] = [
  CloseCode.Forbidden,
  CloseCode.InvalidRecord,
  CloseCode.UpdateTooComplex,
  CloseCode.RecordTooLarge,
  CloseCode.BoardTooLarge,
]

/** Largest frame the server accepts (a big paste of many shapes fits well within it). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024

/** Path prefix of the sync endpoint: `/sync/<boardId>`. */
export const SYNC_PATH_PREFIX = '/sync/'

/** Server keep-alive ping interval; a socket that misses two pings is dropped. */
export const PING_INTERVAL_MS = 30_000

// ---------------------------------------------------------------------------------------
// Frame codec

/** A Sync frame: a state vector (step 1), or a document update (step 2 and Update). */
export type SyncFrame =
  | { type: typeof MessageType.Sync; step: typeof SyncStep.Step1; stateVector: Uint8Array }
  | { type: typeof MessageType.Sync; step: typeof SyncStep.Step2 | typeof SyncStep.Update; update: Uint8Array }

/** Any frame of the y-websocket exchange, as `readFrame` decodes it; tagged by `type` (and `step`). */
export type Frame =
  | SyncFrame
  | { type: typeof MessageType.Awareness; update: Uint8Array }
  | { type: typeof MessageType.QueryAwareness }

/** The first field of every frame. */
export function writeMessageType(encoder: encoding.Encoder, type: number): void {
  encoding.writeVarUint(encoder, type)
}

export function readMessageType(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder)
}

/**
 * The step of a Sync frame. Any number may be written (tests write steps nobody defines);
 * `readSync` refuses the unknown ones.
 */
export function writeSyncStep(encoder: encoding.Encoder, step: number): void {
  encoding.writeVarUint(encoder, step)
}

export function readSyncStep(decoder: decoding.Decoder): number {
  return decoding.readVarUint(decoder)
}

/** A length-prefixed payload: a state vector, an update or an awareness update. */
export function writePayload(encoder: encoding.Encoder, payload: Uint8Array): void {
  encoding.writeVarUint8Array(encoder, payload)
}

/** Throws if the length runs past the end of the frame. */
export function readPayload(decoder: decoding.Decoder): Uint8Array {
  return decoding.readVarUint8Array(decoder)
}

/** A Sync frame of any step: type, step, payload. */
export function writeSync(encoder: encoding.Encoder, step: SyncStep, payload: Uint8Array): void {
  writeMessageType(encoder, MessageType.Sync)
  writeSyncStep(encoder, step)
  writePayload(encoder, payload)
}

/** The rest of a Sync frame, after its type. Throws on an unknown step or a truncated payload. */
export function readSync(decoder: decoding.Decoder): SyncFrame {
  const step = readSyncStep(decoder)
  const payload = readPayload(decoder)
  switch (step) {
    case SyncStep.Step1:
      return { type: MessageType.Sync, step, stateVector: payload }
    case SyncStep.Step2:
    case SyncStep.Update:
      return { type: MessageType.Sync, step, update: payload }
    default:
      throw new Error(`unknown sync step ${step}`)
  }
}

export function writeSyncStep1(encoder: encoding.Encoder, stateVector: Uint8Array): void {
  writeSync(encoder, SyncStep.Step1, stateVector)
}

export function writeSyncStep2(encoder: encoding.Encoder, update: Uint8Array): void {
  writeSync(encoder, SyncStep.Step2, update)
}

export function writeUpdate(encoder: encoding.Encoder, update: Uint8Array): void {
  writeSync(encoder, SyncStep.Update, update)
}

/** An Awareness frame: a y-protocols awareness update (`encodeAwarenessUpdate`). */
export function writeAwareness(encoder: encoding.Encoder, update: Uint8Array): void {
  writeMessageType(encoder, MessageType.Awareness)
  writePayload(encoder, update)
}

/** The rest of an Awareness frame, after its type: the awareness update. */
export function readAwareness(decoder: decoding.Decoder): Uint8Array {
  return readPayload(decoder)
}

/** A QueryAwareness frame ("send me everyone's awareness") has nothing after its type. */
export function writeQueryAwareness(encoder: encoding.Encoder): void {
  writeMessageType(encoder, MessageType.QueryAwareness)
}

/**
 * A message the y-websocket exchange does not define: its type, then `payload` as is (no
 * length), so a custom message decides its own layout. Its type must not be one of
 * `MessageType`'s.
 */
export function writeCustom(encoder: encoding.Encoder, type: number, payload: Uint8Array): void {
  if (Object.values(MessageType).includes(type as MessageType)) {
    throw new Error(`message type ${type} is y-websocket's, not a custom one`)
  }
  writeMessageType(encoder, type)
  encoding.writeUint8Array(encoder, payload)
}

/** What is left of a frame: the payload of a custom message, after its type. */
export function readRest(decoder: decoding.Decoder): Uint8Array {
  return decoding.readTailAsUint8Array(decoder)
}

/** Throws if the frame has bytes after its last field: a frame means exactly one message. */
export function expectEnd(decoder: decoding.Decoder): void {
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after message')
}

/** The bytes of one frame, written by `write` (a chain of the `writeX` above). */
export function encodeFrame(write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder()
  write(encoder)
  return encoding.toUint8Array(encoder)
}

/**
 * A Sync frame, the same bytes as `writeSync` writes, in one allocation: the encoder would
 * copy a big payload twice (into its buffer, then into the result), and a full state is
 * megabytes.
 */
export function syncFrame(step: SyncStep, payload: Uint8Array): Uint8Array {
  const head = encodeFrame((encoder) => {
    writeMessageType(encoder, MessageType.Sync)
    writeSyncStep(encoder, step)
    encoding.writeVarUint(encoder, payload.length)
  })
  const frame = new Uint8Array(head.length + payload.length)
  frame.set(head)
  frame.set(payload, head.length)
  return frame
}
export const syncStep1Frame = (stateVector: Uint8Array): Uint8Array => syncFrame(SyncStep.Step1, stateVector)
export const syncStep2Frame = (update: Uint8Array): Uint8Array => syncFrame(SyncStep.Step2, update)
export const updateFrame = (update: Uint8Array): Uint8Array => syncFrame(SyncStep.Update, update)
export const awarenessFrame = (update: Uint8Array): Uint8Array =>
  encodeFrame((encoder) => writeAwareness(encoder, update))
export const queryAwarenessFrame = (): Uint8Array => encodeFrame(writeQueryAwareness)
export const customFrame = (type: number, payload: Uint8Array): Uint8Array =>
  encodeFrame((encoder) => writeCustom(encoder, type, payload))

/**
 * Decodes one whole frame of the y-websocket exchange. Throws on an unknown message type
 * (custom ones included: they are read with `readMessageType` and `readRest`), a truncated
 * field, or trailing bytes. The payloads are views into `bytes`, not copies.
 */
export function readFrame(bytes: Uint8Array): Frame {
  const decoder = decoding.createDecoder(bytes)
  const type = readMessageType(decoder)
  let frame: Frame
  switch (type) {
    case MessageType.Sync:
      frame = readSync(decoder)
      break
    case MessageType.Awareness:
      frame = { type, update: readAwareness(decoder) }
      break
    case MessageType.QueryAwareness:
      frame = { type }
      break
    default:
      throw new Error(`unknown message type ${type}`)
  }
  expectEnd(decoder)
  return frame
}

// ---------------------------------------------------------------------------------------
// Signals

/** The message type of every signal: not one of y-websocket's. */
export const SIGNAL_MESSAGE_TYPE = 100

/** Largest signal a client may send (a vote names one item; a reaction, a point). */
export const MAX_SIGNAL_BYTES = 1024
/** Signals a connection may send per second on average, and in one burst. */
export const SIGNALS_PER_SECOND = 10
export const SIGNAL_BURST = 30

/** The reactions anyone may send; they float up on everyone's screen and fade. */
export const REACTIONS = ['👍', '🎉', '❓'] as const
export type Reaction = (typeof REACTIONS)[number]

const MAX_ID_LENGTH = 200

/** What a client may send. */
export type ClientSignal =
  /** On every connect: this device's clock when sent, for the offset to the server's. */
  | { kind: 'hello'; sentAt: number }
  /** Facilitator: everyone's view jumps once to this presence user's (theirs). */
  | { kind: 'bring'; userId: string }
  /** Facilitator: everyone follows this presence user's view (theirs) until stopped (null). */
  | { kind: 'follow'; userId: string | null }
  /** A reaction at a point of the page. */
  | { kind: 'reaction'; emoji: Reaction; x: number; y: number }
  /** One vote on, or taken back from, a shape in the open round. */
  | { kind: 'vote'; itemId: string }
  | { kind: 'unvote'; itemId: string }
  /** Facilitator: close the open voting round; the server writes its result. */
  | { kind: 'close-round' }

/** Signals only a facilitator may send. */
export const FACILITATOR_SIGNALS: readonly ClientSignal['kind'][] = ['bring', 'follow', 'close-round']

/** Why a vote was refused (see `shared/voting.ts`). */
export type VoteRefusalReason =
  | 'round-closed'
  | 'no-votes-left'
  | 'already-voted'
  | 'not-votable'
  | 'no-vote-to-take-back'

/** What the server sends. */
export type ServerSignal =
  /** The answer to `hello`: the server's time, and the follow-me in progress. */
  | { kind: 'hello'; sentAt: number; serverTime: number; follow: string | null }
  | { kind: 'bring'; userId: string }
  | { kind: 'follow'; userId: string | null }
  | { kind: 'reaction'; emoji: Reaction; x: number; y: number }
  /** Your own votes in the round (only you get it). */
  | { kind: 'ballot'; roundId: string; votes: Record<string, number>; left: number }
  /** Live results: the round's counts, most first (only for `results: 'live'`). */
  | { kind: 'tally'; roundId: string; entries: { shapeId: string; votes: number }[]; voters: number }
  | { kind: 'vote-refused'; itemId: string; reason: VoteRefusalReason }

const utf8Encoder = new TextEncoder()
const utf8Decoder = new TextDecoder('utf-8', { fatal: true })

/** A signal as a whole frame. */
export function signalFrame(signal: ClientSignal | ServerSignal): Uint8Array {
  return customFrame(SIGNAL_MESSAGE_TYPE, utf8Encoder.encode(JSON.stringify(signal)))
}

/** The JSON object in a signal's payload; throws on anything else. */
function readSignalObject(payload: Uint8Array): Record<string, unknown> {
  const value: unknown = JSON.parse(utf8Decoder.decode(payload))
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('a signal is an object')
  return value as Record<string, unknown>
}

const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)
const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH

/**
 * A client's signal from its payload (after the message type). Throws, naming why, on
 * anything that is not exactly one of `ClientSignal`: too large, not JSON, an unknown kind,
 * a missing or extra field.
 */
export function readClientSignal(payload: Uint8Array): ClientSignal {
  if (payload.length > MAX_SIGNAL_BYTES) throw new Error(`a signal is at most ${MAX_SIGNAL_BYTES} bytes`)
  const { kind, ...fields } = readSignalObject(payload)
  const only = (...names: string[]) => {
    for (const name of Object.keys(fields)) if (!names.includes(name)) throw new Error(`unknown field "${name}"`)
  }
  switch (kind) {
    case 'hello':
      only('sentAt')
      if (!isFiniteNumber(fields.sentAt)) throw new Error('hello.sentAt is a time')
      return { kind, sentAt: fields.sentAt }
    case 'bring':
      only('userId')
      if (!isId(fields.userId)) throw new Error('bring.userId is an id')
      return { kind, userId: fields.userId }
    case 'follow':
      only('userId')
      if (fields.userId !== null && !isId(fields.userId)) throw new Error('follow.userId is an id or null')
      return { kind, userId: fields.userId }
    case 'reaction':
      only('emoji', 'x', 'y')
      if (!(REACTIONS as readonly unknown[]).includes(fields.emoji)) throw new Error('unknown reaction')
      if (!isFiniteNumber(fields.x) || !isFiniteNumber(fields.y)) throw new Error('a reaction is at a point')
      return { kind, emoji: fields.emoji as Reaction, x: fields.x, y: fields.y }
    case 'vote':
    case 'unvote':
      only('itemId')
      if (!isId(fields.itemId)) throw new Error(`${kind}.itemId is an id`)
      return { kind, itemId: fields.itemId }
    case 'close-round':
      only()
      return { kind }
    default:
      throw new Error(`unknown signal "${String(kind)}"`)
  }
}

/** A server's signal from its payload; null for one this client does not know (a newer server). */
export function readServerSignal(payload: Uint8Array): ServerSignal | null {
  try {
    const value = readSignalObject(payload)
    const kinds = ['hello', 'bring', 'follow', 'reaction', 'ballot', 'tally', 'vote-refused']
    return kinds.includes(value.kind as string) ? (value as unknown as ServerSignal) : null
  } catch {
    return null
  }
}
