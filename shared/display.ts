/**
 * The wall display's settings. A kiosk browser needs only its URL, so every setting can be
 * given as a URL parameter; a facilitator can change them live for every connected display
 * of the board, through `meta.display` in the document (facilitators only may write it).
 *
 * URL parameters (all optional): `mode=overview|follow|tour`, `seconds=<tour seconds per
 * stop, 5–600>`, `join=1` (show the join code), `contrast=high`, `cursors=1`.
 */
export const DISPLAY_MODES = ['overview', 'follow', 'tour'] as const
export type DisplayMode = (typeof DISPLAY_MODES)[number]

/** Key in the `meta` map of the live settings a facilitator set. */
export const META_DISPLAY_KEY = 'display'

export interface DisplaySettings {
  /** overview: fit everything; follow: the facilitator's view; tour: north star → each department → back. */
  mode: DisplayMode
  /** Seconds per tour stop. */
  tourSeconds: number
  /** Show the corner panel with a QR code and short URL to join as a participant. */
  showJoinCode: boolean
  /** The participant link the join code opens (chosen by the facilitator); null: none. */
  joinLink: string | null
  highContrast: boolean
  /** Show participants' cursors. */
  showCursors: boolean
}

export const DEFAULT_DISPLAY_SETTINGS: DisplaySettings = {
  mode: 'overview',
  tourSeconds: 20,
  showJoinCode: false,
  joinLink: null,
  highContrast: false,
  showCursors: false,
}

export const MIN_TOUR_SECONDS = 5
export const MAX_TOUR_SECONDS = 600

/** Settings given in a display URL's query string; unknown or bad values are ignored. */
export function parseDisplayParams(search: string): Partial<DisplaySettings> {
  const params = new URLSearchParams(search)
  const settings: Partial<DisplaySettings> = {}
  const mode = params.get('mode')
  if ((DISPLAY_MODES as readonly string[]).includes(mode ?? '')) settings.mode = mode as DisplayMode
  const seconds = Number(params.get('seconds'))
  if (params.has('seconds') && Number.isFinite(seconds)) {
    settings.tourSeconds = Math.min(MAX_TOUR_SECONDS, Math.max(MIN_TOUR_SECONDS, Math.round(seconds)))
  }
  if (params.has('join')) settings.showJoinCode = params.get('join') !== '0'
  if (params.has('contrast')) settings.highContrast = params.get('contrast') === 'high'
  if (params.has('cursors')) settings.showCursors = params.get('cursors') !== '0'
  return settings
}

/** Checks live settings from the document; returns the valid fields only. */
export function sanitizeDisplaySettings(value: unknown): Partial<DisplaySettings> {
  if (typeof value !== 'object' || value === null) return {}
  const input = value as Record<string, unknown>
  const settings: Partial<DisplaySettings> = {}
  if ((DISPLAY_MODES as readonly unknown[]).includes(input.mode)) settings.mode = input.mode as DisplayMode
  if (typeof input.tourSeconds === 'number' && Number.isFinite(input.tourSeconds)) {
    settings.tourSeconds = Math.min(MAX_TOUR_SECONDS, Math.max(MIN_TOUR_SECONDS, Math.round(input.tourSeconds)))
  }
  if (typeof input.showJoinCode === 'boolean') settings.showJoinCode = input.showJoinCode
  if (typeof input.joinLink === 'string' || input.joinLink === null) settings.joinLink = input.joinLink as string | null
  if (typeof input.highContrast === 'boolean') settings.highContrast = input.highContrast
  if (typeof input.showCursors === 'boolean') settings.showCursors = input.showCursors
  return settings
}
