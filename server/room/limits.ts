/**
 * What one frame and one connection may cost the server, and the bookkeeping that enforces
 * it. A Yjs update well under the frame size limit can still hold millions of tiny structs,
 * and a socket that asks for the whole board again and again without reading can pile up
 * gigabytes in the server's memory; each such case is bounded here, with a named close code
 * (`shared/protocol.ts`) for whoever exceeds it and a default an administrator can raise
 * (`server/config.ts` reads the environment).
 *
 * Per frame: structs plus delete ranges and the update's bytes (counted before Yjs decodes
 * anything: decoding is the cost; one record alone in its update may be as large as its
 * own limit), bytes per record value, and the board's total size. Together they bound the
 * time one frame holds the event loop (issue #10: 50 ms; `bench/worst-frame.ts`).
 * Per connection: token buckets for updates, bytes sent to the server and sync answers
 * (SyncStep1 / QueryAwareness), and the socket's outgoing buffer.
 *
 * The defaults were chosen so honest use never meets them: a 5,000-shape paste is about
 * 5,000 structs and 2.4 MB, which the client sends in slices of 128 KiB; a picture is
 * refused by the editor before it passes the asset limit; a reconnect after an hour
 * offline sends each changed record once (Yjs keeps only the last value of a key, the rest
 * is one GC range per client); 70 people drawing send a few dozen updates a second each at
 * most.
 */
import * as decoding from 'lib0/decoding'
import type * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { assetBytesForFile, DEFAULT_MAX_IMAGE_FILE_BYTES } from '../../shared/images.ts'
import { PRESENCE_MAX_STATE_BYTES, PRESENCE_MAX_UPDATES_PER_SECOND } from '../../shared/presence.ts'
import { CloseCode, MessageType, readMessageType, readSyncStep, SyncStep } from '../../shared/protocol.ts'
import { ROOM_TURN_BYTES } from '../../shared/slices.ts'

export interface RoomLimits {
  /** Structs plus delete-set ranges in one update (`STIP_MAX_UPDATE_STRUCTS`). */
  maxUpdateStructs: number
  /**
   * Bytes of one update (`STIP_MAX_UPDATE_BYTES`): an update of many records costs the
   * server in proportion to its bytes. One that is a single record and little else
   * (`ALONE_BYTES`, effect.ts) may be as large as that record's own limit.
   */
  maxUpdateBytes: number
  /** Bytes of one record's JSON, images excepted (`STIP_MAX_RECORD_BYTES`). */
  maxRecordBytes: number
  /** Bytes of one asset record's JSON: an image inlined as a data URL (`STIP_MAX_ASSET_BYTES`). */
  maxAssetBytes: number
  /** Bytes of all record values of one board (`STIP_MAX_BOARD_BYTES`). */
  maxBoardBytes: number
  /** Updates a connection may send per second, sustained (`STIP_UPDATES_PER_SECOND`). */
  updatesPerSecond: number
  /** …and in one burst (`STIP_UPDATE_BURST`). */
  updateBurst: number
  /** Bytes a connection may send per second, sustained (`STIP_BYTES_PER_SECOND`). */
  bytesPerSecond: number
  /** …and in one burst: a reconnect after long offline work (`STIP_BYTE_BURST`). */
  byteBurst: number
  /** Sync answers (SyncStep1, QueryAwareness) a connection may ask per second (`STIP_SYNC_REQUESTS_PER_SECOND`). */
  syncRequestsPerSecond: number
  /** …and in one burst (`STIP_SYNC_REQUEST_BURST`). */
  syncRequestBurst: number
  /** Bytes of those answers per second: a full state counts whole (`STIP_ANSWER_BYTES_PER_SECOND`). */
  answerBytesPerSecond: number
  /** …and in one burst: a joiner's first full state (`STIP_ANSWER_BYTE_BURST`). */
  answerByteBurst: number
  /** Bytes waiting in a socket's outgoing buffer before the server stops writing to it and
   * closes it: a socket that does not read (`STIP_MAX_BUFFERED_BYTES`). */
  maxBufferedBytes: number
  /** Bytes of one awareness state's JSON (`STIP_PRESENCE_MAX_BYTES`, never below the client's bound). */
  presenceStateBytes: number
  /** Awareness updates a connection may send per second (`STIP_PRESENCE_MAX_PER_SECOND`, never below the client's pace). */
  presenceUpdatesPerSecond: number
}

const MiB = 1024 * 1024

