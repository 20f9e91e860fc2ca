/**
 * The facilitator's remote control for every wall display of the board: view (overview,
 * follow me, tour), seconds per tour stop, the join code and the participant link behind
 * it, cursors, contrast. Each change is written to `meta.display` in the document, which
 * every connected display observes — so it applies at once, with nobody at the kiosk.
 * Below them, the links handed out on this board, to revoke (LinksPanel). It lives in the
 * facilitator's panel (`FacilitatorPanel`, its "Wall displays" tab: `embedded`).
 */
import { useState } from 'react'
import { type Editor, useValue } from 'tldraw'
import {
  DEFAULT_DISPLAY_SETTINGS,
  DISPLAY_MODES,
  type DisplayMode,
  type DisplaySettings,
  MAX_TOUR_SECONDS,
  MIN_TOUR_SECONDS,
} from '../../../shared/display.ts'
import { flattenLayers, ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { createJoinLink } from '../api.ts'
import type { BoardState } from '../app/boardState.ts'
import { readLayerRecords } from '../display/camera.ts'
import { DISPLAY_META } from '../display/settings.ts'
import { useI18n } from '../i18n.ts'
import { useMetaBinding } from '../sync/meta.ts'
import { LinksPanel } from './LinksPanel.tsx'
import '../display/display.css'

const MODE_LABEL = {
  overview: 'display.controls.mode.overview',
  follow: 'display.controls.mode.follow',
  tour: 'display.controls.mode.tour',
} as const

export interface DisplayControlsProps {
  editor: Editor
  board: BoardState
  token: string
  /** Inside the facilitator's panel: always open, no button of its own. */
  embedded?: boolean
}

export function DisplayControls({ editor, board, token, embedded = false }: DisplayControlsProps) {
  const { t } = useI18n()
  const [open, setOpen] = useState(false)
  const live = useMetaBinding(board.connection.doc, DISPLAY_META)
  // What was set, defaults for the rest: what the displays show, URL parameters aside.
  const settings: DisplaySettings = { ...DEFAULT_DISPLAY_SETTINGS, ...useValue(live.$value) }
  const layers = useValue('display control layers', () => flattenLayers(readLayerRecords(editor)), [editor])
  const [linkLayer, setLinkLayer] = useState<string>(ROOT_LAYER_ID)
  const [linkError, setLinkError] = useState<string | null>(null)
  const [linksMade, setLinksMade] = useState(0)
  const write = live.write

  async function makeLink() {
    setLinkError(null)
    const result = await createJoinLink(board.boardId, token, linkLayer)
    if (result.ok) {
      write({ joinLink: result.value.link, showJoinCode: true })
      setLinksMade((count) => count + 1)
    } else setLinkError(t('display.controls.linkError', { message: result.message }))
  }

  if (!open && !embedded) {
    return (
      <button
        type="button"
        className="stip-display-controls__open"
        data-testid="display-controls-open"
        onClick={() => setOpen(true)}
      >
        {t('display.controls.open')}
      </button>
    )
  }
  return (
    <section
      className={`stip-display-controls${embedded ? ' stip-display-controls--embedded' : ''}`}
      data-testid="display-controls"
      aria-label={t('display.controls.title')}
    >
      {!embedded && (
        <header>
          <strong>{t('display.controls.title')}</strong>
          <button type="button" onClick={() => setOpen(false)} aria-label={t('display.controls.close')}>
            ×
          </button>
        </header>
      )}
      <p className="stip-display-controls__help">{t('display.controls.help')}</p>
      <label>
        {t('display.controls.mode')}
        <select
          data-testid="display-controls-mode"
          value={settings.mode}
          onChange={(event) => write({ mode: event.target.value as DisplayMode })}
        >
          {DISPLAY_MODES.map((mode) => (
            <option key={mode} value={mode}>
              {t(MODE_LABEL[mode])}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('display.controls.seconds')}
        <input
          type="number"
          data-testid="display-controls-seconds"
          min={MIN_TOUR_SECONDS}
          max={MAX_TOUR_SECONDS}
          value={settings.tourSeconds}
          onChange={(event) => {
            const seconds = Number(event.target.value)
            if (Number.isFinite(seconds) && seconds >= MIN_TOUR_SECONDS) write({ tourSeconds: seconds })
          }}
        />
      </label>
      <label className="stip-display-controls__check">
        <input
          type="checkbox"
          data-testid="display-controls-join"
          checked={settings.showJoinCode}
          onChange={(event) => write({ showJoinCode: event.target.checked })}
        />
        {t('display.controls.join')}
      </label>
      <label>
        {t('display.controls.joinLink')}
        <input
          type="url"
          data-testid="display-controls-join-link"
          placeholder={t('display.controls.joinLinkPlaceholder')}
          value={settings.joinLink ?? ''}
          onChange={(event) => write({ joinLink: event.target.value.trim() || null })}
        />
      </label>
      <div className="stip-display-controls__row">
        <span id="stip-make-link-label">{t('display.controls.makeLink')}</span>
        <select
          aria-labelledby="stip-make-link-label"
          value={linkLayer}
          onChange={(event) => setLinkLayer(event.target.value)}
        >
          {layers.map(({ layer, depth }) => (
            <option key={layer.id} value={layer.id}>
              {'\u00a0'.repeat(depth * 2)}
              {layer.name}
            </option>
          ))}
        </select>
        <button type="button" data-testid="display-controls-make-link" onClick={() => void makeLink()}>
          {t('display.controls.make')}
        </button>
      </div>
      {linkError && <p className="stip-warning">{linkError}</p>}
      <label className="stip-display-controls__check">
        <input
          type="checkbox"
          checked={settings.showCursors}
          onChange={(event) => write({ showCursors: event.target.checked })}
        />
        {t('display.controls.cursors')}
      </label>
      <label className="stip-display-controls__check">
        <input
          type="checkbox"
          checked={settings.highContrast}
          onChange={(event) => write({ highContrast: event.target.checked })}
        />
        {t('display.controls.contrast')}
      </label>
      <LinksPanel
        boardId={board.boardId}
        token={token}
        layerName={(id) => layers.find(({ layer }) => layer.id === id)?.layer.name ?? id}
        refreshKey={linksMade}
      />
    </section>
  )
}
