/**
 * The layer tree of a board, and who may write what in it. Pure functions over plain
 * records: no React, no Yjs, no sockets — the client's panel and the server's rights
 * check both call these.
 *
 * A board is one giant drawing on one tldraw page. Layers give it structure: the root
 * layer "Missie & strategie" holds the north star and the strategy; each department's
 * development path is a child layer, each team's a grandchild, and so on. Every shape
 * names its layer in `meta.layerId` (a shape without one belongs to the root).
 *
 * Layers are tldraw records of their own (`typeName: 'layer'`, id `layer:…`), stored in
 * the document like shapes, so they sync, persist and undo like everything else.
 */
import type { Role } from './roles.ts'

export const LAYER_TYPE = 'layer'
export const ROOT_LAYER_ID = 'layer:root'
/** Deep enough for mission › department › team › sub-team › working group, and no deeper. */
export const MAX_LAYER_DEPTH = 6
export const MAX_LAYER_NAME_LENGTH = 80

/** Layer colours: tldraw's palette names, so a layer's colour matches its shapes. */
export const LAYER_COLORS = [
  'blue',
  'green',
  'orange',
  'violet',
  'red',
  'light-blue',
  'light-green',
  'yellow',
  'light-violet',
  'light-red',
  'grey',
  'black',
] as const
export type LayerColor = (typeof LAYER_COLORS)[number]

export interface LayerRecord {
  id: string
  typeName: typeof LAYER_TYPE
  name: string
  /** The parent layer's id; null only for the root. */
  parentId: string | null
  color: LayerColor
  description: string
  owner: string
  /** Order among siblings, ascending. */
  index: number
  /** Shown on the board for everyone (set by a facilitator). */
  visible: boolean
  /** Locked layers (and all below them) are writable only by facilitators. */
  locked: boolean
  meta: Record<string, unknown>
}

export type Layers = ReadonlyMap<string, LayerRecord>

export function isLayerId(id: unknown): id is string {
  return typeof id === 'string' && id.startsWith(`${LAYER_TYPE}:`) && id.length > LAYER_TYPE.length + 1
}

/**
 * A readable, URL-friendly layer id made from its name: `layer:sociaal-domein-k3x9`. The
 * `suffix` (a few random characters from the caller's source of randomness) keeps two layers
 * of the same name apart.
 */
export function layerIdFromName(name: string, suffix: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
  return `${LAYER_TYPE}:${slug ? `${slug}-` : ''}${suffix}`
}

/** The layer a shape (or any record with `meta.layerId`) belongs to. */
export function layerOfShape(shape: object): string {
  const layerId = ((shape as { meta?: unknown }).meta as { layerId?: unknown } | undefined)?.layerId
  return isLayerId(layerId) ? layerId : ROOT_LAYER_ID
}

export function createRootLayer(name = 'Missie & strategie'): LayerRecord {
  return {
    id: ROOT_LAYER_ID,
    typeName: LAYER_TYPE,
    name,
    parentId: null,
    color: 'blue',
    description: '',
    owner: '',
    index: 0,
    visible: true,
    locked: false,
    meta: {},
  }
}

/** Children of a layer, in order. */
export function childrenOf(layers: Layers, parentId: string): LayerRecord[] {
  return [...layers.values()]
    .filter((layer) => layer.parentId === parentId)
    .sort((a, b) => a.index - b.index || a.id.localeCompare(b.id))
}

/** The layer's ancestors, root first, without the layer itself. Stops at a cycle. */
export function ancestorsOf(layers: Layers, id: string): LayerRecord[] {
  const chain: LayerRecord[] = []
  const seen = new Set([id])
  let parentId = layers.get(id)?.parentId ?? null
  while (parentId !== null && !seen.has(parentId)) {
    const parent = layers.get(parentId)
    if (!parent) break
    chain.unshift(parent)
    seen.add(parentId)
    parentId = parent.parentId
  }
  return chain
}

/** The layer and everything below it. */
export function subtreeOf(layers: Layers, id: string): Set<string> {
  const ids = new Set<string>()
  const visit = (layerId: string) => {
    if (ids.has(layerId) || !layers.has(layerId)) return
    ids.add(layerId)
    for (const child of childrenOf(layers, layerId)) visit(child.id)
  }
  visit(id)
  return ids
}

