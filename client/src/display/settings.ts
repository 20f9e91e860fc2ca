/**
 * The display's settings, live: the URL's parameters (the kiosk's configuration), then
 * whatever a facilitator set for every display of the board in `meta.display` on top. The
 * Y map is observed, so a facilitator's change reaches a running display within a second.
 */
import { atom, type Signal } from 'tldraw'
import type * as Y from 'yjs'
import {
  DEFAULT_DISPLAY_SETTINGS,
  type DisplaySettings,
  META_DISPLAY_KEY,
  parseDisplayParams,
  sanitizeDisplaySettings,
} from '../../../shared/display.ts'
import { getMetaMap } from '../../../shared/doc.ts'

/**
 * [1] The query string as the page was opened. Taken when this module loads, before any
 * `history.replaceState` (token removal, layer navigation) could rewrite the address.
 */
const INITIAL_SEARCH = typeof location === 'undefined' ? '' : location.search

export interface LiveDisplaySettings {
  $settings: Signal<DisplaySettings>
  dispose(): void
}

/** What the facilitator set, checked (an empty object when nothing or nonsense). */
export function readLiveSettings(doc: Y.Doc): Partial<DisplaySettings> {
  return sanitizeDisplaySettings(getMetaMap(doc).get(META_DISPLAY_KEY))
}

/** URL settings overridden by the live ones; re-read whenever `meta.display` changes. */
export function createDisplaySettings(doc: Y.Doc, search: string = INITIAL_SEARCH): LiveDisplaySettings {
  const fromUrl = parseDisplayParams(search)
  const read = (): DisplaySettings => ({ ...DEFAULT_DISPLAY_SETTINGS, ...fromUrl, ...readLiveSettings(doc) })
  const $settings = atom<DisplaySettings>('stip display settings', read(), { isEqual: sameSettings })
  const meta = getMetaMap(doc)
  const onChange = (event: Y.YMapEvent<unknown>) => {
    if (event.keysChanged.has(META_DISPLAY_KEY)) $settings.set(read())
  }
  meta.observe(onChange)
  return { $settings, dispose: () => meta.unobserve(onChange) }
}

/**
 * Writes live settings for every display of the board (facilitators only; the server
 * refuses the update from anyone else). Only the fields a facilitator ever set are
 * written, so a kiosk's own URL parameters (say `join=1`) hold until someone changes
 * that very setting.
 */
export function writeLiveSettings(doc: Y.Doc, patch: Partial<DisplaySettings>): void {
  const meta = getMetaMap(doc)
  const next = { ...readLiveSettings(doc), ...patch }
  doc.transact(() => meta.set(META_DISPLAY_KEY, next))
}

function sameSettings(a: DisplaySettings, b: DisplaySettings): boolean {
  return (
    a.mode === b.mode &&
    a.tourSeconds === b.tourSeconds &&
    a.showJoinCode === b.showJoinCode &&
    a.joinLink === b.joinLink &&
    a.highContrast === b.highContrast &&
    a.showCursors === b.showCursors
  )
}
