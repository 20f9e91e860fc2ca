/**
 * Whether a connection may make a document change, record by record. The server runs it
 * on every update before applying anything (an update is accepted or refused as a whole);
 * the client runs this very function on each change it is about to make (its side-effect
 * rules and layer panel, `client/src/layers/`), so the rules live here only.
 *
 * How records map to layers:
 * - shape: its `meta.layerId` (none: the root layer). Moving a shape between layers needs
 *   the right to write both. The north star is the facilitator's alone, and nobody deletes it.
 * - binding (an arrow stuck to a shape): the layer of the shape it starts from (`fromId`).
 * - layer: `canWriteLayer` (its place in the tree; locks and board-wide visibility are the
 *   facilitator's). Nobody deletes the root layer.
 * - asset (an image's data) and user (tldraw's attribution: who drew what): anyone who
 *   may draw; they are shared, not layered.
 * - document and page: facilitators only (there is one page; it is the board).
 * - vote-result: written by the server alone (a closed dot-voting round); a facilitator
 *   may delete one.
 *
 * A record's kind is read from its id (`shape:…`, `layer:…`), never from the value's
 * `typeName`: a value that claims another kind than its key is refused, whatever it says.
 * Writability of layers is worked out once per change and layer (`layerRights`), so a
 * change's cost grows with its records plus the layers, not with their product.
 *
 * `meta` keys: each has one owner role (`shared/meta.ts`); whether a value is valid is the
 * gate's check (`refuseMetaValue`), not a right.
 *
 * `recordChange` wraps one record's before and after as a `DocumentChange`: the client
 * asks with it about each change tldraw is about to make to its store, so it never sends
 * what the server would refuse.
 */
import { recordKind, type StoredRecord } from './doc.ts'
import {
  canWriteLayer,
  isLayerId,
  LAYER_TYPE,
  type LayerRecord,
  type Layers,
  layerOfShape,
  MAX_LAYER_DEPTH,
  ROOT_LAYER_ID,
  type WriteScope,
} from './layers.ts'
import { metaKeySpec } from './meta.ts'
import { canWriteDocument } from './roles.ts'
import { NORTH_STAR_ID, NORTH_STAR_TYPE, VOTE_RESULT_TYPE } from './schema/index.ts'

export type RightsVerdict = { ok: true } | { ok: false; recordId: string; reason: string }

export interface DocumentChange {
  /** A record's value before the change (undefined: it did not exist). */
  before(id: string): StoredRecord | undefined
  /** Every layer before the change (the server keeps them at hand; see `Room`). */
  layers: Layers
  /** Records written, as they will be. */
  written: ReadonlyMap<string, StoredRecord>
  /** Every value written under an id (null: an already deleted one), when an update may
   * carry several (see `inspectUpdate`); each must be allowed. Default: `written`. */
  values?: ReadonlyMap<string, readonly (StoredRecord | null)[]>
  /** Ids whose current value is deleted (a write also deletes the old value). */
  deleted: ReadonlySet<string>
  /** Keys of the `meta` map written or deleted. */
  metaKeys?: ReadonlySet<string>
}

/** Checks every record a change touches; the first refusal refuses the whole change. */
export function checkChange(scope: WriteScope, change: DocumentChange): RightsVerdict {
  if (!canWriteDocument(scope.role)) return { ok: false, recordId: '', reason: 'read-only link' }
  for (const key of change.metaKeys ?? []) {
    // A key nobody owns is the facilitator's to be refused as invalid (the gate's check).
    const owner = metaKeySpec(key)?.owner ?? 'facilitator'
    if (scope.role !== owner)
      return { ok: false, recordId: `meta:${key}`, reason: `only a ${owner} sets board settings` }
  }
  const after = (id: string): StoredRecord | undefined =>
    change.written.get(id) ?? (change.deleted.has(id) ? undefined : change.before(id))
  const layersBefore = change.layers
  const layersAfter = applyToLayers(change.layers, change.written, change.deleted)
  const ids = new Set([...change.written.keys(), ...change.deleted])
  const writableBefore = layerRights(layersBefore, scope)
  const writableAfter = layersAfter === layersBefore ? writableBefore : layerRights(layersAfter, scope)
  const context: Context = { layersBefore, layersAfter, before: change.before, after, writableBefore, writableAfter }
  for (const id of ids) {
    const before = change.before(id)
    const candidates = change.values?.get(id) ?? [after(id) ?? null]
    for (const candidate of candidates) {
      // A value made and deleted before it ever reached this document (offline edits
      // merged into one sync step): nothing to check.
      if (!before && !candidate) continue
      const reason = refusal(scope, id, before, candidate ?? undefined, context)
      if (reason) return { ok: false, recordId: id, reason }
    }
  }
  return { ok: true }
}

