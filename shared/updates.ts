/**
 * What a Yjs update really contains, read struct by struct against the document it would be
 * applied to: whose client ids it writes under, and whether it continues exactly from what
 * the document holds. The server's gate asks these questions before anything is applied
 * (`server/room/identity.ts`); they are pure functions of the document and the decoded
 * update, with no socket and no store, so they are tested on their own (`updates.test.ts`).
 *
 * Why completeness matters: Yjs keeps a struct it cannot integrate yet (a clock gap, an
 * origin it has not seen, a delete of content that does not exist yet) *pending* and
 * integrates it, unchecked, the moment the missing piece arrives — after a layer was locked,
 * say — and meanwhile it grows memory and travels in snapshots and joiners' state. So an
 * update is accepted only if every struct in it can be integrated at once
 * (`findIncompleteness`): nothing is ever left in `doc.store.pendingStructs` or `pendingDs`.
 */
import * as encoding from 'lib0/encoding'
import * as Y from 'yjs'

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>
export type DecodedStruct = DecodedUpdate['structs'][number]

/** One client id's structs in an update: where they start and end, and the structs. */
export interface ClientRun {
  readonly client: number
  /** First clock of the run. */
  readonly start: number
  /** One past the last clock of the run. */
  readonly end: number
  readonly structs: readonly DecodedStruct[]
}

/**
 * The update's structs grouped by client id, each group in clock order. Throws if a client's
 * structs come in two groups or with a jump in clocks: Yjs would read only one of the
 * groups, so what we checked would not be what it applies. No Yjs encoder writes that.
 */
export function clientRuns(decoded: DecodedUpdate): Map<number, ClientRun> {
  const runs = new Map<number, { client: number; start: number; end: number; structs: DecodedStruct[] }>()
  let current: { client: number; start: number; end: number; structs: DecodedStruct[] } | undefined
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id
    if (current?.client === client) {
      if (clock !== current.end)
        throw new Error(`client ${client}'s structs jump from clock ${current.end} to ${clock}`)
    } else {
      if (runs.has(client)) throw new Error(`client ${client}'s structs come in two groups`)
      current = { client, start: clock, end: clock, structs: [] }
      runs.set(client, current)
    }
    current.structs.push(struct)
    current.end = clock + struct.length
  }
  return runs
}

/** The clients an update writes beyond what `doc` holds (the rest Yjs skips as known). */
export function clientsBeyondDoc(doc: Y.Doc, runs: ReadonlyMap<number, ClientRun>): number[] {
  const beyond: number[] = []
  for (const run of runs.values()) if (run.end > Y.getState(doc.store, run.client)) beyond.push(run.client)
  return beyond
}

/**
 * `update` without any struct of `clients` (their deletions stay: a delete range over
 * another author's content is judged by the completeness check and the rights, not here).
 */
export function withoutClients(update: Uint8Array, clients: Iterable<number>): Uint8Array {
  const infinite = new Map<number, number>()
  for (const client of clients) infinite.set(client, Number.MAX_SAFE_INTEGER)
  if (infinite.size === 0) return update
  return Y.diffUpdate(update, Y.encodeStateVector(infinite))
}

/** Why an update would leave something pending, and whose clock must move before it can be whole. */
export interface Incompleteness {
  readonly message: string
  /** The client id whose content the doc lacks: only its clock moving can bring it. */
  readonly waitsOn: number
}

/**
 * Why `decoded` would leave something pending in `doc`, or null if Yjs can integrate all of
 * it at once. Per client id [1]:
 * - the first struct beyond what the doc holds starts exactly where the doc's clock is, and
 *   no Skip (a hole) comes before a struct that would then wait behind it;
 * - every new item's origin, right origin and parent (when that is an item) is held by the
 *   doc or comes in this update;
 * - every delete range covers only content the doc holds or this update brings.
 * GC structs count like any other: over held content they are skipped, beyond it they are
 * the sender's own new clocks, which the identity check has already limited to its own ids.
 */
