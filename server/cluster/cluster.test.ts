/** The cluster settings read from the environment, and how a hop from a peer is told from a client. */
import { describe, expect, it } from 'vitest'
import { CLUSTER_HOP_HEADER } from '../../shared/routes.ts'
import { ConfigError, DEFAULT_LEASE_MS, readConfig } from '../config.ts'
import { hopOf } from './hop.ts'

const secret = 'c'.repeat(40)

describe('the cluster settings', () => {
  it('are off without DATABASE_URL: one process on SQLite, as before', () => {
    expect(readConfig({})).toMatchObject({ databaseUrl: null, databaseSchema: 'public', cluster: null })
  })

  it('come with DATABASE_URL, which needs the shared secret', () => {
    const url = 'postgres://stip@db.gemeente.nl/stip'
    expect(() => readConfig({ DATABASE_URL: url })).toThrow(/STIP_CLUSTER_SECRET/)
    expect(() => readConfig({ DATABASE_URL: url, STIP_CLUSTER_SECRET: 'short' })).toThrow(ConfigError)
    expect(readConfig({ DATABASE_URL: url, STIP_CLUSTER_SECRET: secret })).toMatchObject({
      databaseUrl: url,
      cluster: { secret, internalUrl: null, leaseMs: DEFAULT_LEASE_MS },
    })
    expect(
      readConfig({
        DATABASE_URL: url,
        STIP_CLUSTER_SECRET: secret,
        STIP_INTERNAL_URL: 'http://10.0.0.5:8080/',
        STIP_LEASE_MS: '5000',
        STIP_DATABASE_SCHEMA: 'stip',
      }),
    ).toMatchObject({ databaseSchema: 'stip', cluster: { internalUrl: 'http://10.0.0.5:8080', leaseMs: 5000 } })
  })

  it('refuses what is not what it says', () => {
    const base = { DATABASE_URL: 'postgres://db/stip', STIP_CLUSTER_SECRET: secret }
    expect(() => readConfig({ DATABASE_URL: 'mysql://db/stip', STIP_CLUSTER_SECRET: secret })).toThrow(ConfigError)
    expect(() => readConfig({ ...base, STIP_INTERNAL_URL: '10.0.0.5:8080' })).toThrow(ConfigError)
    expect(() => readConfig({ ...base, STIP_LEASE_MS: '100' })).toThrow(ConfigError)
    expect(() => readConfig({ STIP_DATABASE_SCHEMA: 'Stip; DROP' })).toThrow(ConfigError)
  })
})

describe(hopOf, () => {
  it('tells a peer with the secret from one without, and from a plain client', () => {
    expect(hopOf({}, secret)).toBeNull()
    expect(hopOf({ [CLUSTER_HOP_HEADER]: secret }, secret)).toBe('valid')
    expect(hopOf({ [CLUSTER_HOP_HEADER]: 'guess' }, secret)).toBe('invalid')
    expect(hopOf({ [CLUSTER_HOP_HEADER]: secret }, undefined)).toBe('invalid')
  })
})
