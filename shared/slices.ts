/**
 * How much of a board's work one frame and one server turn hold, so that no frame blocks
 * the server for long (issue #10's bound: 50 ms). The gate's cost of an update grows with
 * its bytes (decoding, JSON.parse and schema validation of every record, Yjs applying it):
 * an honest 5,000-shape paste of 2.4 MB cost about 100–140 ms of one core as one frame.
 * The server refuses an update of more than `STIP_MAX_UPDATE_BYTES` (384 KiB by default,
 * `server/room/limits.ts`) unless it writes one record alone (`UpdateTooComplex`), so
 * every honest sender cuts its big changes here, well within that:
 *
 * - The client cuts a big change of its own (a paste, a template, deleting a whole layer)
 *   into updates of at most `CHANGE_SLICE_BYTES` of record JSON (`sliceChange`), each its
 *   own Yjs transaction and so its own frame. Every slice is a change the person could have
 *   made alone, so the gate judges each like any other: layers are written before what is
 *   in them, shapes before the arrows bound to them, and removed the other way round.
 * - The client cuts what it sends when the server asks for all it lacks (its answer to a
 *   SyncStep1: long offline work, a reload from its local copy) the same way
 *   (`sliceUpdate`, `client/src/sync/connection.ts`): pieces of its structs, each client
 *   id's in clock order, each piece complete given the server's state and the pieces
 *   before it, the delete set with the last, so the gate accepts each on its own and
 *   nothing is pending.
 * - The server's own big change, a restore of a version (`server/history/versions.ts`),
 *   goes through the gate in `sliceChange`'s slices, one per turn.
 * - The server handles a room's frames until `ROOM_TURN_BYTES` have been handled in one
 *   turn; the rest wait for the next turn (`server/room/room.ts`), after the end-of-turn
 *   flush, so other rooms and other sockets are served in between.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'
import { clientRuns, type DecodedStruct, encodeDeleteSet } from './updates.ts'

/** Record JSON bytes of one update the client sends for its own change. */
export const CHANGE_SLICE_BYTES = 128 * 1024

/** Frame bytes the server handles for one room before it lets the event loop go on. */
export const ROOM_TURN_BYTES = 2 * CHANGE_SLICE_BYTES

/** One record's write: its JSON, or null to delete it. */
export interface RecordWrite {
  readonly id: string
  readonly json: string | null
}

/**
 * What a removal counts for in a slice: it costs the server little (a delete range), but
 * each is one of the `STIP_MAX_UPDATE_STRUCTS` an update may hold, so thousands go in slices too.
 */
function removalBytes(id: string): number {
  return id.length + 16
}

/** Kind order for writes: layers first, bindings last (removals go the other way round). */
function rank(id: string): number {
  if (id.startsWith('layer:')) return 0
  if (id.startsWith('binding:')) return 2
  return 1
}

/**
 * The writes of one change, in slices of at most `maxBytes` of JSON each (a record larger
 * than that is a slice on its own): puts ordered layers → other records → bindings, then
 * removals bindings → other records → layers, so that every slice, applied in order, leaves
 * a board on which the next is judged as the person meant it. A change within `maxBytes`
 * is one slice, in the order given.
 */
export function sliceChange(
  puts: readonly { id: string; json: string }[],
  removals: readonly string[],
  maxBytes = CHANGE_SLICE_BYTES,
): RecordWrite[][] {
  let total = 0
  for (const put of puts) total += put.json.length
  for (const id of removals) total += removalBytes(id)
  const writes: RecordWrite[] = [...puts, ...removals.map((id) => ({ id, json: null }))]
  if (total <= maxBytes) return [writes]
  const orderedPuts = [...puts].sort((a, b) => rank(a.id) - rank(b.id))
  const orderedRemovals = [...removals].sort((a, b) => rank(b) - rank(a)).map((id) => ({ id, json: null }))
  const slices: RecordWrite[][] = []
  let slice: RecordWrite[] = []
  let bytes = 0
  for (const write of [...orderedPuts, ...orderedRemovals]) {
    const size = write.json === null ? removalBytes(write.id) : write.json.length
    if (slice.length > 0 && bytes + size > maxBytes) {
      slices.push(slice)
      slice = []
      bytes = 0
    }
    slice.push(write)
    bytes += size
  }
  if (slice.length > 0) slices.push(slice)
  return slices
}

/**
 * Bytes a struct adds to an update, near enough to cut by (never much less): its content's
 * text, its key, and a little for its ids and its parent's name.
 */
