/**
 * `/b/<board>/archive-pdf`: an internal page, opened only by the server's own headless
 * Chromium while it makes a board's archive (`server/admin/pdf.ts`); nothing links here.
 * With the short-lived internal grant in the fragment (`#token=…`, read, never remembered),
 * it fetches the board as it is now (`GET …/archive-state`, which takes that grant only),
 * draws it on a read-only canvas (`PastCanvas`, no sync socket, no presence) and, once every
 * record is on the canvas, registers the hook the server calls [1]:
 *
 *     window.__stipBuildPdf({ date }) → { ok: true, base64 } | { ok: false, reason, detail }
 *
 * The PDF is the Export dialog's own (`buildBoardPdf`): the whole board on A3, turned to
 * suit the drawing, with the mission, the board's name and the date, and the legend. A
 * problem (a refused grant, a failed fetch) registers a hook that answers why, so the
 * server never waits out its timeout for a page that cannot work.
 *
 * [1] Only this route registers it: normal pages never carry the hook.
 */
import { useEffect, useMemo, useState } from 'react'
import type { Editor } from 'tldraw'
import type * as Y from 'yjs'
import type { ClientConfig } from '../../../shared/api.ts'
import {
  ARCHIVE_PDF_HOOK,
  ARCHIVE_PDF_PAPER,
  type ArchivePdfAnswer,
  type ArchivePdfRequest,
} from '../../../shared/archivePdf.ts'
import { decodeRecord, getRecordsMap } from '../../../shared/doc.ts'
import { isLayerId, type LayerRecord } from '../../../shared/layers.ts'
import { authorizationHeader, ROUTES, routePath, TOKEN_PARAM } from '../../../shared/routes.ts'
import { fetchSession } from '../api.ts'
import { loadConfig } from '../config.ts'
import { docFromUpdate } from '../history/mirror.ts'
import { PastCanvas } from '../history/PastCanvas.tsx'
import { useI18n } from '../i18n.ts'
import { buildBoardPdf } from './pdf.ts'
import { ExportError } from './scope.ts'

type Hook = (request: ArchivePdfRequest) => Promise<ArchivePdfAnswer>

/** How long the canvas may take to hold every record the board has (the binding applies them in slices). */
const DRAWN_WITHIN_MS = 60_000

function register(hook: Hook): void {
  ;(window as unknown as Record<string, Hook>)[ARCHIVE_PDF_HOOK] = hook
}

const failing =
  (detail: string): Hook =>
  async () => ({ ok: false, reason: 'failed', detail })

/** The token in the fragment, taken out of the address bar; never stored. */
function takeToken(): string | null {
  const token = new URLSearchParams(location.hash.replace(/^#/, '')).get(TOKEN_PARAM)
  history.replaceState(history.state, '', location.pathname)
  return token
}

type Loaded = { doc: Y.Doc; name: string; config: ClientConfig }

async function load(boardId: string, token: string): Promise<Loaded> {
  const [session, config, state] = await Promise.all([
    fetchSession(boardId, token),
    loadConfig(),
    fetch(routePath(ROUTES.archiveState, { boardId }), {
      headers: { Authorization: authorizationHeader(token) },
      cache: 'no-store',
    }),
  ])
  if (!session.ok) throw new Error(`the grant was refused: ${session.message}`)
  if (!state.ok) throw new Error(`the board was not given: HTTP ${state.status}`)
  return { doc: docFromUpdate(new Uint8Array(await state.arrayBuffer())), name: session.value.name, config }
}

/** The layers a document holds, by id. */
function layersOf(doc: Y.Doc): Map<string, LayerRecord> {
  const layers = new Map<string, LayerRecord>()
  for (const [id, value] of getRecordsMap(doc)) {
    if (!isLayerId(id)) continue
    const record = decodeRecord(value, id)
    if (record) layers.set(id, record as unknown as LayerRecord)
  }
  return layers
}

/**
 * Resolves once the canvas holds every record of `doc`, or once nothing more has arrived
 * for a few seconds (a record the schema refuses never arrives), at most `DRAWN_WITHIN_MS`.
 */
async function drawn(editor: Editor, doc: Y.Doc): Promise<void> {
  const ids = [...getRecordsMap(doc).keys()]
  const until = Date.now() + DRAWN_WITHIN_MS
  let present = -1
  let still = 0
  while (Date.now() < until) {
    const now = ids.filter((id) => editor.store.has(id as never)).length
    if (now === ids.length) return
    still = now === present ? still + 1 : 0
    present = now
    if (still >= 30) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function toBase64(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(text)
}

export function ArchivePdfPage({ boardId }: { boardId: string }) {
  const { t, language } = useI18n()
  const [loaded, setLoaded] = useState<Loaded | null>(null)
  const [editor, setEditor] = useState<Editor | null>(null)
  const token = useMemo(takeToken, [])

  useEffect(() => {
    if (!token) return register(failing('no grant in the address'))
    load(boardId, token).then(setLoaded, (error: unknown) => register(failing(String(error))))
  }, [boardId, token])

  useEffect(() => {
    if (!editor || !loaded) return
    let cancelled = false
    void drawn(editor, loaded.doc).then(() => {
      if (cancelled) return
      register(async ({ date }) => {
        try {
          const bytes = await buildBoardPdf(
            editor,
            {
              layers: layersOf(loaded.doc),
              shown: null,
              boardName: loaded.name,
              language,
              words: { layer: (name) => t('export.subline.layer', { name }), selection: t('export.subline.selection') },
              date: new Date(date),
            },
            { paper: ARCHIVE_PDF_PAPER, orientation: 'auto' },
          )
          return { ok: true, base64: toBase64(bytes) }
        } catch (error) {
          if (error instanceof ExportError && error.code === 'empty')
            return { ok: false, reason: 'empty', detail: 'nothing drawn' }
          return { ok: false, reason: 'failed', detail: String(error) }
        }
      })
    })
    return () => {
      cancelled = true
    }
  }, [editor, loaded, language, t])

  if (!loaded) return <main className="stip-page" data-testid="archive-pdf-page" />
  return (
    <main className="stip-past" data-testid="archive-pdf-page">
      <PastCanvas view={loaded.doc} licenseKey={loaded.config.tldrawLicenseKey} onEditor={setEditor} />
    </main>
  )
}