export const DEFAULT_LIMITS: RoomLimits = {
  maxUpdateStructs: 10_000,
  // The client's slices are 128 KiB of record JSON (`shared/slices.ts`), their frames a
  // little more; 384 KiB of shapes cost the server about 10–20 ms here.
  maxUpdateBytes: 384 * 1024,
  maxRecordBytes: 1 * MiB,
  // The editor takes pictures up to 3 MiB (`shared/images.ts`): 4 MiB of base64 JSON.
  maxAssetBytes: assetBytesForFile(DEFAULT_MAX_IMAGE_FILE_BYTES),
  maxBoardBytes: 256 * MiB,
  updatesPerSecond: 200,
  updateBurst: 2_000,
  bytesPerSecond: 4 * MiB,
  byteBurst: 64 * MiB,
  // An answer to a client that knows the board is tiny; the bytes bucket bounds full states.
  syncRequestsPerSecond: 100,
  syncRequestBurst: 1_000,
  answerBytesPerSecond: 16 * MiB,
  answerByteBurst: 512 * MiB,
  maxBufferedBytes: 64 * MiB,
  presenceStateBytes: PRESENCE_MAX_STATE_BYTES,
  presenceUpdatesPerSecond: PRESENCE_MAX_UPDATES_PER_SECOND,
}

/** The environment variable of each limit. */
export const LIMIT_VARIABLES: Readonly<Record<keyof RoomLimits, string>> = {
  maxUpdateStructs: 'STIP_MAX_UPDATE_STRUCTS',
  maxUpdateBytes: 'STIP_MAX_UPDATE_BYTES',
  maxRecordBytes: 'STIP_MAX_RECORD_BYTES',
  maxAssetBytes: 'STIP_MAX_ASSET_BYTES',
  maxBoardBytes: 'STIP_MAX_BOARD_BYTES',
  updatesPerSecond: 'STIP_UPDATES_PER_SECOND',
  updateBurst: 'STIP_UPDATE_BURST',
  bytesPerSecond: 'STIP_BYTES_PER_SECOND',
  byteBurst: 'STIP_BYTE_BURST',
  syncRequestsPerSecond: 'STIP_SYNC_REQUESTS_PER_SECOND',
  syncRequestBurst: 'STIP_SYNC_REQUEST_BURST',
  answerBytesPerSecond: 'STIP_ANSWER_BYTES_PER_SECOND',
  answerByteBurst: 'STIP_ANSWER_BYTE_BURST',
  maxBufferedBytes: 'STIP_MAX_BUFFERED_BYTES',
  presenceStateBytes: 'STIP_PRESENCE_MAX_BYTES',
  presenceUpdatesPerSecond: 'STIP_PRESENCE_MAX_PER_SECOND',
}

/** Limits an administrator may lower only this far: below them, honest clients would be closed. */
const FLOORS: Partial<Record<keyof RoomLimits, number>> = {
  // The client sends nothing bigger in one update, one record alone excepted.
  maxUpdateBytes: ROOM_TURN_BYTES,
  presenceStateBytes: PRESENCE_MAX_STATE_BYTES,
  presenceUpdatesPerSecond: PRESENCE_MAX_UPDATES_PER_SECOND,
}

/**
 * The limits from the environment: each variable, when set, a positive integer (for the
 * update's bytes and the presence limits, at least their `FLOORS`). `error` makes the exception to throw.
 */
export function readLimits(env: NodeJS.ProcessEnv, error: (message: string) => Error): RoomLimits {
  const limits: RoomLimits = { ...DEFAULT_LIMITS }
  for (const [field, name] of Object.entries(LIMIT_VARIABLES) as [keyof RoomLimits, string][]) {
    const text = env[name]?.trim()
    if (!text) continue
    const value = Number(text)
    const floor = FLOORS[field] ?? 1
    if (!Number.isSafeInteger(value) || value < floor) {
      throw error(`${name} must be an integer of at least ${floor}, got "${text}"`)
    }
    limits[field] = value
  }
  return limits
}

/** A limit a connection went over: the close code and a reason for the log. */
export interface LimitExceeded {
  readonly code: CloseCode
  readonly reason: string
}

/** A token bucket: `capacity` tokens, refilled at `perSecond`; `take` is false when empty. */
export class TokenBucket {
  private tokens: number
  private last: number

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity
    this.last = now()
  }

  take(amount = 1): boolean {
    const now = this.now()
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.perSecond)
    this.last = now
    if (this.tokens < amount) return false
    this.tokens -= amount
    return true
  }
}

