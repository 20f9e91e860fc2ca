/**
 * The open layer's ancestors fade, so the path you drilled into stands out while its
 * context stays readable. Every shape wrapper carries its layer (`data-stip-layer`,
 * `LayerShapeWrapper`); one style sheet, rewritten when the faded layers change, fades the
 * content of theirs [1]. tldraw sets the wrapper's own opacity, so the rule fades its
 * children instead.
 */
import { ROOT_LAYER_ID } from '../../../shared/layers.ts'

/** The faded layers' rules. A shape whose layer is gone counts as the root's, as everywhere. */
export function fadingCss(faded: ReadonlySet<string>, layers: ReadonlySet<string>): string {
  const selectors = [...faded].map((id) => `.tl-shape[data-stip-layer=${cssString(id)}] > *`)
  if (faded.has(ROOT_LAYER_ID) && layers.size > 0) {
    const known = [...layers].map((id) => `:not([data-stip-layer=${cssString(id)}])`).join('')
    selectors.push(`.tl-shape[data-stip-layer]${known} > *`)
  }
  return selectors.length === 0 ? '' : `${selectors.join(',\n')} { opacity: 0.3; }`
}

/** A CSS string of `value`: anything but letters, digits, `_`, `-` and `:` escaped, so no id can break out of it. */
export function cssString(value: string): string {
  let out = ''
  for (const char of value) out += /[\w:-]/.test(char) ? char : `\\${(char.codePointAt(0) ?? 0).toString(16)} `
  return `"${out}"`
}

// [1] Reading the faded set per shape made each of them depend on the layer records, and
//     with them on the store's history: every change to the store — a camera move, a
//     remote edit, a cursor — walked all shapes' values to find that none changed. On a
//     board of 5,000 shapes that was most of a panning frame (a page profile of the pan,
//     `STIP_BENCH_CPU_PROF`).
