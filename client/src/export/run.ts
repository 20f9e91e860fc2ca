/**
 * One export, start to end: read what to export from the editor (`scope.ts`), load the
 * fonts from this server, build the file (`image.ts` or `pdf.ts`) and name it. The export
 * dialog loads this module only when someone exports, so pdf-lib never slows the board down.
 */
import type { Editor } from 'tldraw'
import type { Translate } from '../i18n.ts'
import { loadExportFonts } from './fonts.ts'
import { buildPng, buildSvg } from './image.ts'
import type { Orientation, Paper, SheetPaper } from './layout.ts'
import { buildBoardPdf } from './pdf.ts'
import { collectExport, type ExportContext, type ExportScope, exportFileName } from './scope.ts'
import type { SheetWords } from './sheets.ts'

export type ExportFormat = 'png' | 'svg' | 'pdf'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['png', 'svg', 'pdf']

export interface ExportChoice {
  scope: ExportScope
  format: ExportFormat
  paper: Paper
  orientation: Orientation | 'auto'
  sheets: SheetPaper | null
}

export interface ExportFile {
  blob: Blob
  fileName: string
}

export async function runExport(
  editor: Editor,
  choice: ExportChoice,
  context: Omit<ExportContext, 'words'>,
  t: Translate,
  onProgress?: (done: number, total: number) => void,
): Promise<ExportFile> {
  const fullContext: ExportContext = {
    ...context,
    words: { layer: (name) => t('export.subline.layer', { name }), selection: t('export.subline.selection') },
  }
  const fonts = await loadExportFonts()
  const fileName = (extension: string, suffix = '') =>
    exportFileName(context.boardName, extension, context.date, suffix)
  const content = () => collectExport(editor, choice.scope, fullContext)
  if (choice.format === 'png') return { blob: await buildPng(editor, content(), fonts), fileName: fileName('png') }
  if (choice.format === 'svg') {
    const { svg } = await buildSvg(editor, content(), fonts)
    return { blob: new Blob([svg], { type: 'image/svg+xml' }), fileName: fileName('svg') }
  }
  const sheetWords: SheetWords = {
    label: (sheet, index, total) =>
      t('export.sheet.label', { label: sheet.label, row: sheet.row + 1, column: sheet.column + 1, index, total }),
    planTitle: t('export.sheet.planTitle'),
    planHelp: t('export.sheet.planHelp'),
    glue: (label) => t('export.sheet.glue', { label }),
  }
  const bytes = await buildBoardPdf(editor, fullContext, {
    scope: choice.scope,
    paper: choice.paper,
    orientation: choice.orientation,
    sheets: choice.sheets,
    sheetWords,
    fonts,
    onProgress,
  })
  const suffix = choice.sheets ? `${choice.paper}-${choice.sheets}` : choice.paper
  return {
    blob: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }),
    fileName: fileName('pdf', suffix),
  }
}
