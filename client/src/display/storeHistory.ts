/**
 * A short store history for the wall display, so that months of remote updates do not keep
 * the records they replaced.
 *
 * tldraw's store remembers the diff of each of its last 1,000 changes [1], and each
 * record type's history the last 100 [2]. A diff holds every changed record as it was and
 * as it is now, and tldraw caches a shape's geometry per record object [3]. So on a display
 * the records every remote batch replaced stayed reachable, with their geometry, until
 * 1,000 changes later: with 30 people dragging, its heap went from 12.6 to 24.1 MiB over
 * 100,000 updates (docs/BENCHMARKS.md, "The wall display's heap").
 *
 * The diffs are there only so that a derivation (a query, the shapes on the page) can catch
 * up with the changes since it last ran instead of recomputing from all records. On the
 * display every derivation in use runs each frame or at each change, a change or two
 * behind; one that falls further behind than the history reaches recomputes from the
 * records, as it would in tldraw after 1,000 changes. So a few dozen diffs are enough.
 *
 * tldraw has no option for these lengths, so this replaces the signals' history buffers
 * (`historyBuffer`, @tldraw/state Atom.ts and Computed.ts) with shorter ones, made by
 * tldraw's own `atom` so that they are its `HistoryBuffer`.
 *
 * [1] `Store.history`: `atom('history', 0, { historyLength: 1000 })`, @tldraw/store
 *     src/lib/Store.ts.
 * [2] `StoreQueries.filterHistory(typeName)`: `computed(…, { historyLength: 100 })`,
 *     @tldraw/store src/lib/StoreQueries.ts. The ids and index queries keep ids only.
 * [3] `WeakCache<TLGeoShape, PathBuilder>` in tldraw src/lib/shapes/geo/getGeoShapePath.ts,
 *     label sizes per shape in GeoShapeUtil.tsx, line paths in LineShapeUtil.tsx.
 */
import { atom, type TLStore } from 'tldraw'

/** Store changes whose diffs are kept (tldraw: 1,000). */
export const STORE_HISTORY_LENGTH = 50
/** Changes of one record type whose diffs are kept (tldraw: 100). */
export const TYPE_HISTORY_LENGTH = 20

/** The one field of tldraw's signals this touches. */
interface WithHistory {
  historyBuffer?: unknown
}

/** A `HistoryBuffer` of `length` diffs, as tldraw makes them. */
function historyBuffer(length: number): unknown {
  return (atom('stip short history', 0, { historyLength: length }) as unknown as WithHistory).historyBuffer
}

function shorten(signal: unknown, length: number): boolean {
  const target = signal as WithHistory
  if (!target.historyBuffer) return false
  target.historyBuffer = historyBuffer(length)
  return true
}

/**
 * Shortens `store`'s history and every record type's to the lengths above. Call it once,
 * right after creating the store. Returns false (and warns) if this tldraw keeps its history
 * some other way, so that an upgrade that moves it shows up in the tests.
 */
export function shortenStoreHistory(store: TLStore): boolean {
  let shortened = shorten(store.history, STORE_HISTORY_LENGTH)
  for (const typeName of Object.keys(store.schema.types)) {
    shortened = shorten(store.query.filterHistory(typeName as never), TYPE_HISTORY_LENGTH) && shortened
  }
  if (!shortened) console.warn('[stip] tldraw keeps its store history differently now; the display keeps it whole')
  return shortened
}
