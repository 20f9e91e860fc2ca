/**
 * The pages of a board's past, for its facilitator: the replay (`/b/<board>/history`), a
 * time slider and a play button over the board's whole life, and one version
 * (`/b/<board>/versions/<id>`), shown read-only in a frame that says which version it is,
 * with the way to set the board back to it. Both draw on a canvas of their own
 * (`PastCanvas`), never the live board's.
 *
 * Replay: the server lists up to 600 moments spread over the board's changes; the slider
 * steps through them, and playing shows all of them in about a minute. Moving forward asks
 * only for what changed since the moment shown; moving back asks for the whole board then.
 * A request still running when the slider moves again is overtaken: only the last one counts.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { atom, Box, type Editor, type TLShape } from 'tldraw'
import * as Y from 'yjs'
import type { ClientConfig } from '../../../shared/api.ts'
import { boardPath } from '../../../shared/board.ts'
import { decodeRecord, getRecordsMap } from '../../../shared/doc.ts'
import type { HistoryInfoResponse, VersionContentResponse } from '../../../shared/historyApi.ts'
import { isLayerId, type LayerRecord, layerOfShape, subtreeOf } from '../../../shared/layers.ts'
import { fetchSession } from '../api.ts'
import { rememberSession, takeBoardToken } from '../app/access.ts'
import { loadConfig } from '../config.ts'
import { type MessageKey, useI18n } from '../i18n.ts'
import { LanguageSwitch } from '../ui/LanguageSwitch.tsx'
import { fetchHistory, fetchHistoryState, fetchVersion, restoreVersion } from './api.ts'
import { docFromUpdate, mirrorRecords, recordsById, storedRecordsOf } from './mirror.ts'
import { PastCanvas } from './PastCanvas.tsx'
import { versionKind } from './VersionsPanel.tsx'
import './history.css'

/** The whole life in about this long, whatever the number of moments. */
const PLAY_MS = 60_000

type Access =
  | { kind: 'loading' }
  | { kind: 'problem'; message: MessageKey }
  | { kind: 'ready'; token: string; config: ClientConfig }

/** The token of this board's facilitator, or why not. */
function useFacilitator(boardId: string): Access {
  const [access, setAccess] = useState<Access>({ kind: 'loading' })
  useEffect(() => {
    const token = takeBoardToken(boardId)
    if (!token) {
      setAccess({ kind: 'problem', message: 'board.noToken' })
      return
    }
    void Promise.all([fetchSession(boardId, token), loadConfig()]).then(([session, config]) => {
      if (!session.ok) setAccess({ kind: 'problem', message: 'board.denied' })
      else if (session.value.role !== 'facilitator') setAccess({ kind: 'problem', message: 'board.denied' })
      else {
        rememberSession(session.value)
        document.title = `${session.value.name} — Stip`
        setAccess({ kind: 'ready', token, config })
      }
    })
  }, [boardId])
  return access
}

function Problem({ access }: { access: Access }) {
  const { t } = useI18n()
  return (
    <main className="stip-page stip-center">
      <LanguageSwitch />
      <div className="stip-card" data-testid="board-problem">
        <p>{access.kind === 'problem' ? t(access.message) : t('history.loading')}</p>
      </div>
    </main>
  )
}

function formatTime(ms: number | string, language: string): string {
  return new Date(ms).toLocaleString(language === 'nl' ? 'nl-NL' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  })
}