/** One connection's buckets. */
export class ConnectionBudget {
  private readonly updates: TokenBucket
  private readonly bytes: TokenBucket
  private readonly syncRequests: TokenBucket
  private readonly answerBytes: TokenBucket

  constructor(private readonly limits: RoomLimits) {
    this.updates = new TokenBucket(limits.updateBurst, limits.updatesPerSecond)
    this.bytes = new TokenBucket(limits.byteBurst, limits.bytesPerSecond)
    this.syncRequests = new TokenBucket(limits.syncRequestBurst, limits.syncRequestsPerSecond)
    this.answerBytes = new TokenBucket(limits.answerByteBurst, limits.answerBytesPerSecond)
  }

  /** Every frame received: its bytes. */
  frame(bytes: number): LimitExceeded | null {
    return this.bytes.take(bytes) ? null : { code: CloseCode.RateLimited, reason: 'bytes per second' }
  }

  /** A document update (Update or SyncStep2). */
  update(): LimitExceeded | null {
    return this.updates.take() ? null : { code: CloseCode.RateLimited, reason: 'updates per second' }
  }

  /** A request the server answers with a copy of its state (SyncStep1, QueryAwareness). */
  syncRequest(): LimitExceeded | null {
    return this.syncRequests.take() ? null : { code: CloseCode.RateLimited, reason: 'sync requests per second' }
  }

  /** An answer to such a request, of `bytes`, about to be sent. */
  answer(bytes: number): LimitExceeded | null {
    return this.answerBytes.take(bytes) ? null : { code: CloseCode.RateLimited, reason: 'answer bytes per second' }
  }

  /**
   * Whether `bytes` more may be written to a socket that has `buffered` bytes it has not
   * sent yet. An empty buffer takes any message (the board's full state to a new joiner);
   * after that, what the client has not read counts against `maxBufferedBytes`.
   */
  send(buffered: number, bytes: number): LimitExceeded | null {
    if (buffered === 0 || buffered + bytes <= this.limits.maxBufferedBytes) return null
    return { code: CloseCode.NotReading, reason: `${buffered} bytes unread` }
  }
}

/**
 * Takes what a received frame costs from the connection's budget, by its first bytes only:
 * its size, and an update or a sync request by its type. Null when within budget; a frame
 * too short to say is the codec's to refuse.
 */
export function admitFrame(budget: ConnectionBudget, frame: Uint8Array): LimitExceeded | null {
  const overBytes = budget.frame(frame.length)
  if (overBytes) return overBytes
  try {
    const decoder = decoding.createDecoder(frame)
    const type = readMessageType(decoder)
    if (type === MessageType.QueryAwareness) return budget.syncRequest()
    if (type !== MessageType.Sync) return null
    return readSyncStep(decoder) === SyncStep.Step1 ? budget.syncRequest() : budget.update()
  } catch {
    return null
  }
}

/** The budgets of live connections, without adding a field to every connection. */
const budgets = new WeakMap<object, ConnectionBudget>()

export function budgetOf(connection: object, limits: RoomLimits): ConnectionBudget {
  let budget = budgets.get(connection)
  if (!budget) {
    budget = new ConnectionBudget(limits)
    budgets.set(connection, budget)
  }
  return budget
}

/** What an update holds, counted without decoding it: structs and ranges, its longest string. */
export interface UpdateMeasure {
  /** Structs plus delete-set ranges, counted up to `limit + 1`. */
  structs: number
  /** Bytes of the longest string value (a record's JSON) seen. */
  longestString: number
  /** Bytes of all string values. */
  stringBytes: number
}

/**
 * Walks a Yjs v1 update the way Yjs's decoder does, without building a struct or a string,
 * and stops as soon as it has counted more than `limit` structs and delete ranges: its work
 * is bounded by the limit, not by what the frame claims. Throws on a malformed update (the
 * gate's decode would too). The layout is Yjs's `writeStructs` and `writeDeleteSet`.
 */