/**
 * One record's pending change as a `DocumentChange`: `before` → `after` (undefined: it is
 * being created, or deleted). `lookup` reads every other record (a binding's `fromId`
 * shape); `layers` are the layers before the change. A layer being created may already be
 * among them (tldraw's after-create handlers see it in the store); that changes no verdict,
 * because only `before` values are checked against the layers before.
 */
export function recordChange(
  before: StoredRecord | undefined,
  after: StoredRecord | undefined,
  lookup: (id: string) => StoredRecord | undefined,
  layers: Layers,
): DocumentChange {
  const id = (after ?? before)?.id
  return {
    before: (other) => (other === id ? before : lookup(other)),
    layers,
    written: after && id ? new Map([[id, after]]) : new Map(),
    deleted: before && id ? new Set([id]) : new Set(),
  }
}

interface Context {
  layersBefore: Layers
  layersAfter: Layers
  before(id: string): StoredRecord | undefined
  after(id: string): StoredRecord | undefined
  /** `canWriteInLayer` for the layers before and after, worked out once per layer. */
  writableBefore(layerId: string): boolean
  writableAfter(layerId: string): boolean
}

function refusal(
  scope: WriteScope,
  id: string,
  before: StoredRecord | undefined,
  after: StoredRecord | undefined,
  context: Context,
): string | null {
  // [1] The kind is the key's; a value claiming another kind or id is no record of it.
  const kind = recordKind(id)
  if (after && (after.id !== id || after.typeName !== kind)) return `a ${after.typeName} value under ${id}`
  switch (kind) {
    case 'shape': {
      if (before && isNorthStar(before) && !after) return 'the north star cannot be deleted'
      if ((before && isNorthStar(before)) || (after && isNorthStar(after))) {
        if (after && after.id !== NORTH_STAR_ID) return 'there is only one north star'
        return scope.role === 'facilitator' ? null : 'only a facilitator edits the north star'
      }
      if (before && !context.writableBefore(layerOfShape(before))) return 'layer not writable'
      if (after && !context.writableAfter(layerOfShape(after))) return 'layer not writable'
      return null
    }
    case 'binding': {
      const layerOf = (binding: StoredRecord, lookup: (id: string) => StoredRecord | undefined) => {
        const from = lookup(String(binding.fromId))
        return from ? layerOfShape(from) : ROOT_LAYER_ID
      }
      if (before && !context.writableBefore(layerOf(before, context.before))) return 'layer not writable'
      if (after && !context.writableAfter(layerOf(after, context.after))) return 'layer not writable'
      return null
    }
    case LAYER_TYPE: {
      if (before?.id === ROOT_LAYER_ID && !after) return 'the root layer cannot be deleted'
      // [2] Nobody but a facilitator nests layers deeper than the panel lets anyone.
      if (
        scope.role !== 'facilitator' &&
        after &&
        tooDeep(context.layersAfter, id) &&
        !(before && tooDeep(context.layersBefore, id))
      ) {
        return `layers nest at most ${MAX_LAYER_DEPTH} deep`
      }
      const ok = canWriteLayer(
        context.layersAfter,
        scope,
        before as LayerRecord | undefined,
        after as LayerRecord | undefined,
        context.writableAfter,
      )
      return ok ? null : 'layer not writable'
    }
    case VOTE_RESULT_TYPE:
      // Written by the server alone when a round closes; a facilitator may clear one away.
      if (after) return 'only the server writes vote results'
      return scope.role === 'facilitator' ? null : 'only a facilitator removes a vote result'
    case 'asset':
    case 'user': // tldraw's attribution: each person's name and colour, written by their own browser
      return null
    default:
      // document, page, and any kind a future tldraw adds: facilitators only.
      return scope.role === 'facilitator' ? null : `only a facilitator changes ${kind} records`
  }
}

