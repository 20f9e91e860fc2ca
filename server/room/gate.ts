/**
 * The gate: may this document update be applied? A pure function of who sent it (role,
 * scope), the update and the document as it is now, with no socket and no side effect, so
 * that every rule can be tested on its own and the room only carries out the verdict.
 *
 * The checks run in this order, and an update is judged whole (one forbidden record refuses
 * all of it, nothing is applied):
 * 1. Role: a display's updates are ignored without a word (its client never means to send
 *    any); read-only is enforced here, where messages are read, not in the UI.
 *    Take control (`meta.control`, `shared/control.ts`): while a facilitator holds it, a
 *    participant's update is held — not applied, the connection kept — and the room asks
 *    that connection for all it has once control is released, so an honest participant's
 *    change made just before (or offline) arrives then instead of being lost.
 * 2. Cost (`judgeCost`, effect.ts): structs and delete ranges, the update's bytes (one
 *    record alone in its update may be as large as its own limit) and its longest value
 *    are counted before anything is decoded, within `RoomLimits` (`UpdateTooComplex`,
 *    `RecordTooLarge`): what the rest of the gate and Yjs then spend is bounded by them,
 *    so no frame holds the event loop for long (issue #10: 50 ms).
 * 3. Identity and completeness (`judgeIdentity`, identity.ts): structs under another
 *    person's client id, beyond what the server holds, are stripped; what is left must
 *    continue exactly from the document (no clock gap, no missing origin, no delete or GC
 *    of content the server lacks), or it is not applied and the sender is asked to resync.
 *    Everything after this judges, and the room applies, the update as stripped.
 * 4. Inspection (`inspectUpdate`, reading the structs step 3 decoded: an update is
 *    decoded once): the update must write only well-formed records, each under the key of
 *    its kind; then (`judgeRecords`) every value must be a
 *    valid record of the full Stip schema (`InvalidRecord`), within its byte limit, and the
 *    board within its size (`BoardTooLarge`).
 *    One that builds on changes the board does not hold (yet) is neither applied nor held
 *    back: the sender is asked to resync (after a lost tail, its browser holds them).
 * 5. Rights (`checkChange`): what the update writes and deletes, read the way Yjs will
 *    apply it, must be within the role's and the link's layer scope, the kind of each record
 *    taken from its key; each `meta` key is its owner's (`shared/meta.ts`).
 * 6. Meta values (`judgeMeta`): only keys `shared/meta.ts` lists, with valid values (no
 *    schema newer than the server's).
 *
 * The rest of the gate judges connections rather than one update, so it lives where that
 * state is; every rule in one list:
 * - before the upgrade (`server/http/sync.ts`): a valid, unrevoked token; an allowed
 *   `Origin`; the process's room and connection caps; a well-formed browser secret;
 * - per frame and per connection (`limits.ts`, checked by `room.ts` before dispatch): frame
 *   size, update rate and bytes per second, sync requests and their answer bytes, a socket
 *   that does not read;
 * - presence (`presence.ts`): one awareness id per connection, only its own state, bounded
 *   size and rate, role and layer stamped from the token;
 * - faults (`room.ts`, `persistence.ts`): an update that throws while applied is undone, a
 *   board whose stored rows do not decode is read-only, a store that cannot write fails
 *   the room.
 */
import type * as Y from 'yjs'
import { META_CONTROL_KEY, readControl } from '../../shared/control.ts'
import { getMetaMap, getRecord, getRecordsMap, inspectUpdate } from '../../shared/doc.ts'
import type { LayerRecord } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { checkChange } from '../../shared/rights.ts'
import { canWriteDocument, type Role } from '../../shared/roles.ts'
import type { LogFields } from '../log.ts'
import type { ClientOwner } from '../store/types.ts'
import { judgeCost, judgeMeta, judgeRecords } from './effect.ts'
import { type ClientOwners, judgeIdentity } from './identity.ts'
import { DEFAULT_LIMITS, type RoomLimits } from './limits.ts'

/** Who is asking: the parts of a connection the gate looks at. */
export interface Sender {
  readonly role: Role
  /** For a participant link scoped to a layer: that layer; else null. */
  readonly layerId: string | null
  /** Hash of the browser secret the connection presented (or one of its own, without). */
  readonly secretHash: string
}

