/** The archive's PDF settings from the environment: Debian's Chromium unless told otherwise, and its time limit. */
import { describe, expect, it } from 'vitest'
import { ConfigError, DEFAULT_CONFIG, readConfig } from '../config.ts'

describe('the archive PDF settings', () => {
  it('use /usr/bin/chromium and 120 s unless set, and none in the library defaults', () => {
    expect(readConfig({})).toMatchObject({ chromium: '/usr/bin/chromium', archivePdfTimeoutMs: 120_000 })
    expect(DEFAULT_CONFIG.chromium).toBeNull()
    expect(readConfig({ STIP_CHROMIUM: '/opt/chromium/chrome', STIP_ARCHIVE_PDF_SECONDS: '300' })).toMatchObject({
      chromium: '/opt/chromium/chrome',
      archivePdfTimeoutMs: 300_000,
    })
    expect(readConfig({ STIP_CHROMIUM: 'off' }).chromium).toBeNull()
    expect(() => readConfig({ STIP_ARCHIVE_PDF_SECONDS: 'long' })).toThrow(ConfigError)
  })
})
