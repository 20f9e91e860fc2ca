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
export function findIncompleteness(doc: Y.Doc, decoded: DecodedUpdate, runs = clientRuns(decoded)): string | null {
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
        return `client ${run.client}: structs from clock ${struct.id.clock} while the server holds up to ${end}`
      }
      end = structEnd
      if (struct instanceof Y.Item) newItems.push(struct)
    }
    reach.set(run.client, end)
  }
  const reaches = (client: number) => reach.get(client) ?? Y.getState(doc.store, client)
  const has = (id: Y.ID | null) => id === null || id.clock < reaches(id.client)
  for (const item of newItems) {
    const parent = item.parent instanceof Y.ID ? item.parent : null
    if (!has(item.origin) || !has(item.rightOrigin) || !has(parent)) {
      return `item ${item.id.client}:${item.id.clock} builds on content the server does not hold`
    }
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const limit = reaches(client)
    for (const { clock, len } of ranges) {
      if (clock + len > limit) {
        return `deletes ${client}:${clock}+${len}, beyond what the server holds (${limit})`
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

// [1] Yjs integrates a client's structs in clock order and parks everything behind the first
//     one it cannot place (`pendingStructs`); a deletion of clocks it does not have yet is
//     parked too (`pendingDs`) and applied to whatever later arrives under those clocks.
// [2] A struct that straddles the doc's clock is sliced by Yjs; its held part is skipped.