// [1] The schema check (the gate's) refuses such a value as invalid before rights are
//     asked; this keeps the rule true for any caller, and the verdict never depends on
//     what a value says about itself.

// [2] `addLayer` and `moveLayer` keep to `MAX_LAYER_DEPTH`, so an honest participant never
//     writes deeper; a layer already that deep (two concurrent moves) may still be edited.

/** Whether `id` lies more than `MAX_LAYER_DEPTH` below the root, or on a cycle: a bounded walk. */
function tooDeep(layers: Layers, id: string): boolean {
  let at = layers.get(id)
  for (let depth = 0; at; depth++) {
    if (at.parentId === null) return false
    if (depth >= MAX_LAYER_DEPTH) return true
    at = layers.get(at.parentId)
  }
  return false // a missing parent: the layer's rights refuse it
}

/** Whether a shape record (its kind checked by the caller) is, or claims to be, the north star. */
function isNorthStar(record: StoredRecord): boolean {
  return record.id === NORTH_STAR_ID || record.type === NORTH_STAR_TYPE
}

/**
 * `canWriteInLayer(layers, scope, id)` for every layer id, each layer worked out once:
 * whether it or a layer above it is locked, and whether the scope's layer is it or above
 * it, are remembered per layer on the way up. A change of many records in a deep or wide
 * tree then costs one walk per layer instead of one per record. Same answers as
 * `canWriteInLayer`, cycles (two concurrent moves can make one) included: there, every
 * member has the whole cycle above it, as `ancestorsOf` sees it.
 */
export function layerRights(layers: Layers, scope: WriteScope): (layerId: string) => boolean {
  if (scope.role === 'facilitator') return () => true
  if (scope.role !== 'participant') return () => false
  /** Per layer: no lock at or above it. */
  const free = new Map<string, boolean>()
  /** Per layer: the scope's layer at or above it. */
  const under = new Map<string, boolean>()
  const resolve = (start: string) => {
    const path: LayerRecord[] = []
    const index = new Map<string, number>()
    let id: string | null = start
    let topFree = true
    let topUnder = false
    while (id !== null) {
      const knownFree = free.get(id)
      if (knownFree !== undefined) {
        topFree = knownFree
        topUnder = under.get(id) === true
        break
      }
      const layer = layers.get(id)
      if (!layer) break // a missing parent ends the chain, as in `ancestorsOf`
      const at = index.get(id)
      if (at !== undefined) {
        const cycle = path.slice(at)
        topFree = cycle.every((member) => !member.locked)
        topUnder = cycle.some((member) => member.id === scope.layerId)
        for (const member of cycle) {
          free.set(member.id, topFree)
          under.set(member.id, topUnder)
        }
        path.length = at
        break
      }
      index.set(id, path.length)
      path.push(layer)
      id = layer.parentId
    }
    for (let i = path.length - 1; i >= 0; i--) {
      topFree = topFree && !path[i].locked
      topUnder = topUnder || path[i].id === scope.layerId
      free.set(path[i].id, topFree)
      under.set(path[i].id, topUnder)
    }
  }
  return (layerId) => {
    if (!layers.has(layerId)) return false
    if (!free.has(layerId)) resolve(layerId)
    return free.get(layerId) === true && (scope.layerId === null || under.get(layerId) === true)
  }
}

/** The layers after a change: the same map when the change touches no layer. */
export function applyToLayers(
  layers: Layers,
  written: ReadonlyMap<string, StoredRecord>,
  deleted: ReadonlySet<string>,
): Layers {
  const isLayer = isLayerId
  if (![...written.keys()].some(isLayer) && ![...deleted].some(isLayer)) return layers
  const next = new Map(layers)
  for (const id of deleted) if (isLayer(id)) next.delete(id)
  for (const [id, record] of written) if (isLayer(id)) next.set(id, record as unknown as LayerRecord)
  return next
}
