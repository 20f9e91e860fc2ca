/**
 * The one place the client reads its runtime configuration: `GET /api/config`, once,
 * before the editor mounts. Everything else imports `loadConfig()` and shares the answer.
 */
import type { ClientConfig } from '../../shared/api.ts'
import { DEFAULT_MAX_IMAGE_FILE_BYTES } from '../../shared/images.ts'
import { ROUTES } from '../../shared/routes.ts'
import { safeGet, safeSet } from './storage.ts'

// The last answer, so a reload while offline still mounts a licensed editor.
const REMEMBERED_KEY = 'stip:config'

let pending: Promise<ClientConfig> | null = null

/** Fetches `/api/config` the first time it is called; later calls share that answer. */
export function loadConfig(): Promise<ClientConfig> {
  pending ??= fetchConfig().then(
    (config) => {
      safeSet(REMEMBERED_KEY, JSON.stringify(config))
      return config
    },
    (error: unknown) => {
      // Forget a failed attempt, so that the next call (a retry) asks again.
      pending = null
      const remembered = safeGet(REMEMBERED_KEY)
      if (remembered) return parseConfig(JSON.parse(remembered))
      throw error
    },
  )
  return pending
}

async function fetchConfig(): Promise<ClientConfig> {
  const response = await fetch(ROUTES.config, { headers: { Accept: 'application/json' } })
  if (!response.ok) throw new Error(`GET ${ROUTES.config} answered ${response.status}`)
  return parseConfig(await response.json())
}

function parseConfig(value: unknown): ClientConfig {
  const body = (value ?? {}) as Partial<ClientConfig>
  return {
    tldrawLicenseKey: typeof body.tldrawLicenseKey === 'string' && body.tldrawLicenseKey ? body.tldrawLicenseKey : null,
    createTokenRequired: body.createTokenRequired === true,
    version: typeof body.version === 'string' ? body.version : 'unknown',
    maxImageBytes:
      typeof body.maxImageBytes === 'number' && body.maxImageBytes >= 0
        ? body.maxImageBytes
        : DEFAULT_MAX_IMAGE_FILE_BYTES,
  }
}
