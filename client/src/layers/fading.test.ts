/** The style sheet that fades the open layer's ancestors (`fading.ts`). */
import { describe, expect, it } from 'vitest'
import { ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { cssString, fadingCss } from './fading.ts'

describe('fadingCss', () => {
  it('is empty in the overview, when nothing is faded', () => {
    expect(fadingCss(new Set(), new Set([ROOT_LAYER_ID, 'layer:a']))).toBe('')
  })

  it('fades the content of the shapes of each faded layer', () => {
    const css = fadingCss(new Set(['layer:a']), new Set([ROOT_LAYER_ID, 'layer:a', 'layer:b']))
    expect(css).toBe('.tl-shape[data-stip-layer="layer:a"] > * { opacity: 0.3; }')
  })

  it('fades shapes whose layer is gone with the root', () => {
    const css = fadingCss(new Set([ROOT_LAYER_ID]), new Set([ROOT_LAYER_ID, 'layer:a']))
    expect(css).toContain(`.tl-shape[data-stip-layer="${ROOT_LAYER_ID}"] > *`)
    expect(css).toContain(
      `.tl-shape[data-stip-layer]:not([data-stip-layer="${ROOT_LAYER_ID}"]):not([data-stip-layer="layer:a"]) > *`,
    )
  })
})

describe('cssString', () => {
  it('escapes whatever could end the string or the rule', () => {
    expect(cssString('layer:a"] > * { display: none } [x="')).toBe(
      '"layer:a\\22 \\5d \\20 \\3e \\20 \\2a \\20 \\7b \\20 display:\\20 none\\20 \\7d \\20 \\5b x\\3d \\22 "',
    )
  })
})
