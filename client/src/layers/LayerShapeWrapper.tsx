/**
 * tldraw's shape wrapper, with two additions:
 * - shapes of the open layer's ancestors are marked so CSS fades them (`data-stip-faded`):
 *   the path you drilled into stands out, its context stays readable. tldraw sets the
 *   wrapper's own opacity, so the CSS fades its children instead;
 * - a shape's content is drawn only once it has been on screen [1].
 */
import { createContext, forwardRef, useContext, useRef } from 'react'
import { DefaultShapeWrapper, type TLShapeWrapperProps, useEditor, useValue } from 'tldraw'
import type { LayerView } from './layerView.ts'

/** The board's layer view, for components tldraw renders. */
export const LayerViewContext = createContext<LayerView | null>(null)

export const LayerShapeWrapper = forwardRef<HTMLDivElement, TLShapeWrapperProps>(function LayerShapeWrapper(
  { children, ...props },
  ref,
) {
  const editor = useEditor()
  const view = useContext(LayerViewContext)
  const faded = useValue('faded', () => view?.isFaded(props.shape) ?? false, [view, props.shape])
  const seen = useRef(false)
  // Once true, this no longer reads the culled set, so it stops being recomputed.
  const shown = useValue('seen', () => seen.current || !editor.getCulledShapes().has(props.shape.id), [
    editor,
    props.shape.id,
  ])
  if (shown) seen.current = true
  return (
    <DefaultShapeWrapper ref={ref} {...props} data-stip-faded={faded ? 'true' : undefined}>
      {shown ? children : null}
    </DefaultShapeWrapper>
  )
})

// [1] tldraw renders every shape on the page and hides the ones outside the viewport
//     (culled) with `display: none`. On a board of thousands of shapes, drawing all of
//     them (hand-drawn paths, text) before the first frame took seconds, for shapes nobody
//     could see. The wrapper itself still renders (tldraw positions and culls it); only
//     its content waits. Once drawn it stays, so panning back costs nothing.
