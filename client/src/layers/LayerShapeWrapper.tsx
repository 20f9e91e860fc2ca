/**
 * tldraw's shape wrapper, with two additions:
 * - it carries the shape's layer (`data-stip-layer`), for the style sheet that fades the
 *   open layer's ancestors (`fading.ts`);
 * - a shape's content is drawn only once it has been on screen [1].
 * Neither reads a signal per shape [2].
 */
import { forwardRef, useLayoutEffect, useState } from 'react'
import { DefaultShapeWrapper, type TLShapeWrapperProps, useEditor } from 'tldraw'
import { layerOfShape } from '../../../shared/layers.ts'
import { SeenShapes } from './seenShapes.ts'

export const LayerShapeWrapper = forwardRef<HTMLDivElement, TLShapeWrapperProps>(function LayerShapeWrapper(
  { children, ...props },
  ref,
) {
  const editor = useEditor()
  const id = props.shape.id
  const [shown, setShown] = useState(() => SeenShapes.of(editor).isSeen(id))
  useLayoutEffect(() => {
    if (shown) return
    return SeenShapes.of(editor).whenSeen(id, () => setShown(true))
  }, [editor, id, shown])
  return (
    <DefaultShapeWrapper ref={ref} {...props} data-stip-layer={layerOfShape(props.shape)}>
      {shown ? children : null}
    </DefaultShapeWrapper>
  )
})

// [1] tldraw renders every shape on the page and hides the ones outside the viewport
//     (culled) with `display: none`. On a board of thousands of shapes, drawing all of
//     them (hand-drawn paths, text) before the first frame took seconds, for shapes nobody
//     could see. The wrapper itself still renders (tldraw positions and culls it); only
//     its content waits. Once drawn it stays, so panning back costs nothing.
// [2] tldraw's signals walk every dependent of a changed value: a value per shape that
//     read the camera's culled set or the layer records made every camera move or store
//     change touch all shapes. Which shapes were seen is watched once for the editor
//     (`seenShapes.ts`); fading is one style sheet.
