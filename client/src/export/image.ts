/**
 * The board as an SVG or PNG file: tldraw's own SVG of the drawing (its fonts embedded as
 * `data:` URLs by tldraw itself, its HTML labels as `<foreignObject>`), nested in a page
 * Stip draws around it — the mission, the board's name and date, and the layers' legend —
 * in IBM Plex Sans, embedded the same way. The PNG is that SVG drawn on a canvas by
 * tldraw's `getSvgAsImage` at twice the size; a browser canvas has a size limit, so a very
 * large board comes out scaled down (for print, the PDF poster tiles instead).
 *
 * Nothing here fetches from another origin: the fonts come from `fonts.ts` (this server).
 */
import { type Editor, getSvgAsImage } from 'tldraw'
import { EXPORT_FONT_FAMILY, type ExportFonts } from './fonts.ts'
import { layoutPage, type Measure, type PageLayout, type TextLine } from './layout.ts'
import { type ExportContent, ExportError } from './scope.ts'

const SVG_NS = 'http://www.w3.org/2000/svg'
const FAMILY = `"${EXPORT_FONT_FAMILY}", "${EXPORT_FONT_FAMILY} Ext", sans-serif`
/** The narrowest image, so the header stays readable above a small selection. */
const MIN_WIDTH = 1000
/** PNG pixels per SVG unit. */
const PNG_PIXEL_RATIO = 2

export interface ImageResult {
  svg: string
  width: number
  height: number
}

export async function buildSvg(editor: Editor, content: ExportContent, fonts: ExportFonts): Promise<ImageResult> {
  if (!content.bounds || content.shapeIds.length === 0) throw new ExportError('empty')
  const drawing = await editor.getSvgElement(content.shapeIds, {
    bounds: content.bounds,
    padding: 0,
    background: true,
    darkMode: false, // paper is white, whatever the screen's theme
  })
  if (!drawing) throw new ExportError('empty')

  const measure = await browserMeasure(fonts)
  const layout = layoutPage(
    { mission: content.mission, subline: content.subline, legend: content.legend, drawing: content.bounds },
    { width: Math.max(MIN_WIDTH, Math.ceil(content.bounds.width / 0.92)), height: null },
    measure,
  )
  const svg = composeSvg(layout, drawing.svg, fonts)
  return { svg: new XMLSerializer().serializeToString(svg), width: layout.page.width, height: layout.page.height }
}

export async function buildPng(editor: Editor, content: ExportContent, fonts: ExportFonts): Promise<Blob> {
  const { svg, width, height } = await buildSvg(editor, content, fonts)
  const blob = await getSvgAsImage(svg, { type: 'png', width, height, pixelRatio: PNG_PIXEL_RATIO })
  if (!blob) throw new ExportError('render_failed')
  return blob
}

function composeSvg(layout: PageLayout, drawing: SVGSVGElement, fonts: ExportFonts): SVGSVGElement {
  const { width, height } = layout.page
  const el = <K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number>) => {
    const node = document.createElementNS(SVG_NS, name)
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value))
    return node
  }
  const root = el('svg', { width, height, viewBox: `0 0 ${width} ${height}` })
  const style = el('style', {})
  style.textContent = [
    fontFace(EXPORT_FONT_FAMILY, fonts.latin),
    fontFace(`${EXPORT_FONT_FAMILY} Ext`, fonts.latinExt),
  ].join('\n')
  root.append(style, el('rect', { width, height, fill: '#ffffff' }))

  const text = (line: TextLine, fill: string) => {
    const node = el('text', { x: line.x, y: line.y, 'font-size': line.size, 'font-family': FAMILY, fill })
    node.textContent = line.text
    return node
  }
  for (const line of layout.mission) root.append(text(line, '#1d1d1d'))
  root.append(text(layout.subline, '#555555'))
  const { rule } = layout
  root.append(el('rect', { x: rule.x, y: rule.y, width: rule.width, height: rule.height, fill: '#d0d4da' }))

  // tldraw's SVG keeps its own viewBox; placed as a nested <svg>, it scales into the box.
  drawing.setAttribute('x', String(layout.drawing.x))
  drawing.setAttribute('y', String(layout.drawing.y))
  drawing.setAttribute('width', String(layout.drawing.width))
  drawing.setAttribute('height', String(layout.drawing.height))
  root.append(drawing)

  for (const item of layout.legend) {
    const { swatch } = item
    root.append(
      el('rect', { x: swatch.x, y: swatch.y, width: swatch.width, height: swatch.height, rx: 3, fill: item.color }),
      text(item.label, '#1d1d1d'),
    )
  }
  return root
}

function fontFace(family: string, bytes: Uint8Array): string {
  return `@font-face { font-family: "${family}"; font-weight: 500; src: url(data:font/woff;base64,${toBase64(bytes)}) format("woff"); }`
}

function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Text widths from a canvas, with the export's own faces loaded, so the layout matches the drawn text. */
let facesAdded: Promise<void> | null = null

async function browserMeasure(fonts: ExportFonts): Promise<Measure> {
  facesAdded ??= (async () => {
    const faces = [
      new FontFace(EXPORT_FONT_FAMILY, fonts.latin.slice().buffer, { weight: '500' }),
      new FontFace(`${EXPORT_FONT_FAMILY} Ext`, fonts.latinExt.slice().buffer, { weight: '500' }),
    ]
    for (const face of faces) document.fonts.add(await face.load())
  })()
  await facesAdded
  const context = document.createElement('canvas').getContext('2d')
  if (!context) throw new ExportError('render_failed')
  return (text, size) => {
    context.font = `500 ${size}px ${FAMILY}`
    return context.measureText(text).width
  }
}
