/**
 * The records of one arrow of a development path, as a client drawing it stores them: the
 * arrow shape from one shape's centre to another's, and its two arrow bindings (start and
 * end). The server's template and the tests that draw paths over sync build their arrows
 * here, so they store exactly what tldraw would and `readPaths` reads them like any other.
 */
import { type TLRecord, toRichText } from '@tldraw/tlschema'
import type { LayerColor } from './layers.ts'
import { PAGE_ID, stipSchema } from './schema/index.ts'

export interface ArrowEnd {
  /** The shape the arrow is bound to at this end. */
  id: string
  /** Where it points in page space (the shape's centre); tldraw redraws it from the binding. */
  x: number
  y: number
}

export interface BoundArrow {
  arrowId: string
  /** Ids of the start and the end binding. */
  bindingIds: { start: string; end: string }
  from: ArrowEnd
  to: ArrowEnd
  /** Fractional index among the page's shapes. */
  index: string
  layerId: string
  color?: LayerColor | 'black'
  size?: 's' | 'm' | 'l' | 'xl'
}

/** The arrow shape and its two bindings, each valid against Stip's schema. */
export function boundArrowRecords(arrow: BoundArrow): TLRecord[] {
  const shape = stipSchema.types.shape.create({
    id: arrow.arrowId as never,
    type: 'arrow',
    parentId: PAGE_ID,
    index: arrow.index as never,
    x: arrow.from.x,
    y: arrow.from.y,
    props: {
      kind: 'arc',
      elbowMidPoint: 0.5,
      dash: 'draw',
      size: arrow.size ?? 'l',
      fill: 'none',
      color: arrow.color ?? 'black',
      labelColor: 'black',
      bend: 0,
      start: { x: 0, y: 0 },
      end: { x: arrow.to.x - arrow.from.x, y: arrow.to.y - arrow.from.y },
      arrowheadStart: 'none',
      arrowheadEnd: 'arrow',
      richText: toRichText(''),
      labelPosition: 0.5,
      font: 'draw',
      scale: 1,
    },
    meta: { layerId: arrow.layerId },
  })
  const binding = (terminal: 'start' | 'end', target: ArrowEnd) =>
    stipSchema.types.binding.create({
      id: arrow.bindingIds[terminal] as never,
      type: 'arrow',
      fromId: shape.id,
      toId: target.id as never,
      props: { terminal, normalizedAnchor: { x: 0.5, y: 0.5 }, isExact: false, isPrecise: false, snap: 'none' },
      meta: {},
    })
  return [shape, binding('start', arrow.from), binding('end', arrow.to)]
}
