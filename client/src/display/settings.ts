/**
 * The display's settings, live: the URL's parameters (the kiosk's configuration), then
 * whatever a facilitator set for every display of the board in `meta.display` on top. The
 * key is bound with `sync/meta.ts`, so a facilitator's change reaches a running display
 * within a second.
 */
import { computed, isEqual, type Signal } from 'tldraw'
import type * as Y from 'yjs'
import {
  DEFAULT_DISPLAY_SETTINGS,
  type DisplaySettings,
  META_DISPLAY_KEY,
  parseDisplayParams,
  sanitizeDisplaySettings,
} from '../../../shared/display.ts'
import { bindMeta, type MetaKey, writeMeta } from '../sync/meta.ts'

/** `meta.display`: the live settings a facilitator set, checked by the shared validator. */
export const DISPLAY_META: MetaKey<DisplaySettings> = { key: META_DISPLAY_KEY, sanitize: sanitizeDisplaySettings }

/**
 * [1] The query string as the page was opened. Taken when this module loads, before any
 * `history.replaceState` (token removal, layer navigation) could rewrite the address.
 */
const INITIAL_SEARCH = typeof location === 'undefined' ? '' : location.search

export interface LiveDisplaySettings {
  $settings: Signal<DisplaySettings>
  dispose(): void
}

/** URL settings overridden by the live ones; re-read whenever `meta.display` changes. */
export function createDisplaySettings(doc: Y.Doc, search: string = INITIAL_SEARCH): LiveDisplaySettings {
  const fromUrl = parseDisplayParams(search)
  const live = bindMeta(doc, DISPLAY_META)
  const $settings = computed<DisplaySettings>(
    'stip display settings',
    () => ({ ...DEFAULT_DISPLAY_SETTINGS, ...fromUrl, ...live.$value.get() }),
    { isEqual },
  )
  return { $settings, dispose: live.dispose }
}

/**
 * Writes live settings for every display of the board (facilitators only; the server
 * refuses the update from anyone else). Only the fields a facilitator ever set are
 * written, so a kiosk's own URL parameters (say `join=1`) hold until someone changes
 * that very setting.
 */
export function writeLiveSettings(doc: Y.Doc, patch: Partial<DisplaySettings>): void {
  writeMeta(doc, DISPLAY_META, patch)
}
