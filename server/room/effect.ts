/**
 * The gate's checks of cost and effect, each a pure function of the update (or what
 * `inspectUpdate` read from it), the board and the limits, returning a refusal or null:
 *
 * - `judgeCost`, before anything is decoded: the update's structs plus delete ranges are
 *   counted without building them (`measureUpdate`) and must stay within
 *   `maxUpdateStructs` (`UpdateTooComplex`); no string in it may be longer than the largest
 *   record allowed (`RecordTooLarge`); and the update must be within `maxUpdateBytes`,
 *   unless it is that one string and little else (`ALONE_BYTES`; `UpdateTooComplex`) [1].
 *   Decoding is what a frame of millions of tiny structs costs, so this comes first.
 * - `judgeRecords`, after inspection: every value the update may leave under a key is a
 *   valid record of the full Stip schema (`shared/schema/`, tldraw's shapes, bindings and
 *   assets plus the north star and layers — the registry the client validates with), so no
 *   client ever skips someone else's record as unreadable (`InvalidRecord`); each within its
 *   byte limit (`RecordTooLarge`); and a board at its size limit takes no more records
 *   (`BoardTooLarge`; deleting still works).
 * - `judgeMeta`, after rights: every `meta` key written is one `shared/meta.ts` lists, with
 *   a value its validator accepts (`InvalidRecord`): no "newer" schema, no display setting
 *   its sanitizer would drop.
 */
import { recordKind, type StoredRecord } from '../../shared/doc.ts'
import { refuseMetaValue } from '../../shared/meta.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { checkRecord } from '../../shared/schema/index.ts'
import type { LogFields } from '../log.ts'
import { boardBytes, measureUpdate, type RoomLimits, type UpdateMeasure } from './limits.ts'

/** A refusal, in the gate's terms. */
export interface Refusal {
  readonly action: 'refuse'
  readonly code: CloseCode
  readonly log: string
  readonly fields: LogFields
}

const refusal = (code: CloseCode, fields: LogFields): Refusal => ({
  action: 'refuse',
  code,
  log: 'update refused',
  fields,
})

/** The update's size in structs and strings, before it is decoded: a refusal, or the measure. */
export function judgeCost(update: Uint8Array, limits: RoomLimits): Refusal | UpdateMeasure {
  let measure: UpdateMeasure
  try {
    measure = measureUpdate(update, limits.maxUpdateStructs)
  } catch (error) {
    return refusal(CloseCode.MalformedMessage, { reason: `Not a Yjs update: ${String(error)}` })
  }
  if (measure.structs > limits.maxUpdateStructs) {
    return refusal(CloseCode.UpdateTooComplex, {
      reason: `more than ${limits.maxUpdateStructs} structs and delete ranges`,
    })
  }
  const largest = Math.max(limits.maxRecordBytes, limits.maxAssetBytes)
  if (measure.longestString > largest) {
    return refusal(CloseCode.RecordTooLarge, { reason: `a value of ${measure.longestString} bytes` })
  }
  const besides = update.length - measure.longestString
  if (update.length > limits.maxUpdateBytes && besides > ALONE_BYTES) {
    return refusal(CloseCode.UpdateTooComplex, {
      reason: `${update.length} bytes, more than ${limits.maxUpdateBytes} (${besides} besides its largest value)`,
    })
  }
  return measure
}

/** What may come with one value larger than `maxUpdateBytes` in its update: its key, a delete set. */
export const ALONE_BYTES = 64 * 1024

// [1] Every byte of an update costs the gate and Yjs alike (decoding, JSON.parse and schema
//     validation of each record, applying, storing), about 40 µs per KB: the one bound on
//     its bytes is what bounds the time one frame blocks the server. One record (an image
//     inlined as a data URL) may be as large as its own limit, alone in its update: a
//     frame then costs at most that record or `maxUpdateBytes`, never both. Counted over the
//     whole update, not only record values: keys, other content types and the delete set
//     cost too. The client's slices (`shared/slices.ts`) stay well under it.

/** What the gate read from the update, as far as these checks need it. */
export interface ReadUpdate {
  readonly written: ReadonlyMap<string, StoredRecord>
  readonly values: ReadonlyMap<string, readonly (StoredRecord | null)[]>
  readonly metaKeys: ReadonlySet<string>
  readonly metaValues: ReadonlyMap<string, readonly unknown[]>
}

/**
 * Every record value against the schema and its byte limit, and the board against its size.
 * `measure` is `judgeCost`'s: its string bytes are what the update adds at most, and only
 * when its longest string passes `maxRecordBytes` is any record measured on its own [2].
 */
export function judgeRecords(
  read: ReadUpdate,
  doc: Parameters<typeof boardBytes>[0],
  limits: RoomLimits,
  measure: UpdateMeasure,
): Refusal | null {
  const measureEach = measure.longestString > limits.maxRecordBytes
  for (const [id, candidates] of read.values) {
    for (const record of candidates) {
      if (!record) continue
      const check = checkRecord(record)
      if (!check.ok) {
        return refusal(CloseCode.InvalidRecord, { record: id, reason: `${check.reason}: ${check.message}` })
      }
      if (!measureEach || recordKind(id) === 'asset') continue
      const bytes = JSON.stringify(record).length
      if (bytes > limits.maxRecordBytes)
        return refusal(CloseCode.RecordTooLarge, { record: id, reason: `${bytes} bytes` })
    }
  }
  const added = read.values.size > 0 ? measure.stringBytes : 0
  if (added > 0 && boardBytes(doc) + added > limits.maxBoardBytes) {
    return refusal(CloseCode.BoardTooLarge, { reason: `the board would pass ${limits.maxBoardBytes} bytes` })
  }
  return null
}

// [2] Stringifying every record again to learn its size cost as much as validating it.

/** Every `meta` key written is known, and every value it may end with is valid. */
export function judgeMeta(read: ReadUpdate): Refusal | null {
  for (const key of read.metaKeys) {
    const candidates = read.metaValues.get(key) ?? []
    // Only deleted (by a delete set, or an item whose content is already deleted).
    const values = candidates.length === 0 ? [undefined] : candidates
    for (const value of values) {
      const reason = refuseMetaValue(key, value)
      if (reason) return refusal(CloseCode.InvalidRecord, { record: `meta:${key}`, reason })
    }
  }
  return null
}