const shapeCount = (doc: Y.Doc) => {
  let count = 0
  for (const id of getRecordsMap(doc).keys()) if (id.startsWith('shape:')) count++
  return count
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

export function ReplayPage({ boardId }: { boardId: string }) {
  const access = useFacilitator(boardId)
  if (access.kind !== 'ready') return <Problem access={access} />
  return <Replay boardId={boardId} token={access.token} config={access.config} />
}

function Replay({ boardId, token, config }: { boardId: string; token: string; config: ClientConfig }) {
  const { t, language } = useI18n()
  const [info, setInfo] = useState<HistoryInfoResponse | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [index, setIndex] = useState(0)
  const [playing, setPlaying] = useState(false)
  const [shown, setShown] = useState<{ index: number; shapes: number } | null>(null)
  const [follow, setFollow] = useState<string>('')
  const [layers, setLayers] = useState<Map<string, LayerRecord>>(new Map())
  const view = useMemo(() => new Y.Doc(), [])
  const hidden = useMemo(() => atom<((shape: TLShape) => boolean) | null>('hidden', null), [])
  const editorRef = useRef<Editor | null>(null)
  /** The server's document at the moment shown (exact, so the next step can build on it). */
  const current = useRef<{ seq: number; doc: Y.Doc } | null>(null)
  const latest = useRef(0)

  useEffect(() => {
    void fetchHistory(boardId, token).then((result) => {
      if (!result.ok) return setError(result.message)
      setInfo(result.value)
      setIndex(Math.max(0, result.value.moments.length - 1))
    })
  }, [boardId, token])

  // Seek: forward from what is shown asks for the change only; anything else the whole board.
  useEffect(() => {
    const moment = info?.moments[index]
    if (!moment) return
    const request = ++latest.current
    const base = current.current
    const forward = base !== null && base.seq < moment.seq
    void fetchHistoryState(boardId, token, moment.seq, forward ? base.seq : undefined).then((update) => {
      if (request !== latest.current || !update) return
      let doc: Y.Doc
      if (forward && current.current === base && base) {
        Y.applyUpdate(base.doc, update)
        doc = base.doc
      } else {
        current.current?.doc.destroy()
        doc = docFromUpdate(update)
      }
      current.current = { seq: moment.seq, doc }
      mirrorRecords(view, storedRecordsOf(doc))
      setLayers(layersOf(doc))
      setShown({ index, shapes: shapeCount(doc) })
    })
  }, [info, index, boardId, token, view])

  // Play: the whole life in about a minute, from the start if at the end.
  useEffect(() => {
    if (!playing || !info) return
    const count = info.moments.length
    const step = Math.min(1000, Math.max(50, PLAY_MS / Math.max(1, count)))
    const timer = setInterval(() => {
      setIndex((i) => {
        if (i + 1 >= count) {
          setPlaying(false)
          return i
        }
        return i + 1
      })
    }, step)
    return () => clearInterval(timer)
  }, [playing, info])

  // Follow one layer: everything outside it (and its sub-layers) hidden, the camera on it.
  useEffect(() => {
    if (!follow) hidden.set(null)
    else {
      const keep = subtreeOf(layers, follow)
      hidden.set((shape) => !keep.has(layerOfShape(shape)))
    }
  }, [follow, layers, hidden])
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new layer followed moves the camera
  useEffect(() => {
    const editor = editorRef.current
    if (!editor) return
    const shown = editor.getCurrentPageShapes().filter((shape) => !hidden.get()?.(shape))
    const bounds = Box.Common(shown.map((shape) => editor.getShapePageBounds(shape)).filter((b) => b !== undefined))
    if (shown.length > 0) editor.zoomToBounds(bounds, { animation: { duration: 300 }, inset: 64 })
  }, [follow, hidden])

  if (error) return <Problem access={{ kind: 'problem', message: 'board.denied' }} />
  if (!info) return <Problem access={{ kind: 'loading' }} />
  const count = info.moments.length
  const moment = info.moments[index]
  return (
    <div className="stip-past" data-testid="replay">
      <header className="stip-past__frame" data-testid="replay-frame">
        <h1>{t('history.replayTitle')}</h1>
        <p role="status" data-testid="replay-time">
          {count === 0 ? t('history.empty') : t('history.replayFrame', { time: formatTime(moment.at, language) })}{' '}
          {shown && <span data-testid="replay-shape-count">{t('history.shapes', { count: shown.shapes })}</span>}
        </p>
        <div className="stip-past__controls">
          <button
            type="button"
            data-testid="replay-play"
            disabled={count < 2}
            onClick={() => {
              if (!playing && index >= count - 1) setIndex(0)
              setPlaying(!playing)
            }}
          >
            {playing ? t('history.pause') : t('history.play')}
          </button>
          <input
            type="range"
            data-testid="replay-slider"
            min={0}
            max={Math.max(0, count - 1)}
            value={index}
            aria-label={t('history.slider')}
            aria-valuetext={moment ? formatTime(moment.at, language) : undefined}
            onChange={(event) => {
              setPlaying(false)
              setIndex(Number(event.target.value))
            }}
          />
          <span className="stip-past__count" data-testid="replay-moment" data-index={shown?.index ?? -1}>
            {t('history.moment', { n: index + 1, total: count })}
          </span>
          <label>
            {t('history.follow')}{' '}
            <select data-testid="replay-follow" value={follow} onChange={(event) => setFollow(event.target.value)}>
              <option value="">{t('history.followAll')}</option>
              {[...layers.values()].map((layer) => (
                <option key={layer.id} value={layer.id}>
                  {layer.name}
                </option>
              ))}
            </select>
          </label>
          <a href={boardPath(boardId)}>{t('history.toBoard')}</a>
        </div>
      </header>
      <PastCanvas
        view={view}
        licenseKey={config.tldrawLicenseKey}
        hidden={hidden}
        onEditor={(editor) => {
          editorRef.current = editor
        }}
      />
    </div>
  )
}

export function VersionPage({ boardId, versionId }: { boardId: string; versionId: string }) {
  const access = useFacilitator(boardId)
  if (access.kind !== 'ready') return <Problem access={access} />
  return <Version boardId={boardId} versionId={versionId} token={access.token} config={access.config} />
}

function Version({
  boardId,
  versionId,
  token,
  config,
}: {
  boardId: string
  versionId: string
  token: string
  config: ClientConfig
}) {
  const { t, language } = useI18n()
  const [content, setContent] = useState<VersionContentResponse | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [failed, setFailed] = useState(false)
  const view = useMemo(() => new Y.Doc(), [])
  const editor = useRef<Editor | null>(null)

  useEffect(() => {
    void fetchVersion(boardId, versionId, token).then((result) => {
      if (!result.ok) return setFailed(true)
      mirrorRecords(view, recordsById(result.value.records))
      setContent(result.value)
    })
  }, [boardId, versionId, token, view])
  const shapes = content ? shapeCount(view) : 0

  if (failed) return <Problem access={{ kind: 'problem', message: 'board.notFound' }} />
  if (!content) return <Problem access={{ kind: 'loading' }} />
  const { version } = content
  const restore = async () => {
    if (!window.confirm(t('history.restoreConfirm', { name: version.name }))) return
    const result = await restoreVersion(boardId, versionId, token)
    if (!result.ok) setNotice(t('history.error', { message: result.message }))
    else setNotice(t(result.value.changed === 0 ? 'history.unchanged' : 'history.restored'))
  }
  return (
    <div className="stip-past stip-past--version" data-testid="version-view">
      <header className="stip-past__frame" data-testid="version-frame">
        <h1>{version.name}</h1>
        <p data-testid="version-frame-text">
          {t('history.frame', { name: version.name, time: formatTime(version.created, language) })} (
          {versionKind(t, version)}, {t('history.shapes', { count: shapes })})
        </p>
        <div className="stip-past__controls">
          <button type="button" data-testid="version-restore" onClick={() => void restore()}>
            {t('history.restore')}
          </button>
          <a href={boardPath(boardId)}>{t('history.toBoard')}</a>
        </div>
        {notice && (
          <p role="status" data-testid="version-notice">
            {notice}
          </p>
        )}
      </header>
      <PastCanvas
        view={view}
        licenseKey={config.tldrawLicenseKey}
        onEditor={(mounted) => {
          editor.current = mounted
        }}
      />
    </div>
  )
}
