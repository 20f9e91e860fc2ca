/**
 * The CSS colour of each layer colour: tldraw's palette, so a layer's swatch, its
 * milestones and its path markers match shapes drawn in that colour.
 */
import type { LayerColor } from '../../../shared/layers.ts'

export const LAYER_COLOR_CSS: Record<LayerColor, string> = {
  blue: '#4465e9',
  green: '#099268',
  orange: '#e16919',
  violet: '#ae3ec9',
  red: '#e03131',
  'light-blue': '#4ba1f1',
  'light-green': '#4cb05e',
  yellow: '#f1ac4b',
  'light-violet': '#e085f4',
  'light-red': '#f87777',
  grey: '#9fa8b2',
  black: '#1d1d1d',
}
