/**
 * What an export holds: the shapes of the board, of one layer with its sub-layers, or of
 * the selection — only those this person sees (a layer hidden with the eye, or a draft
 * layer, is not exported) — and the words around them: the mission, a line with the
 * board's name and the date, and a legend of the layers in it with their colours.
 *
 * Everyone who can see the board may export what they see; what they see is already the
 * server's decision (a display never gets the chrome that exports).
 */
import type { Box, Editor, TLShapeId } from 'tldraw'
import { flattenLayers, type Layers, layerOfShape, ROOT_LAYER_ID, subtreeOf } from '../../../shared/layers.ts'
import { NORTH_STAR_ID, type NorthStarShape } from '../../../shared/schema/index.ts'
import { richTextToPlain } from '../display/richText.ts'
import type { Language } from '../i18n.ts'
import { LAYER_COLOR_CSS } from '../layers/colors.ts'
import type { LegendEntry } from './layout.ts'

/** Why an export could not be made; the dialog names each in plain words (`export.error.*`). */
export type ExportErrorCode = 'empty' | 'render_failed'

export class ExportError extends Error {
  constructor(readonly code: ExportErrorCode) {
    super(`export failed: ${code}`)
    this.name = 'ExportError'
  }
}

export type ExportScope = { kind: 'board' } | { kind: 'layer'; layerId: string } | { kind: 'selection' }

/** Everything a builder (PNG, SVG, PDF) needs, read once from the editor. */
export interface ExportContent {
  shapeIds: TLShapeId[]
  /** The drawing's area in page units, with a little room around it; null when there is nothing. */
  bounds: Box | null
  mission: string
  /** Board name, date, and what part of the board this is. */
  subline: string
  legend: LegendEntry[]
}

export interface ExportContext {
  layers: Layers
  /** The layers this person sees now (`LayerView.$shown`); null: all. */
  shown: ReadonlySet<string> | null
  boardName: string
  language: Language
  /** Words for the subline: "Laag: {name}", "Selectie". */
  words: { layer: (name: string) => string; selection: string }
  /** For tests and the archive: the date to print (default now). */
  date?: Date
}

/** Room around the drawing, in page units, so strokes at the edge are not cut. */
const PADDING = 32

export function collectExport(editor: Editor, scope: ExportScope, context: ExportContext): ExportContent {
  const { layers, shown } = context
  const layerOf = (shape: object) => {
    const id = layerOfShape(shape)
    return layers.has(id) ? id : ROOT_LAYER_ID
  }
  const inLayers = scope.kind === 'layer' && layers.has(scope.layerId) ? subtreeOf(layers, scope.layerId) : null

  // Top-level shapes only: a group brings its children along in tldraw's export.
  const candidates =
    scope.kind === 'selection'
      ? editor.getSelectedShapeIds()
      : editor.getSortedChildIdsForParent(editor.getCurrentPageId())
  const shapeIds = candidates.filter((id) => {
    const shape = editor.getShape(id)
    if (!shape || editor.isShapeHidden(shape)) return false
    return inLayers ? inLayers.has(layerOf(shape)) : true
  })

  let bounds: Box | null = null
  for (const id of shapeIds) {
    const shapeBounds = editor.getShapeMaskedPageBounds(id)
    if (!shapeBounds) continue
    bounds = bounds ? bounds.union(shapeBounds) : shapeBounds.clone()
  }
  bounds?.expandBy(PADDING)

  // The legend: the layers this export shows, in the layer panel's order.
  const usedLayers = new Set(shapeIds.map((id) => layerOf(editor.getShape(id) as object)))
  const legend: LegendEntry[] = flattenLayers(layers)
    .filter(({ layer }) => {
      if (shown && !shown.has(layer.id)) return false
      if (inLayers) return inLayers.has(layer.id)
      if (scope.kind === 'selection') return usedLayers.has(layer.id)
      return true
    })
    .map(({ layer, depth }) => ({ name: layer.name, color: LAYER_COLOR_CSS[layer.color], depth }))

  const northStar = editor.getShape<NorthStarShape>(NORTH_STAR_ID)
  const mission = richTextToPlain(northStar?.props.mission)
  const date = new Intl.DateTimeFormat(context.language === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long' }).format(
    context.date ?? new Date(),
  )
  const part =
    scope.kind === 'layer' && layers.has(scope.layerId)
      ? context.words.layer(layers.get(scope.layerId)?.name ?? '')
      : scope.kind === 'selection'
        ? context.words.selection
        : null
  const subline = [context.boardName, date, part].filter(Boolean).join(' · ')
  return { shapeIds, bounds, mission, subline, legend }
}

/** A file name for the export: the board's name, the date and e.g. the paper, safe on every system. */
export function exportFileName(boardName: string, extension: string, date = new Date(), suffix = ''): string {
  const slug =
    boardName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'stip'
  return `${slug}-${date.toISOString().slice(0, 10)}${suffix ? `-${suffix}` : ''}.${extension}`
}