/** What the gate knows of the board. */
export interface BoardState {
  readonly doc: Y.Doc
  /** Every layer record, kept current by the room. */
  readonly layers: ReadonlyMap<string, LayerRecord>
  /** Which browser secret introduced each client id, kept current by the room. */
  readonly owners: ClientOwners
  /** What one update may cost (default `DEFAULT_LIMITS`). */
  readonly limits?: RoomLimits
}

export type GateVerdict =
  /**
   * Apply `update` (the one received, without other authors' structs beyond what the server
   * holds: `stripped` names their client ids) and record `claims` with it.
   */
  | {
      readonly action: 'apply'
      readonly update: Uint8Array
      readonly claims: readonly ClientOwner[]
      readonly stripped: readonly number[]
    }
  /** Drop the update and keep the connection (a display's writes). */
  | { readonly action: 'ignore' }
  /**
   * Take control is on and the sender is a participant: drop the update, keep the
   * connection, and ask it for all it has once control is released (its browser keeps it).
   */
  | { readonly action: 'hold' }
  /**
   * Drop the update, keep the connection, and ask the sender for all it has (SyncStep1):
   * the update builds on changes the server lacks, which an honest sender holds.
   */
  | {
      readonly action: 'resync'
      readonly log: string
      /** Other authors' client ids stripped from it, and the one whose content it lacks:
       * the sender is asked again once one of their clocks moves. */
      readonly stripped?: readonly number[]
      readonly waitsOn?: readonly number[]
    }
  /** Close the sender with `code`; `log` and `fields` say why, for the room's warning. */
  | { readonly action: 'refuse'; readonly code: CloseCode; readonly log: string; readonly fields: LogFields }

const IGNORE: GateVerdict = { action: 'ignore' }
const HOLD: GateVerdict = { action: 'hold' }

export function judgeUpdate(sender: Sender, received: Uint8Array, board: BoardState): GateVerdict {
  if (!canWriteDocument(sender.role)) return IGNORE
  if (sender.role === 'participant' && isControlTaken(board.doc)) return HOLD
  const limits = board.limits ?? DEFAULT_LIMITS
  const measured = judgeCost(received, limits)
  if ('action' in measured) return measured
  const identity = judgeIdentity(sender.secretHash, received, board.doc, board.owners)
  if (!identity.ok) {
    if (identity.reason === 'incomplete') {
      const waitsOn = identity.waitsOn === undefined ? [] : [identity.waitsOn]
      return { action: 'resync', log: identity.message, stripped: identity.stripped, waitsOn }
    }
    return {
      action: 'refuse',
      code: CloseCode.MalformedMessage,
      log: 'update refused',
      fields: { reason: identity.message },
    }
  }
  const update = identity.update
  // The structs identity decoded, read again, not decoded again.
  const inspection = inspectUpdate(board.doc, identity)
  if (!inspection.ok) {
    if (inspection.reason === 'missing') return { action: 'resync', log: inspection.message }
    return {
      action: 'refuse',
      code: inspection.reason === 'malformed' ? CloseCode.MalformedMessage : CloseCode.InvalidRecord,
      log: 'update refused',
      fields: { reason: inspection.message },
    }
  }
  const invalid = judgeRecords(inspection, board.doc, limits, measured)
  if (invalid) return invalid
  // Rights are checked before anything is applied: a refused update is refused whole.
  const records = getRecordsMap(board.doc)
  const verdict = checkChange(
    { role: sender.role, layerId: sender.layerId },
    {
      before: (id) => getRecord(records, id),
      layers: board.layers,
      written: inspection.written,
      values: inspection.values,
      deleted: inspection.deleted,
      metaKeys: inspection.metaKeys,
    },
  )
  if (!verdict.ok) {
    return {
      action: 'refuse',
      code: CloseCode.Forbidden,
      log: 'update forbidden',
      fields: { record: verdict.recordId, reason: verdict.reason },
    }
  }
  const invalidMeta = judgeMeta(inspection)
  if (invalidMeta) return invalidMeta
  return { action: 'apply', update, claims: identity.claims, stripped: identity.stripped }
}

/** Whether a facilitator has taken control of the board (`meta.control`). */
export function isControlTaken(doc: Y.Doc): boolean {
  return readControl(getMetaMap(doc).get(META_CONTROL_KEY)) !== null
}