export function findIncompleteness(
  doc: Y.Doc,
  decoded: DecodedUpdate,
  runs = clientRuns(decoded),
): Incompleteness | null {
  /** One past the last clock that the doc holds or this update brings (contiguously). */
  const reach = new Map<number, number>()
  const newItems: Y.Item[] = []
  for (const run of runs.values()) {
    const held = Y.getState(doc.store, run.client)
    let end = held
    let hole = false
    for (const struct of run.structs) {
      const structEnd = struct.id.clock + struct.length
      if (structEnd <= held) continue // [2] held already: Yjs skips it
      if (struct instanceof Y.Skip) {
        hole = true
        continue
      }
      if (hole || struct.id.clock > end) {
        return {
          message: `client ${run.client}: structs from clock ${struct.id.clock} while the server holds up to ${end}`,
          waitsOn: run.client,
        }
      }
      end = structEnd
      if (struct instanceof Y.Item) newItems.push(struct)
    }
    reach.set(run.client, end)
  }
  const reaches = (client: number) => reach.get(client) ?? Y.getState(doc.store, client)
  const lacks = (id: Y.ID | null): id is Y.ID => id !== null && id.clock >= reaches(id.client)
  for (const item of newItems) {
    const parent = item.parent instanceof Y.ID ? item.parent : null
    const missing = [item.origin, item.rightOrigin, parent].find(lacks)
    if (missing) {
      return {
        message: `item ${item.id.client}:${item.id.clock} builds on content the server does not hold`,
        waitsOn: missing.client,
      }
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const limit = reaches(client)
    for (const { clock, len } of ranges) {
      if (clock + len > limit) {
        return {
          message: `deletes ${client}:${clock}+${len}, beyond what the server holds (${limit})`,
          waitsOn: client,
        }
      }
    }
  }
  return null
}

/**
 * Whether the update's delete set removes content the doc holds and still shows. Asked when
 * structs were stripped from an update: a new value under a key deletes the old one, and a
 * delete set does not say which struct caused which deletion, so applying the deletions of
 * a stripped write would delete a record nobody meant to delete.
 */
export function deletesLiveContent(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client)
    if (!structs) continue
    const held = Y.getState(doc.store, client)
    for (const { clock, len } of ranges) {
      const end = Math.min(clock + len, held)
      if (clock >= end) continue
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < end; i++) {
        const struct = structs[i]
        if (struct instanceof Y.Item && !struct.deleted) return true
      }
    }
  }
  return false
}

/** Deleted clocks per client id, as Yjs decodes a delete set: `[clock, clock + len)` each. */
export type DeleteRanges = ReadonlyMap<number, readonly { readonly clock: number; readonly len: number }[]>

/**
 * The deletions of an update that the structs of `clients` (stripped from it) may have
 * caused, so that dropping them leaves only the sender's own deletions [3]:
 * - every deletion of the stripped clients' clocks beyond what `doc` holds (content that is
 *   not applied, so Yjs would park it);
 * - for each stripped item, the struct its `origin` names (a map value it overwrote: Yjs
 *   deletes it itself when the item integrates as the key's newest value), and the value
 *   the key holds in `doc` now, which the item would overwrite too if a concurrent write
 *   had come between them.
 * More than the cause may be named (an origin that is a list neighbour, not an overwritten
 * value); that only keeps a deletion back until the sender is asked again.
 */
export function deletionsOfClients(
  doc: Y.Doc,
  runs: ReadonlyMap<number, ClientRun>,
  clients: Iterable<number>,
): Map<number, { clock: number; len: number }[]> {
  const ranges = new Map<number, { clock: number; len: number }[]>()
  const add = (client: number, clock: number, len: number) => {
    const list = ranges.get(client) ?? []
    list.push({ clock, len })
    ranges.set(client, list)
  }
  const addStruct = (struct: { id: Y.ID; length: number }) => add(struct.id.client, struct.id.clock, struct.length)
  /** Keys (their current item) already named: one write per key is enough. */
  const named = new Set<Y.Item>()
  const addCurrentValue = (type: unknown, key: string | null) => {
    if (!(type instanceof Y.AbstractType) || key === null) return
    const current = type._map.get(key)
    if (!current || current.deleted || named.has(current)) return
    named.add(current)
    addStruct(current)
  }
  for (const client of clients) {
    const held = Y.getState(doc.store, client)
    add(client, held, Number.MAX_SAFE_INTEGER - held)
    for (const struct of runs.get(client)?.structs ?? []) {
      if (!(struct instanceof Y.Item) || struct.id.clock + struct.length <= held) continue
      if (struct.origin !== null) {
        const origin = structAt(doc, runs, struct.origin)
        if (origin) addStruct(origin)
        else add(struct.origin.client, struct.origin.clock, 1)
        if (origin instanceof Y.Item && origin.parentSub !== null) addCurrentValue(origin.parent, origin.parentSub)
      } else if (typeof struct.parent === 'string') {
        // Only a root that exists: `doc.get` would create one.
        addCurrentValue(doc.share.get(struct.parent), struct.parentSub)
      } else if (struct.parent instanceof Y.ID) {
        const parent = structAt(doc, runs, struct.parent)
        if (parent instanceof Y.Item && parent.content instanceof Y.ContentType) {
          addCurrentValue(parent.content.type, struct.parentSub)
        }
      }
    }
  }
  return ranges
}

