/**
 * The export button in the board's chrome and its dialog: what (the board, one layer with
 * its sub-layers, or the selection), which file (PNG, SVG, PDF), and for a PDF the paper —
 * A4 and A3, or a poster of A2, A1 or A0 — its orientation, and whether to cut a poster
 * into A4/A3 sheets for an ordinary printer. Everyone who sees the board may export what
 * they see; the wall display has no chrome, so it never shows this.
 *
 * The builders load on the first export (`import('./run.ts')`), with pdf-lib in them.
 */
import { useEffect, useId, useRef, useState } from 'react'
import { createPortal } from 'react-dom'
import { type Editor, useValue } from 'tldraw'
import { flattenLayers } from '../../../shared/layers.ts'
import { type MessageKey, useI18n } from '../i18n.ts'
import type { LayerView } from '../layers/layerView.ts'
import { type Orientation, type Paper, POSTER_PAPERS, SHEET_PAPERS, type SheetPaper } from './layout.ts'
import type { ExportChoice, ExportFormat } from './run.ts'
import { ExportError } from './scope.ts'
import './export.css'

const PAPERS: readonly Paper[] = ['A4', 'A3', 'A2', 'A1', 'A0']
const FORMATS: readonly ExportFormat[] = ['png', 'svg', 'pdf']
const ORIENTATIONS: readonly (Orientation | 'auto')[] = ['auto', 'portrait', 'landscape']

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; done?: number; total?: number }
  | { kind: 'done'; file: string }
  | { kind: 'error'; message: string }

export function ExportButton({ editor, view, boardName }: { editor: Editor; view: LayerView; boardName: string }) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const button = useRef<HTMLButtonElement>(null)
  return (
    <>
      <button
        type="button"
        className="stip-export-toggle"
        ref={button}
        data-testid="export-open"
        title={t('export.openLabel')}
        onClick={() => setOpen(true)}
      >
        {t('export.open')}
      </button>
      {/* [1] */}
      {open &&
        createPortal(
          <ExportDialog
            editor={editor}
            view={view}
            boardName={boardName}
            onClose={() => {
              setOpen(false)
              button.current?.focus()
            }}
          />,
          document.body,
        )}
    </>
  )
}

// [1] On the page's body, not in the layer column: the column is a stacking context of its
//     own (z-index 400), so a dialog inside it would sit below the path bar and the canvas UI.

