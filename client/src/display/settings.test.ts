import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { DEFAULT_DISPLAY_SETTINGS, META_DISPLAY_KEY } from '../../../shared/display.ts'
import { getMetaMap } from '../../../shared/doc.ts'
import { createDisplaySettings, writeLiveSettings } from './settings.ts'

describe(createDisplaySettings, () => {
  it('starts from the URL and lets live settings override it, as they change', () => {
    const doc = new Y.Doc()
    const live = createDisplaySettings(doc, '?mode=tour&seconds=30&join=1')
    expect(live.$settings.get()).toEqual({
      ...DEFAULT_DISPLAY_SETTINGS,
      mode: 'tour',
      tourSeconds: 30,
      showJoinCode: true,
    })

    writeLiveSettings(doc, { mode: 'overview' })
    // Only what the facilitator changed is overridden: the kiosk's join=1 stays.
    expect(live.$settings.get()).toMatchObject({ mode: 'overview', tourSeconds: 30, showJoinCode: true })

    getMetaMap(doc).set(META_DISPLAY_KEY, { mode: 'nonsense', tourSeconds: 1 })
    expect(live.$settings.get()).toMatchObject({ mode: 'tour', tourSeconds: 5 })

    live.dispose()
    writeLiveSettings(doc, { mode: 'follow' })
    expect(live.$settings.get().mode).toBe('tour')
  })
})
