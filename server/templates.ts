/**
 * The template "Stip op de horizon": what a board starts with when its facilitator wants
 * the method's picture from the first minute instead of an empty page.
 * - a horizon line across the board, through the north star (the dot on the horizon);
 * - the north star with a mission to replace: a question ("Waar staan wij in 2030?") rather
 *   than an instruction, because the lobby screen shows the mission from the first minute
 *   and a display never shows an editor's hint;
 * - a strategy area above it, a dashed rectangle labelled "Strategie", where no path's
 *   arrow crosses what is written in it;
 * - two-week iterations from the Monday of this week (`meta.iterations`);
 * - per named department: a layer under the root with an empty path — a start point
 *   ("Nu"), one milestone in the current iteration, an arrow from the start to the
 *   milestone and one from the milestone to the north star, each bound at both ends.
 *
 * The departments are laid out in sectors of a fan below the north star, from left to
 * right in the order they were named, on arcs wide enough that no two shapes overlap
 * (`departmentSpots`), so the paths visibly converge on the north star.
 *
 * Every record is made with tldraw's own record types and checked like the empty board's
 * (`boardDocument.ts`), so it is exactly what a client drawing it by hand would store.
 */
import { randomBytes } from 'node:crypto'
import { type TLRecord, toRichText } from '@tldraw/tlschema'
import { getIndicesAbove, getIndicesBelow, type IndexKey } from '@tldraw/utils'
import type { BoardLanguage } from '../shared/board.ts'
import { today as todayOf } from '../shared/dates.ts'
import { effectiveRhythm, type IterationRhythm, iterationOf } from '../shared/iterations.ts'
import { addLayer, type LayerColor, type LayerRecord, layerIdFromName, ROOT_LAYER_ID } from '../shared/layers.ts'
import { boundArrowRecords } from '../shared/pathRecords.ts'
import {
  asStoreLayer,
  MILESTONE_SIZE,
  MILESTONE_TYPE,
  NORTH_STAR_ID,
  PAGE_ID,
  PATH_START_SIZE,
  PATH_START_TYPE,
  stipSchema,
} from '../shared/schema/index.ts'

/** Where the north star sits on every new board (`boardDocument.ts`): centred on 0,0. */
export const NORTH_STAR_BOX = { x: -320, y: -130, w: 640, h: 260 } as const

/** The strategy area: above the north star, clear of the paths that come from below. */
export const STRATEGY_BOX = { x: -720, y: -610, w: 1440, h: 420 } as const

const HORIZON_HALF_WIDTH = 2600

/** The fan the paths come from: angles below the north star (0° right, 90° straight down). */
const FAN_FROM_DEGREES = 160
const FAN_TO_DEGREES = 20
/** Milestones sit at least this far from the north star's centre, starts this much further. */
const MIN_MILESTONE_RADIUS = 900
const START_BEYOND_MILESTONE = 800
/** Room between neighbouring milestones on their arc. */
const MILESTONE_GAP = 160

const WORDS: Record<BoardLanguage, { mission: string; strategy: string }> = {
  nl: { mission: 'Waar staan wij in 2030?', strategy: 'Strategie' },
  en: { mission: 'Where do we stand in 2030?', strategy: 'Strategy' },
}

export interface Box {
  x: number
  y: number
  w: number
  h: number
}

/** Where one department's start point and milestone go (top-left corners). */
export interface DepartmentSpot {
  start: Box
  milestone: Box
}

/** The spots of `count` departments, left to right. */
export function departmentSpots(count: number): DepartmentSpot[] {
  if (count === 0) return []
  const sector = ((FAN_FROM_DEGREES - FAN_TO_DEGREES) / count) * (Math.PI / 180)
  // Neighbours on the milestones' arc are `radius × sector` apart: wide enough for one.
  const milestoneRadius = Math.max(MIN_MILESTONE_RADIUS, (MILESTONE_SIZE.w + MILESTONE_GAP) / sector)
  const startRadius = milestoneRadius + START_BEYOND_MILESTONE
  const centred = (cx: number, cy: number, size: { w: number; h: number }): Box => ({
    x: Math.round(cx - size.w / 2),
    y: Math.round(cy - size.h / 2),
    w: size.w,
    h: size.h,
  })
  return Array.from({ length: count }, (_, i) => {
    const angle = (FAN_FROM_DEGREES * Math.PI) / 180 - sector * (i + 0.5)
    const [dx, dy] = [Math.cos(angle), Math.sin(angle)]
    return {
      milestone: centred(dx * milestoneRadius, dy * milestoneRadius, MILESTONE_SIZE),
      start: centred(dx * startRadius, dy * startRadius, PATH_START_SIZE),
    }
  })
}

const shapeId = () => `shape:${randomBytes(12).toString('base64url')}`
const bindingId = () => `binding:${randomBytes(12).toString('base64url')}`
const centre = (box: Box) => ({ x: box.x + box.w / 2, y: box.y + box.h / 2 })

export interface HorizonOptions {
  departments: readonly string[]
  language: BoardLanguage
  /** The calendar day the board is made on (default: the server's today). */
  today?: string
}

export interface TemplateContent {
  /** Records besides the document, the page and the root layer. */
  records: TLRecord[]
  /** The north star's mission placeholder. */
  mission: string
  /** `meta.iterations`. */
  iterations: IterationRhythm
}

