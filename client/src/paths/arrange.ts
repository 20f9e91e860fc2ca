/**
 * "Arrange": lays the departments' drawings out in sectors around the north star, so the
 * overview shows every path converging on it and no department covers another.
 *
 * Each department (a child of the root layer, with everything below it) is one block: the
 * bounding box of its shapes. The blocks get equal sectors of the half circle below the
 * horizon, in layer order from left to right, and each moves along its sector's middle
 * until it overlaps neither the north star nor a block placed before it. Only whole blocks
 * move (a translation), so a department's own layout, and every arrow bound to the north
 * star, stay as they were.
 *
 * `planArrangement` is pure geometry over plain boxes; `arrangeAroundNorthStar` applies it
 * to the editor as one undo step.
 */
import type { Editor, TLShape, TLShapeId } from 'tldraw'
import { childrenOf, type Layers, ROOT_LAYER_ID, subtreeOf } from '../../../shared/layers.ts'
import { NORTH_STAR_ID } from '../../../shared/schema/index.ts'

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** Space kept between blocks, and between a block and the north star. */
const GAP = 160
/** How far a block moves outward per try, and how many tries at most. */
const STEP = 80
const MAX_TRIES = 400

function overlaps(a: Rect, b: Rect, gap: number): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap
}

/**
 * Where each block goes: its translation `{dx, dy}`, by id. Blocks are placed in the given
 * order over the half circle below `star` (screen coordinates: y grows downward), from the
 * left (first) to the right (last).
 */
export function planArrangement(
  star: Rect,
  blocks: readonly { id: string; box: Rect }[],
): Map<string, { dx: number; dy: number }> {
  const center = { x: star.x + star.w / 2, y: star.y + star.h / 2 }
  const placed: Rect[] = [star]
  const moves = new Map<string, { dx: number; dy: number }>()
  blocks.forEach(({ id, box }, i) => {
    // Sector middles from 165° (left, just below the horizon) to 15° (right), through 90° (straight down).
    const angle =
      blocks.length === 1 ? Math.PI / 2 : Math.PI - (Math.PI / 12 + (i * (Math.PI * 5)) / 6 / (blocks.length - 1))
    const direction = { x: Math.cos(angle), y: Math.sin(angle) }
    let distance = Math.hypot(star.w, star.h) / 2 + Math.hypot(box.w, box.h) / 2 + GAP
    let target: Rect = box
    for (let tries = 0; tries < MAX_TRIES; tries++, distance += STEP) {
      target = {
        ...box,
        x: center.x + direction.x * distance - box.w / 2,
        y: center.y + direction.y * distance - box.h / 2,
      }
      if (!placed.some((other) => overlaps(target, other, GAP))) break
    }
    placed.push(target)
    moves.set(id, { dx: Math.round(target.x - box.x), dy: Math.round(target.y - box.y) })
  })
  return moves
}

/** The department blocks of the board: each child of the root with the shapes of its subtree. */
function departmentBlocks(editor: Editor, layers: Layers, layerOf: (shape: TLShape) => string) {
  const shapes = editor.getCurrentPageShapes().filter((shape) => shape.parentId === editor.getCurrentPageId())
  return childrenOf(layers, ROOT_LAYER_ID).flatMap((department) => {
    const subtree = subtreeOf(layers, department.id)
    const own = shapes.filter((shape) => shape.id !== NORTH_STAR_ID && subtree.has(layerOf(shape)))
    const bounds = own.flatMap((shape) => editor.getShapePageBounds(shape.id) ?? [])
    if (!bounds.length) return []
    const x = Math.min(...bounds.map((b) => b.minX))
    const y = Math.min(...bounds.map((b) => b.minY))
    const box = {
      x,
      y,
      w: Math.max(...bounds.map((b) => b.maxX)) - x,
      h: Math.max(...bounds.map((b) => b.maxY)) - y,
    }
    return [{ id: department.id, box, shapes: own }]
  })
}

/**
 * Moves every department's drawing into its sector around the north star (one undo step)
 * and zooms out to show them all. Facilitators only: it moves every department's shapes.
 */
export function arrangeAroundNorthStar(editor: Editor, layers: Layers, layerOf: (shape: TLShape) => string): void {
  const star = editor.getShapePageBounds(NORTH_STAR_ID)
  if (!star) return
  const blocks = departmentBlocks(editor, layers, layerOf)
  const moves = planArrangement({ x: star.x, y: star.y, w: star.w, h: star.h }, blocks)
  editor.markHistoryStoppingPoint('arrange paths')
  editor.run(() => {
    for (const block of blocks) {
      const move = moves.get(block.id)
      if (!move || (move.dx === 0 && move.dy === 0)) continue
      editor.updateShapes(
        block.shapes.map((shape) => ({
          id: shape.id as TLShapeId,
          type: shape.type,
          x: shape.x + move.dx,
          y: shape.y + move.dy,
        })),
      )
    }
  })
  editor.zoomToFit({ animation: { duration: 300 } })
}