/** 0 for the root, 1 for a department, 2 for a team… */
export function depthOf(layers: Layers, id: string): number {
  return ancestorsOf(layers, id).length
}

/** Every layer depth-first, the root first, each with its depth. */
export function flattenLayers(layers: Layers): { layer: LayerRecord; depth: number }[] {
  const out: { layer: LayerRecord; depth: number }[] = []
  const visit = (layer: LayerRecord, depth: number) => {
    out.push({ layer, depth })
    for (const child of childrenOf(layers, layer.id)) visit(child, depth + 1)
  }
  const root = layers.get(ROOT_LAYER_ID)
  if (root) visit(root, 0)
  return out
}

/** Whether the layer or one of its ancestors is locked. */
export function isLockedWithin(layers: Layers, id: string): boolean {
  return [...ancestorsOf(layers, id), layers.get(id)].some((layer) => layer?.locked === true)
}

// --- Changes to the tree. Each returns the records to put and ids to remove, or an error.

export type LayerChange =
  | { ok: true; put: LayerRecord[]; remove: string[] }
  | { ok: false; code: LayerErrorCode; message: string }

export type LayerErrorCode = 'not_found' | 'root' | 'cycle' | 'too_deep' | 'bad_name'

const fail = (code: LayerErrorCode, message: string): LayerChange => ({ ok: false, code, message })

function checkName(name: string): string | null {
  const trimmed = name.trim()
  return trimmed.length === 0 || trimmed.length > MAX_LAYER_NAME_LENGTH ? null : trimmed
}

/** Index after the last child, so a new layer goes to the bottom of its parent. */
function nextIndex(layers: Layers, parentId: string): number {
  const siblings = childrenOf(layers, parentId)
  return siblings.length === 0 ? 1 : (siblings.at(-1)?.index ?? 0) + 1
}

/**
 * A new layer's colour: the first of `LAYER_COLORS` that neither its parent nor a sibling
 * has, so a department never shares the colour of the mission above it or of another
 * department in the legend; once all are taken, they go round again.
 */
function nextColor(layers: Layers, parentId: string): LayerColor {
  const siblings = childrenOf(layers, parentId)
  const taken = new Set([layers.get(parentId)?.color, ...siblings.map((layer) => layer.color)])
  return LAYER_COLORS.find((color) => !taken.has(color)) ?? LAYER_COLORS[siblings.length % LAYER_COLORS.length]
}

export function addLayer(
  layers: Layers,
  fields: { id: string; name: string; parentId: string; color?: LayerColor; description?: string; owner?: string },
): LayerChange {
  if (!layers.has(fields.parentId)) return fail('not_found', 'The parent layer does not exist.')
  if (!isLayerId(fields.id) || layers.has(fields.id)) return fail('not_found', 'Bad or existing layer id.')
  if (depthOf(layers, fields.parentId) + 1 > MAX_LAYER_DEPTH) {
    return fail('too_deep', `Layers nest at most ${MAX_LAYER_DEPTH} deep.`)
  }
  const name = checkName(fields.name)
  if (!name) return fail('bad_name', `A layer name is 1–${MAX_LAYER_NAME_LENGTH} characters.`)
  const layer: LayerRecord = {
    id: fields.id,
    typeName: LAYER_TYPE,
    name,
    parentId: fields.parentId,
    color: fields.color ?? nextColor(layers, fields.parentId),
    description: fields.description ?? '',
    owner: fields.owner ?? '',
    index: nextIndex(layers, fields.parentId),
    visible: true,
    locked: false,
    meta: {},
  }
  return { ok: true, put: [layer], remove: [] }
}

/** Changes name, colour, description, owner, visibility or lock. */
export function updateLayer(
  layers: Layers,
  id: string,
  fields: Partial<Pick<LayerRecord, 'name' | 'color' | 'description' | 'owner' | 'visible' | 'locked'>>,
): LayerChange {
  const layer = layers.get(id)
  if (!layer) return fail('not_found', 'No such layer.')
  let name = layer.name
  if (fields.name !== undefined) {
    const checked = checkName(fields.name)
    if (!checked) return fail('bad_name', `A layer name is 1–${MAX_LAYER_NAME_LENGTH} characters.`)
    name = checked
  }
  return { ok: true, put: [{ ...layer, ...fields, name }], remove: [] }
}

