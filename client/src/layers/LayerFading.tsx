/** The style sheet that fades the open layer's ancestors' shapes (`fading.ts`), kept current. */
import { useValue } from 'tldraw'
import { fadingCss } from './fading.ts'
import type { LayerView } from './layerView.ts'

export function LayerFading({ view }: { view: LayerView }) {
  const css = useValue('stip fading css', () => fadingCss(view.$faded.get(), new Set(view.$layers.get().keys())), [
    view,
  ])
  return <style data-testid="layer-fading">{css}</style>
}