export function measureUpdate(update: Uint8Array, limit: number): UpdateMeasure {
  const decoder = decoding.createDecoder(update)
  const measure: UpdateMeasure = { structs: 0, longestString: 0, stringBytes: 0 }
  const skipString = () => {
    const length = decoding.readVarUint(decoder)
    if (decoder.pos + length > decoder.arr.length) throw new Error('string runs past the update')
    decoder.pos += length
    return length
  }
  const skipAny = (depth: number): void => {
    if (depth > 64) throw new Error('value nested too deep')
    const type = decoding.readUint8(decoder)
    switch (type) {
      case 127: // undefined
      case 126: // null
      case 121: // false
      case 120: // true
        return
      case 125:
        decoding.readVarInt(decoder)
        return
      case 124:
        decoding.readFloat32(decoder)
        return
      case 123:
        decoding.readFloat64(decoder)
        return
      case 122:
        decoding.readBigInt64(decoder)
        return
      case 119: {
        const length = skipString()
        measure.stringBytes += length
        if (length > measure.longestString) measure.longestString = length
        return
      }
      case 118: {
        const fields = decoding.readVarUint(decoder)
        for (let i = 0; i < fields; i++) {
          skipString()
          skipAny(depth + 1)
        }
        return
      }
      case 117: {
        const items = decoding.readVarUint(decoder)
        for (let i = 0; i < items; i++) skipAny(depth + 1)
        return
      }
      case 116:
        decoding.readVarUint8Array(decoder)
        return
      default:
        throw new Error(`unknown value type ${type}`)
    }
  }
  const skipContent = (info: number) => {
    switch (info & 0b11111) {
      case 1: // deleted
        decoding.readVarUint(decoder)
        return
      case 2: {
        // JSON: strings
        const count = decoding.readVarUint(decoder)
        for (let i = 0; i < count; i++) skipString()
        return
      }
      case 3: // binary
        decoding.readVarUint8Array(decoder)
        return
      case 4: // string
      case 5: // embed
        skipString()
        return
      case 6: // format
        skipString()
        skipString()
        return
      case 7: {
        // type
        const ref = decoding.readVarUint(decoder)
        if (ref === 3 || ref === 5) skipString()
        return
      }
      case 8: {
        // any
        const count = decoding.readVarUint(decoder)
        for (let i = 0; i < count; i++) skipAny(0)
        return
      }
      case 9: // doc
        skipString()
        skipAny(0)
        return
      default:
        throw new Error(`unknown content ${info & 0b11111}`)
    }
  }
  const clients = decoding.readVarUint(decoder)
  for (let c = 0; c < clients; c++) {
    const structs = decoding.readVarUint(decoder)
    decoding.readVarUint(decoder) // client
    decoding.readVarUint(decoder) // clock
    for (let s = 0; s < structs; s++) {
      if (++measure.structs > limit) return measure
      const info = decoding.readUint8(decoder)
      if (info === 10) {
        decoding.readVarUint(decoder) // skip: length
      } else if ((info & 0b11111) !== 0) {
        const hasOrigin = (info & 0b10000000) !== 0
        const hasRightOrigin = (info & 0b01000000) !== 0
        if (hasOrigin) {
          decoding.readVarUint(decoder)
          decoding.readVarUint(decoder)
        }
        if (hasRightOrigin) {
          decoding.readVarUint(decoder)
          decoding.readVarUint(decoder)
        }
        if (!hasOrigin && !hasRightOrigin) {
          if (decoding.readVarUint(decoder) === 1) skipString()
          else {
            decoding.readVarUint(decoder)
            decoding.readVarUint(decoder)
          }
          if ((info & 0b00100000) !== 0) skipString() // parentSub
        }
        skipContent(info)
      } else {
        decoding.readVarUint(decoder) // GC: length
      }
    }
  }
  const deleteClients = decoding.readVarUint(decoder)
  for (let c = 0; c < deleteClients; c++) {
    decoding.readVarUint(decoder) // client
    const ranges = decoding.readVarUint(decoder)
    for (let r = 0; r < ranges; r++) {
      if (++measure.structs > limit) return measure
      decoding.readVarUint(decoder)
      decoding.readVarUint(decoder)
    }
  }
  return measure
}

/** Bytes of the record values of each document, kept current by an observer once asked. */
const sizes = new WeakMap<Y.Doc, { bytes: number }>()

/** The total bytes of `doc`'s record values (JSON text; older object values count as 0). */
export function boardBytes(doc: Y.Doc): number {
  const known = sizes.get(doc)
  if (known) return known.bytes
  const records = getRecordsMap(doc)
  const size = { bytes: 0 }
  const length = (value: unknown) => (typeof value === 'string' ? value.length : 0)
  for (const value of records.values()) size.bytes += length(value)
  records.observe((event) => {
    for (const [key, change] of event.changes.keys) {
      size.bytes -= length(change.oldValue)
      if (change.action !== 'delete') size.bytes += length(records.get(key))
    }
  })
  sizes.set(doc, size)
  return size.bytes
}
