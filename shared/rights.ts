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
 *
 * `recordChange` wraps one record's before and after as a `DocumentChange`: the client
 * asks with it about each change tldraw is about to make to its store, so it never sends
 * what the server would refuse.
 */
import { META_SCHEMA_KEY, type StoredRecord } from './doc.ts'
import {
  canWriteInLayer,
  canWriteLayer,
  LAYER_TYPE,
  type LayerRecord,
  type Layers,
  layerOfShape,
  ROOT_LAYER_ID,
  type WriteScope,
} from './layers.ts'
import { canWriteDocument } from './roles.ts'
import { NORTH_STAR_ID, NORTH_STAR_TYPE } from './schema/index.ts'

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

/** `meta` keys every writer may set: clients record the schema they migrated the board to. */
const SHARED_META_KEYS: readonly string[] = [META_SCHEMA_KEY]

/** Checks every record a change touches; the first refusal refuses the whole change. */
export function checkChange(scope: WriteScope, change: DocumentChange): RightsVerdict {
  if (!canWriteDocument(scope.role)) return { ok: false, recordId: '', reason: 'read-only link' }
  for (const key of change.metaKeys ?? []) {
    if (scope.role !== 'facilitator' && !SHARED_META_KEYS.includes(key)) {
      return { ok: false, recordId: `meta:${key}`, reason: 'only a facilitator sets board settings' }
    }
  }
  const after = (id: string): StoredRecord | undefined =>
    change.written.get(id) ?? (change.deleted.has(id) ? undefined : change.before(id))
  const layersBefore = change.layers
  const layersAfter = applyToLayers(change.layers, change.written, change.deleted)
  const ids = new Set([...change.written.keys(), ...change.deleted])
  const context = { layersBefore, layersAfter, before: change.before, after }
  for (const id of ids) {
    const before = change.before(id)
    const candidates = change.values?.get(id) ?? [after(id) ?? null]
    for (const candidate of candidates) {
      // A value made and deleted before it ever reached this document (offline edits
      // merged into one sync step): nothing to check.
      if (!before && !candidate) continue
      const reason = refusal(scope, before, candidate ?? undefined, context)
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
}

function refusal(
  scope: WriteScope,
  before: StoredRecord | undefined,
  after: StoredRecord | undefined,
  context: Context,
): string | null {
  const typeName = (after ?? before)?.typeName
  switch (typeName) {
    case 'shape': {
      if (before && isNorthStar(before) && !after) return 'the north star cannot be deleted'
      if ((before && isNorthStar(before)) || (after && isNorthStar(after))) {
        if (after && after.id !== NORTH_STAR_ID) return 'there is only one north star'
        return scope.role === 'facilitator' ? null : 'only a facilitator edits the north star'
      }
      if (before && !canWriteInLayer(context.layersBefore, scope, layerOfShape(before))) return 'layer not writable'
      if (after && !canWriteInLayer(context.layersAfter, scope, layerOfShape(after))) return 'layer not writable'
      return null
    }
    case 'binding': {
      const layerOf = (binding: StoredRecord, lookup: (id: string) => StoredRecord | undefined) => {
        const from = lookup(String(binding.fromId))
        return from ? layerOfShape(from) : ROOT_LAYER_ID
      }
      if (before && !canWriteInLayer(context.layersBefore, scope, layerOf(before, context.before))) {
        return 'layer not writable'
      }
      if (after && !canWriteInLayer(context.layersAfter, scope, layerOf(after, context.after))) {
        return 'layer not writable'
      }
      return null
    }
    case LAYER_TYPE: {
      if (before?.id === ROOT_LAYER_ID && !after) return 'the root layer cannot be deleted'
      const ok = canWriteLayer(
        context.layersAfter,
        scope,
        before as LayerRecord | undefined,
        after as LayerRecord | undefined,
      )
      return ok ? null : 'layer not writable'
    }
    case 'asset':
    case 'user': // tldraw's attribution: each person's name and colour, written by their own browser
      return null
    default:
      // document, page, and any type a future tldraw adds: facilitators only.
      return scope.role === 'facilitator' ? null : `only a facilitator changes ${typeName} records`
  }
}

function isNorthStar(record: StoredRecord): boolean {
  return record.id === NORTH_STAR_ID || record.type === NORTH_STAR_TYPE
}

/** The layers after a change: the same map when the change touches no layer. */
export function applyToLayers(
  layers: Layers,
  written: ReadonlyMap<string, StoredRecord>,
  deleted: ReadonlySet<string>,
): Layers {
  const isLayer = (id: string) => id.startsWith(`${LAYER_TYPE}:`)
  if (![...written.keys()].some(isLayer) && ![...deleted].some(isLayer)) return layers
  const next = new Map(layers)
  for (const id of deleted) if (isLayer(id)) next.delete(id)
  for (const [id, record] of written) if (isLayer(id)) next.set(id, record as unknown as LayerRecord)
  return next
}