function structBytes(struct: DecodedStruct): number {
  if (!(struct instanceof Y.Item)) return 16
  let bytes = 32 + (struct.parentSub?.length ?? 0)
  if (struct.content instanceof Y.ContentAny) {
    for (const value of struct.content.arr) bytes += typeof value === 'string' ? value.length : 64
  }
  return bytes
}

/** The ids an item needs the document to hold before it can be integrated. */
function needs(struct: DecodedStruct): Y.ID[] {
  if (!(struct instanceof Y.Item)) return []
  const ids: Y.ID[] = []
  if (struct.origin) ids.push(struct.origin)
  if (struct.rightOrigin) ids.push(struct.rightOrigin)
  if (struct.parent instanceof Y.ID) ids.push(struct.parent)
  return ids
}

/** Structs of several clients, each client's consecutive in clock order, as one v1 update with `ds`. */
function encodePiece(runs: ReadonlyMap<number, readonly DecodedStruct[]>, ds: Uint8Array): Uint8Array {
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, runs.size)
  for (const [client, structs] of runs) {
    encoding.writeVarUint(encoder.restEncoder, structs.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, structs[0].id.clock)
    for (const struct of structs) struct.write(encoder, 0)
  }
  const structs = encoder.toUint8Array()
  const update = new Uint8Array(structs.length + ds.length)
  update.set(structs)
  update.set(ds, structs.length)
  return update
}

/**
 * `update` (v1, as `Y.encodeStateAsUpdate(doc, stateVector)` writes it for a peer whose
 * state is `held`) cut into updates of about `maxBytes` each, in an order in which each is
 * complete given `held` and the ones before it [1]; the delete set goes with the last.
 * What cannot be ordered so (structs that need what neither `held` nor the update holds)
 * goes whole, in the last. An update within `maxBytes` comes back as it is.
 */
export function sliceUpdate(
  update: Uint8Array,
  held: ReadonlyMap<number, number>,
  maxBytes = CHANGE_SLICE_BYTES,
): Uint8Array[] {
  if (update.length <= maxBytes) return [update]
  const decoded = Y.decodeUpdate(update)
  const queues = [...clientRuns(decoded).values()].map(({ client, structs }) => ({ client, structs, next: 0 }))
  // Every struct once, each after all it needs: take each client's structs as far as they go.
  const reach = new Map(held)
  const reached = (id: Y.ID) => id.clock < (reach.get(id.client) ?? 0)
  const ordered: { client: number; struct: DecodedStruct }[] = []
  for (let progressed = true; progressed; ) {
    progressed = false
    for (const queue of queues) {
      for (; queue.next < queue.structs.length; queue.next++) {
        const struct = queue.structs[queue.next]
        if (!needs(struct).every(reached)) break
        ordered.push({ client: queue.client, struct })
        reach.set(queue.client, struct.id.clock + struct.length)
        progressed = true
      }
    }
  }
  const updates: Uint8Array[] = []
  const none = encodeDeleteSet(new Map())
  let piece = new Map<number, DecodedStruct[]>()
  let bytes = 0
  for (const { client, struct } of ordered) {
    const size = structBytes(struct)
    if (piece.size > 0 && bytes + size > maxBytes) {
      updates.push(encodePiece(piece, none))
      piece = new Map()
      bytes = 0
    }
    const run = piece.get(client)
    if (run) run.push(struct)
    else piece.set(client, [struct])
    bytes += size
  }
  const ds = encodeDeleteSet(decoded.ds.clients)
  const rest = new Map<number, DecodedStruct[]>()
  for (const queue of queues)
    if (queue.next < queue.structs.length) rest.set(queue.client, queue.structs.slice(queue.next))
  if (rest.size > 0) {
    if (piece.size > 0) updates.push(encodePiece(piece, none))
    updates.push(encodePiece(rest, ds))
  } else updates.push(encodePiece(piece, ds))
  return updates
}

// [1] The server's gate refuses (asks again for) an update that would leave anything
//     pending (`shared/updates.ts`), so every piece must build only on what the server
//     holds or what it or an earlier piece brings: an item's origin, right origin and
//     parent. Within one client id that is clock order; across ids (a reload's new id
//     building on the old one's offline work, two tabs offline that see each other's work)
//     each client's structs are taken as far as what they need is taken, in turns, which
//     an honest update always allows (each struct needs only what existed when it was
//     made). A piece may hold several clients' structs, which Yjs integrates in any order.