function ExportDialog(props: { editor: Editor; view: LayerView; boardName: string; onClose: () => void }) {
  const { editor, view, boardName, onClose } = props
  const { t, language } = useI18n()
  const id = useId()
  const layers = useValue(view.$layers)
  const hasSelection = useValue('selection', () => editor.getSelectedShapeIds().length > 0, [editor])
  const [scopeKind, setScopeKind] = useState<ExportChoice['scope']['kind']>('board')
  const [layerId, setLayerId] = useState(() => view.$focus.get() ?? view.$active.get())
  const [format, setFormat] = useState<ExportFormat>('png')
  const [paper, setPaper] = useState<Paper>('A4')
  const [orientation, setOrientation] = useState<Orientation | 'auto'>('auto')
  const [sheets, setSheets] = useState<SheetPaper | null>(null)
  const [status, setStatus] = useState<Status>({ kind: 'idle' })
  const isPoster = (POSTER_PAPERS as readonly Paper[]).includes(paper)
  const form = useRef<HTMLFormElement>(null)
  // Opened: the keyboard starts at the first choice, as in any dialog.
  useEffect(() => form.current?.querySelector<HTMLInputElement>('input:checked')?.focus(), [])

  const submit = async () => {
    setStatus({ kind: 'busy' })
    try {
      const { runExport } = await import('./run.ts')
      const scope =
        scopeKind === 'layer'
          ? { kind: 'layer' as const, layerId }
          : scopeKind === 'selection'
            ? { kind: 'selection' as const }
            : { kind: 'board' as const }
      const file = await runExport(
        editor,
        { scope, format, paper, orientation, sheets: isPoster ? sheets : null },
        { layers: view.$layers.get(), shown: view.$shown.get(), boardName, language },
        t,
        (done, total) => setStatus({ kind: 'busy', done, total }),
      )
      download(file.blob, file.fileName)
      setStatus({ kind: 'done', file: file.fileName })
    } catch (error) {
      const message =
        error instanceof ExportError
          ? t(`export.error.${error.code}` as MessageKey)
          : t('export.error.generic', { message: error instanceof Error ? error.message : String(error) })
      setStatus({ kind: 'error', message })
    }
  }

  // Not `disabled` while busy: a disabled button drops the keyboard's focus out of the dialog.
  const busy = status.kind === 'busy'
  return (
    <div className="stip-modal" role="dialog" aria-modal="true" aria-labelledby={`${id}-title`}>
      <form
        ref={form}
        className="stip-card stip-form stip-export"
        data-testid="export-dialog"
        onSubmit={(event) => {
          event.preventDefault()
          if (!busy) void submit()
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape' && !busy) onClose()
          event.stopPropagation()
        }}
      >
        <h2 id={`${id}-title`}>{t('export.title')}</h2>
        <p className="stip-export__help">{t('export.help')}</p>
        <fieldset>
          <legend>{t('export.what')}</legend>
          {(['board', 'layer', 'selection'] as const).map((kind) => (
            <label key={kind} className="stip-export__choice">
              <input
                type="radio"
                name={`${id}-scope`}
                value={kind}
                data-testid={`export-scope-${kind}`}
                checked={scopeKind === kind}
                disabled={kind === 'selection' && !hasSelection}
                onChange={() => setScopeKind(kind)}
              />
              {t(kind === 'selection' && !hasSelection ? 'export.what.selectionNone' : `export.what.${kind}`)}
            </label>
          ))}
          {scopeKind === 'layer' && (
            <label>
              {t('export.layer')}
              <select value={layerId} data-testid="export-layer" onChange={(event) => setLayerId(event.target.value)}>
                {flattenLayers(layers).map(({ layer, depth }) => (
                  <option key={layer.id} value={layer.id}>
                    {`${'\u2003'.repeat(depth)}${layer.name}`}
                  </option>
                ))}
              </select>
            </label>
          )}
        </fieldset>
        <label>
          {t('export.format')}
          <select
            value={format}
            data-testid="export-format"
            onChange={(event) => setFormat(event.target.value as ExportFormat)}
          >
            {FORMATS.map((value) => (
              <option key={value} value={value}>
                {t(`export.format.${value}`)}
              </option>
            ))}
          </select>
        </label>
        {format === 'pdf' && (
          <>
            <label>
              {t('export.paper')}
              <select
                value={paper}
                data-testid="export-paper"
                onChange={(event) => setPaper(event.target.value as Paper)}
              >
                {PAPERS.map((value) => (
                  <option key={value} value={value}>
                    {(POSTER_PAPERS as readonly Paper[]).includes(value)
                      ? t('export.paper.poster', { paper: value })
                      : value}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('export.orientation')}
              <select
                value={orientation}
                data-testid="export-orientation"
                onChange={(event) => setOrientation(event.target.value as Orientation | 'auto')}
              >
                {ORIENTATIONS.map((value) => (
                  <option key={value} value={value}>
                    {t(`export.orientation.${value}`)}
                  </option>
                ))}
              </select>
            </label>
            {isPoster && (
              <label>
                {t('export.sheets')}
                <select
                  value={sheets ?? ''}
                  data-testid="export-sheets"
                  onChange={(event) => setSheets((event.target.value || null) as SheetPaper | null)}
                >
                  <option value="">{t('export.sheets.none')}</option>
                  {SHEET_PAPERS.map((value) => (
                    <option key={value} value={value}>
                      {t('export.sheets.sheet', { paper: value })}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </>
        )}
        <p className="stip-export__status" role="status" data-testid="export-status" data-state={status.kind}>
          {status.kind === 'busy' &&
            (status.total ? t('export.progress', { done: status.done ?? 0, total: status.total }) : t('export.busy'))}
          {status.kind === 'done' && t('export.done', { file: status.file })}
          {status.kind === 'error' && status.message}
        </p>
        <div className="stip-form__actions">
          <button type="button" onClick={() => busy || onClose()} aria-disabled={busy}>
            {t('export.cancel')}
          </button>
          <button type="submit" className="stip-primary" data-testid="export-submit" aria-disabled={busy}>
            {t('export.submit')}
          </button>
        </div>
      </form>
    </div>
  )
}

/** Hands the file to the browser's downloads, the way a link with `download` does. */
function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}