/**
 * Moves a layer under `parentId`, before the sibling `beforeId` (or last). Reordering is
 * a move within the same parent. Refuses moving the root, moving a layer into its own
 * subtree (a cycle), and nesting deeper than `MAX_LAYER_DEPTH`.
 */
export function moveLayer(layers: Layers, id: string, parentId: string, beforeId: string | null = null): LayerChange {
  const layer = layers.get(id)
  if (!layer || !layers.has(parentId)) return fail('not_found', 'No such layer.')
  if (id === ROOT_LAYER_ID) return fail('root', 'The root layer stays at the top.')
  const subtree = subtreeOf(layers, id)
  if (subtree.has(parentId)) return fail('cycle', 'A layer cannot go inside itself.')
  const subtreeHeight = Math.max(...[...subtree].map((sub) => depthOf(layers, sub) - depthOf(layers, id)))
  if (depthOf(layers, parentId) + 1 + subtreeHeight > MAX_LAYER_DEPTH) {
    return fail('too_deep', `Layers nest at most ${MAX_LAYER_DEPTH} deep.`)
  }
  const siblings = childrenOf(layers, parentId).filter((sibling) => sibling.id !== id)
  const at = beforeId === null ? siblings.length : siblings.findIndex((sibling) => sibling.id === beforeId)
  if (at === -1) return fail('not_found', 'No such sibling layer.')
  const before = siblings[at - 1]?.index
  const after = siblings[at]?.index
  const index =
    before === undefined
      ? after === undefined
        ? 1
        : after - 1
      : after === undefined
        ? before + 1
        : (before + after) / 2
  return { ok: true, put: [{ ...layer, parentId, index }], remove: [] }
}

/** Deletes a layer with everything below it; `shapeIds` are the shapes to delete with them. */
export function deleteLayer(
  layers: Layers,
  id: string,
  shapes: Iterable<{ id: string }>,
): LayerChange & { shapeIds?: string[] } {
  if (!layers.has(id)) return fail('not_found', 'No such layer.')
  if (id === ROOT_LAYER_ID) return fail('root', 'The root layer cannot be deleted.')
  const doomed = subtreeOf(layers, id)
  const shapeIds = [...shapes].filter((shape) => doomed.has(layerOfShape(shape))).map((shape) => shape.id)
  return { ok: true, put: [], remove: [...doomed], shapeIds }
}

// --- Rights.

/** What a connection may write: its role, and for a scoped participant link, its layer. */
export interface WriteScope {
  role: Role
  /** A participant link scoped to a layer may write that layer and its sub-layers only. */
  layerId: string | null
}

/** May `scope` create, change or delete content (shapes) in `layerId`? */
export function canWriteInLayer(layers: Layers, scope: WriteScope, layerId: string): boolean {
  if (scope.role === 'facilitator') return true
  if (scope.role !== 'participant') return false
  if (!layers.has(layerId) || isLockedWithin(layers, layerId)) return false
  return scope.layerId === null || subtreeOf(layers, scope.layerId).has(layerId)
}

/**
 * May `scope` turn layer `before` into `after` (either undefined: create or delete)?
 * Facilitators may do anything. A participant may add, rename, recolour and reorder layers
 * strictly inside what it may write (never the root or its own scope layer itself), and
 * never change a layer's lock or board-wide visibility. `canWriteIn` answers
 * `canWriteInLayer` for `layers` (the server passes one that remembers its answers).
 */
export function canWriteLayer(
  layers: Layers,
  scope: WriteScope,
  before: LayerRecord | undefined,
  after: LayerRecord | undefined,
  canWriteIn: (layerId: string) => boolean = (layerId) => canWriteInLayer(layers, scope, layerId),
): boolean {
  if (scope.role === 'facilitator') return true
  if (scope.role !== 'participant') return false
  const insideScope = (layer: LayerRecord) =>
    layer.id !== ROOT_LAYER_ID && layer.id !== scope.layerId && layer.parentId !== null && canWriteIn(layer.parentId)
  if (before && !(insideScope(before) && canWriteIn(before.id))) return false
  if (after && !insideScope(after)) return false
  if (before && after && (before.locked !== after.locked || before.visible !== after.visible)) return false
  if (!before && after && (after.locked || !after.visible)) return false
  return true
}
