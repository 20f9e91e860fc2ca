/**
 * The edge's checks without a socket: the create token's comparison is the constant-time one,
 * which Origins may open a sync socket, which caps refuse a socket, and how they are set.
 */
import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { describe, expect, it, vi } from 'vitest'
import { UpgradeRefusal } from '../../shared/upgrade.ts'
import { ConfigError, DEFAULT_CONFIG, readConfig, type ServerConfig } from '../config.ts'
import { capacityRefusal, originAllowed, sameSecret } from './edge.ts'

// The real comparison, watched: the test asserts that it is the one that decides.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>()
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) }
})

const config = (overrides: Partial<ServerConfig> = {}): ServerConfig => ({ ...DEFAULT_CONFIG, ...overrides })
const upgrade = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage

describe(sameSecret, () => {
  it('compares equal-length digests with crypto.timingSafeEqual, whatever the lengths given', () => {
    vi.mocked(timingSafeEqual).mockClear()
    expect(sameSecret('the-create-token', 'the-create-token')).toBe(true)
    expect(sameSecret('the-create-tokeX', 'the-create-token')).toBe(false)
    expect(sameSecret('short', 'the-create-token')).toBe(false)
    expect(sameSecret('', 'the-create-token')).toBe(false)
    expect(timingSafeEqual).toHaveBeenCalledTimes(4)
    for (const [a, b] of vi.mocked(timingSafeEqual).mock.calls) {
      expect((a as Buffer).length).toBe(32)
      expect((b as Buffer).length).toBe(32)
    }
  })
})

describe(originAllowed, () => {
  const host = '127.0.0.1:8080'
  it('lets a request without Origin through: no browser sends one without it', () => {
    expect(originAllowed(upgrade({ host }), config())).toBe(true)
  })

  it('without PUBLIC_URL, takes a page from the same host and refuses any other', () => {
    expect(originAllowed(upgrade({ host, origin: 'http://127.0.0.1:8080' }), config())).toBe(true)
    expect(originAllowed(upgrade({ host: 'Stip.local:8080', origin: 'http://stip.local:8080' }), config())).toBe(true)
    expect(originAllowed(upgrade({ host, origin: 'http://127.0.0.1:9999' }), config())).toBe(false)
    expect(originAllowed(upgrade({ host, origin: 'https://evil.example' }), config())).toBe(false)
    expect(originAllowed(upgrade({ host, origin: 'null' }), config())).toBe(false)
    expect(originAllowed(upgrade({ origin: 'http://127.0.0.1:8080' }), config())).toBe(false)
  })

  it('with PUBLIC_URL, takes its origin and the allow-list only, not the Host header', () => {
    const withPublic = config({
      publicUrl: 'https://stip.gemeente.nl',
      allowedOrigins: ['https://intranet.gemeente.nl'],
    })
    expect(originAllowed(upgrade({ host, origin: 'https://stip.gemeente.nl' }), withPublic)).toBe(true)
    expect(originAllowed(upgrade({ host, origin: 'https://intranet.gemeente.nl' }), withPublic)).toBe(true)
    expect(originAllowed(upgrade({ host, origin: 'http://stip.gemeente.nl' }), withPublic)).toBe(false)
    expect(originAllowed(upgrade({ host, origin: 'http://127.0.0.1:8080' }), withPublic)).toBe(false)
    expect(originAllowed(upgrade({ host: 'evil.example', origin: 'https://evil.example' }), withPublic)).toBe(false)
  })
})

describe(capacityRefusal, () => {
  const caps = config({ maxRooms: 2, maxConnections: 3 })
  it('refuses a socket beyond the connection cap, and a new room beyond the room cap', () => {
    expect(capacityRefusal({ rooms: 1, connections: 2, roomLoaded: false }, caps)).toBeNull()
    expect(capacityRefusal({ rooms: 2, connections: 2, roomLoaded: true }, caps)).toBeNull()
    expect(capacityRefusal({ rooms: 2, connections: 2, roomLoaded: false }, caps)).toBe(UpgradeRefusal.TooManyRooms)
    expect(capacityRefusal({ rooms: 1, connections: 3, roomLoaded: true }, caps)).toBe(
      UpgradeRefusal.TooManyConnections,
    )
  })
})

describe('the edge settings', () => {
  it('reads origins and caps from the environment, with generous defaults', () => {
    const defaults = readConfig({})
    expect(defaults).toMatchObject({ allowedOrigins: [], maxRooms: 1000, maxConnections: 10_000 })
    const set = readConfig({
      STIP_ALLOWED_ORIGINS: 'https://intranet.gemeente.nl, http://localhost:5173/',
      STIP_MAX_ROOMS: '5',
      STIP_MAX_CONNECTIONS: '50',
    })
    expect(set).toMatchObject({
      allowedOrigins: ['https://intranet.gemeente.nl', 'http://localhost:5173'],
      maxRooms: 5,
      maxConnections: 50,
    })
  })

  it('refuses a setting that is not what it says', () => {
    expect(() => readConfig({ STIP_ALLOWED_ORIGINS: 'https://stip.nl/board' })).toThrow(ConfigError)
    expect(() => readConfig({ STIP_ALLOWED_ORIGINS: 'stip.nl' })).toThrow(ConfigError)
    expect(() => readConfig({ STIP_MAX_ROOMS: '0' })).toThrow(ConfigError)
    expect(() => readConfig({ STIP_MAX_CONNECTIONS: 'many' })).toThrow(ConfigError)
  })
})