/**
 * The template's records: the horizon line and strategy area (below the north star in
 * z-order), then each department's layer, start point, milestone, two arrows and their
 * four bindings. The north star itself is the empty board's, with `mission` in it.
 */
export function horizonContent(northStarIndex: IndexKey, options: HorizonOptions): TemplateContent {
  const words = WORDS[options.language]
  const day = options.today ?? todayOf()
  const iterations = effectiveRhythm(null, day)
  const current = iterationOf(iterations, day)
  const [horizonIndex, strategyIndex] = getIndicesBelow(northStarIndex, 2)
  const northStarCentre = centre(NORTH_STAR_BOX)
  const shape = stipSchema.types.shape
  const records: TLRecord[] = [
    shape.create({
      id: shapeId() as never,
      type: 'line',
      parentId: PAGE_ID,
      index: horizonIndex,
      x: northStarCentre.x - HORIZON_HALF_WIDTH,
      y: northStarCentre.y,
      isLocked: true,
      props: {
        color: 'grey',
        dash: 'solid',
        size: 'm',
        spline: 'line',
        scale: 1,
        points: {
          a1: { id: 'a1', index: 'a1' as IndexKey, x: 0, y: 0 },
          a2: { id: 'a2', index: 'a2' as IndexKey, x: 2 * HORIZON_HALF_WIDTH, y: 0 },
        },
      },
      meta: { layerId: ROOT_LAYER_ID },
    }),
    shape.create({
      id: shapeId() as never,
      type: 'geo',
      parentId: PAGE_ID,
      index: strategyIndex,
      x: STRATEGY_BOX.x,
      y: STRATEGY_BOX.y,
      props: {
        geo: 'rectangle',
        w: STRATEGY_BOX.w,
        h: STRATEGY_BOX.h,
        color: 'grey',
        labelColor: 'grey',
        fill: 'none',
        dash: 'dashed',
        size: 'l',
        font: 'sans',
        align: 'start',
        verticalAlign: 'start',
        growY: 0,
        url: '',
        scale: 1,
        flipX: false,
        flipY: false,
        richText: toRichText(words.strategy),
      },
      meta: { layerId: ROOT_LAYER_ID },
    }),
  ]

  const spots = departmentSpots(options.departments.length)
  // Four shapes per department, all above the north star so the arrows draw over it.
  const indices = getIndicesAbove(northStarIndex, 4 * options.departments.length)
  let layers = new Map<string, LayerRecord>([[ROOT_LAYER_ID, rootPlaceholder()]])
  options.departments.forEach((name, i) => {
    const added = addLayer(layers, {
      id: layerIdFromName(name, randomBytes(3).toString('hex')),
      name,
      parentId: ROOT_LAYER_ID,
    })
    if (!added.ok) throw new Error(`the template's layer "${name}": ${added.message}`)
    const layer = added.put[0]
    layers = new Map([...layers, [layer.id, layer]])
    records.push(asStoreLayer(layer))
    records.push(...departmentPath(layer.id, layer.color, spots[i], indices.slice(4 * i, 4 * i + 4), current))
  })
  return { records, mission: words.mission, iterations }
}

/** Only to give `addLayer` a parent; the real root is the empty board's. */
function rootPlaceholder(): LayerRecord {
  return {
    id: ROOT_LAYER_ID,
    typeName: 'layer',
    name: 'root',
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

/** A department's empty path: start → milestone → north star, each arrow bound at both ends. */
function departmentPath(
  layerId: string,
  color: LayerColor,
  spot: DepartmentSpot,
  [startIndex, milestoneIndex, firstArrowIndex, lastArrowIndex]: IndexKey[],
  iteration: { start: string; end: string },
): TLRecord[] {
  const shape = stipSchema.types.shape
  const meta = { layerId }
  const start = shape.create({
    id: shapeId() as never,
    type: PATH_START_TYPE,
    parentId: PAGE_ID,
    index: startIndex,
    x: spot.start.x,
    y: spot.start.y,
    props: { w: spot.start.w, h: spot.start.h },
    meta,
  })
  const milestone = shape.create({
    id: shapeId() as never,
    type: MILESTONE_TYPE,
    parentId: PAGE_ID,
    index: milestoneIndex,
    x: spot.milestone.x,
    y: spot.milestone.y,
    props: {
      w: spot.milestone.w,
      h: spot.milestone.h,
      title: '',
      description: '',
      owner: '',
      start: iteration.start,
      end: iteration.end,
      status: 'planned',
      doneAt: null,
    },
    meta,
  })
  const from = { id: start.id, centre: centre(spot.start) }
  const via = { id: milestone.id, centre: centre(spot.milestone) }
  const to = { id: NORTH_STAR_ID, centre: centre(NORTH_STAR_BOX) }
  return [
    start,
    milestone,
    ...boundArrow(from, via, firstArrowIndex, layerId, color),
    ...boundArrow(via, to, lastArrowIndex, layerId, color),
  ]
}

/** An arrow from one shape's centre to another's, and its two bindings. */
function boundArrow(
  from: { id: string; centre: { x: number; y: number } },
  to: { id: string; centre: { x: number; y: number } },
  index: IndexKey,
  layerId: string,
  color: LayerColor,
): TLRecord[] {
  return boundArrowRecords({
    arrowId: shapeId(),
    bindingIds: { start: bindingId(), end: bindingId() },
    from: { id: from.id, ...from.centre },
    to: { id: to.id, ...to.centre },
    index,
    layerId,
    color,
  })
}
