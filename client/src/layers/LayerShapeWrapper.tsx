/**
 * tldraw's shape wrapper, marking shapes of the open layer's ancestors so CSS fades them
 * (`data-stip-faded`): the path you drilled into stands out, its context stays readable.
 * tldraw sets the wrapper's own opacity, so the CSS fades its children instead.
 */
import { createContext, forwardRef, useContext } from 'react'
import { DefaultShapeWrapper, type TLShapeWrapperProps, useValue } from 'tldraw'
import type { LayerView } from './layerView.ts'

/** The board's layer view, for components tldraw renders. */
export const LayerViewContext = createContext<LayerView | null>(null)

export const LayerShapeWrapper = forwardRef<HTMLDivElement, TLShapeWrapperProps>(
  function LayerShapeWrapper(props, ref) {
    const view = useContext(LayerViewContext)
    const faded = useValue('faded', () => view?.isFaded(props.shape) ?? false, [view, props.shape])
    return <DefaultShapeWrapper ref={ref} {...props} data-stip-faded={faded ? 'true' : undefined} />
  },
)
