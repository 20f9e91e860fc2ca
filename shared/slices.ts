/**
 * How much of a board's work one frame and one server turn hold, so that no frame blocks
 * the server for long (issue #10's bound: 50 ms). The gate's cost of an update grows with
 * its bytes (decoding, JSON.parse and schema validation of every record, Yjs applying it):
 * an honest 5,000-shape paste of 2.4 MB cost about 100–140 ms of one core as one frame.
 *
 * - The client cuts a big change of its own (a paste, a template, deleting a whole layer)
 *   into updates of at most `CHANGE_SLICE_BYTES` of record JSON (`sliceChange`), each its
 *   own Yjs transaction and so its own frame. Every slice is a change the person could have
 *   made alone, so the gate judges each like any other: layers are written before what is
 *   in them, shapes before the arrows bound to them, and removed the other way round.
 * - The server handles a room's frames until `ROOM_TURN_BYTES` have been handled in one
 *   turn; the rest wait for the next turn (`server/room/room.ts`), after the end-of-turn
 *   flush, so other rooms and other sockets are served in between.
 */

/** Record JSON bytes of one update the client sends for its own change. */
export const CHANGE_SLICE_BYTES = 128 * 1024

/** Frame bytes the server handles for one room before it lets the event loop go on. */
export const ROOM_TURN_BYTES = 2 * CHANGE_SLICE_BYTES

/** One record's write: its JSON, or null to delete it. */
export interface RecordWrite {
  readonly id: string
  readonly json: string | null
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
  const writes: RecordWrite[] = [...puts, ...removals.map((id) => ({ id, json: null }))]
  if (total <= maxBytes) return [writes]
  const orderedPuts = [...puts].sort((a, b) => rank(a.id) - rank(b.id))
  const orderedRemovals = [...removals].sort((a, b) => rank(b) - rank(a)).map((id) => ({ id, json: null }))
  const slices: RecordWrite[][] = []
  let slice: RecordWrite[] = []
  let bytes = 0
  for (const write of [...orderedPuts, ...orderedRemovals]) {
    // A removal costs the server little: its id and a delete range.
    const size = write.json === null ? write.id.length + 16 : write.json.length
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
