/**
 * The one typeface of an export's own text (mission, date, legend): IBM Plex Sans Medium,
 * the family of tldraw's "sans" font, bundled by Vite and served by Stip itself like every
 * other asset. Two WOFF files: basic Latin (all Dutch text) and Latin Extended (names such
 * as "Łódź"); text is split into runs so each character uses the file that has it [1].
 *
 * WOFF, not WOFF2: pdf-lib's fontkit cannot subset a WOFF2 font, and an unsubsetted WOFF2
 * is not a font file a PDF may embed. The files are fetched once per page, on the first
 * export, from this origin.
 *
 * [1] A PDF font has no fallback; a browser would fall back per glyph, but the measuring
 *     and the PDF must agree, so both use these runs.
 */

import latinUrl from '@fontsource/ibm-plex-sans/files/ibm-plex-sans-latin-500-normal.woff?url'
import latinExtUrl from '@fontsource/ibm-plex-sans/files/ibm-plex-sans-latin-ext-500-normal.woff?url'

export interface ExportFonts {
  latin: Uint8Array
  latinExt: Uint8Array
}

/** The family name the SVG header uses for the embedded faces. */
export const EXPORT_FONT_FAMILY = 'Stip Export'

let loading: Promise<ExportFonts> | null = null

export function loadExportFonts(): Promise<ExportFonts> {
  loading ??= Promise.all([latinUrl, latinExtUrl].map(fetchBytes)).then(([latin, latinExt]) => ({
    latin: latin as Uint8Array,
    latinExt: latinExt as Uint8Array,
  }))
  loading.catch(() => {
    loading = null // try again next time
  })
  return loading
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`font ${url}: HTTP ${response.status}`)
  return new Uint8Array(await response.arrayBuffer())
}

export interface TextRun {
  text: string
  /** Which file has these characters: 0 the Latin file, 1 the Latin Extended one. */
  font: 0 | 1
}

/** Splits text into runs by font; a character neither has stays in the Latin run (drawn as a box). */
export function fontRuns(
  text: string,
  hasExt: (codePoint: number) => boolean,
  hasLatin: (codePoint: number) => boolean,
) {
  const runs: TextRun[] = []
  for (const char of text) {
    const code = char.codePointAt(0) as number
    const font: 0 | 1 = !hasLatin(code) && hasExt(code) ? 1 : 0
    const last = runs[runs.length - 1]
    if (last && last.font === font) last.text += char
    else runs.push({ text: char, font })
  }
  return runs
}