/** The struct that holds `id`: in `doc` if it holds it, else in the update, else undefined. */
function structAt(doc: Y.Doc, runs: ReadonlyMap<number, ClientRun>, id: Y.ID): DecodedStruct | undefined {
  if (id.clock < Y.getState(doc.store, id.client)) return Y.getItem(doc.store, id)
  return findStruct(runs.get(id.client)?.structs ?? [], id.clock)
}

/** The struct among one client's structs (in clock order) that holds `clock`, by binary search. */
export function findStruct<S extends { id: Y.ID; length: number }>(
  structs: readonly S[],
  clock: number,
): S | undefined {
  let low = 0
  let high = structs.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    const struct = structs[middle]
    if (clock < struct.id.clock) high = middle - 1
    else if (clock >= struct.id.clock + struct.length) low = middle + 1
    else return struct
  }
  return undefined
}

/** `ds` without the clocks of `remove`; ranges keep their order, emptied clients go. */
export function withoutRanges(ds: DeleteRanges, remove: DeleteRanges): Map<number, { clock: number; len: number }[]> {
  const result = new Map<number, { clock: number; len: number }[]>()
  for (const [client, ranges] of ds) {
    const cuts = mergedRanges(remove.get(client) ?? [])
    const kept: { clock: number; len: number }[] = []
    for (const { clock, len } of ranges) {
      let from = clock
      const end = clock + len
      // The first cut that ends after `from`; the cuts are sorted and disjoint.
      let low = 0
      let high = cuts.length
      while (low < high) {
        const middle = (low + high) >> 1
        if (cuts[middle].end <= from) low = middle + 1
        else high = middle
      }
      for (let i = low; i < cuts.length && cuts[i].start < end && from < end; i++) {
        if (cuts[i].start > from) kept.push({ clock: from, len: cuts[i].start - from })
        from = Math.max(from, cuts[i].end)
      }
      if (from < end) kept.push({ clock: from, len: end - from })
    }
    if (kept.length > 0) result.set(client, kept)
  }
  return result
}

function mergedRanges(ranges: readonly { clock: number; len: number }[]): { start: number; end: number }[] {
  const sorted = ranges.map(({ clock, len }) => ({ start: clock, end: clock + len })).sort((a, b) => a.start - b.start)
  const merged: { start: number; end: number }[] = []
  for (const range of sorted) {
    const last = merged.at(-1)
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end)
    else merged.push({ ...range })
  }
  return merged
}

/**
 * A delete set in the v1 update format, byte for byte as Yjs writes it (`writeDeleteSet`,
 * which it does not export): the number of clients, then per client in descending id
 * order its id, its number of ranges, and each range's clock and length, all varuints.
 */
export function encodeDeleteSet(ds: DeleteRanges): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, ds.size)
  for (const [client, ranges] of [...ds].sort((a, b) => b[0] - a[0])) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, ranges.length)
    for (const { clock, len } of ranges) {
      encoding.writeVarUint(encoder, clock)
      encoding.writeVarUint(encoder, len)
    }
  }
  return encoding.toUint8Array(encoder)
}

/**
 * `update` (v1) with its delete set (`current`, if already decoded) replaced by `ds`, its
 * structs untouched; or null when
 * its bytes do not end with its own delete set as `encodeDeleteSet` writes it, so the cut
 * cannot be made safely. `Y.diffUpdate`'s output always does: it writes its delete set so.
 */
export function withDeleteSet(
  update: Uint8Array,
  ds: DeleteRanges,
  current: DeleteRanges = Y.decodeUpdate(update).ds.clients,
): Uint8Array | null {
  const own = encodeDeleteSet(current)
  const cut = update.length - own.length
  if (cut < 0) return null
  for (let i = 0; i < own.length; i++) if (update[cut + i] !== own[i]) return null
  const replaced = encodeDeleteSet(ds)
  const result = new Uint8Array(cut + replaced.length)
  result.set(update.subarray(0, cut))
  result.set(replaced, cut)
  return result
}

// [1] Yjs integrates a client's structs in clock order and parks everything behind the first
//     one it cannot place (`pendingStructs`); a deletion of clocks it does not have yet is
//     parked too (`pendingDs`) and applied to whatever later arrives under those clocks.
// [2] A struct that straddles the doc's clock is sliced by Yjs; its held part is skipped.
// [3] A delete set does not say which struct caused which deletion, but Yjs does: a map
//     item that integrates as its key's newest value deletes its left neighbour itself
//     (`Item.integrate`, "this is the current attribute value of parent. delete right"),
//     and that neighbour is its origin unless a concurrent write sorted in between. So for
//     a struct that is applied the deletion of the value it overwrote is redundant, and for
//     one that is stripped it must not be applied: it would delete the old value while the
//     new one is gone.
