/**
 * `/healthz` reports the store and the live rooms and connections; `/api/config` hands the
 * client what it needs before the editor mounts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../server/room/limits.ts'
import type { ClientConfig, HealthResponse } from '../../shared/api.ts'
import { fileBytesForAsset } from '../../shared/images.ts'
import { api, createBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

describe('the health and config endpoints', () => {
  let server: TestServer

  beforeEach(async () => {
    server = await startTestServer({ tldrawLicenseKey: 'license-for-tests' })
  })

  afterEach(async () => {
    await server.stop()
  })

  it('report the store, rooms and connections, and the client configuration', async () => {
    const idle = await api<HealthResponse>(server.url, '/healthz')
    expect(idle.status).toBe(200)
    expect(idle.body).toMatchObject({ ok: true, store: { ok: true }, rooms: 0, connections: 0 })
    expect(idle.body.uptimeSeconds).toBeGreaterThanOrEqual(0)

    const board = await createBoard(server.url)
    const client = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
    await client.waitForSync()
    const busy = await api<HealthResponse>(server.url, '/healthz')
    expect(busy.body).toMatchObject({ ok: true, rooms: 1, connections: 1 })
    await client.close()

    const config = await api<ClientConfig>(server.url, '/api/config')
    expect(config.status).toBe(200)
    expect(config.body).toEqual({
      tldrawLicenseKey: 'license-for-tests',
      createTokenRequired: false,
      version: expect.any(String),
      maxImageBytes: fileBytesForAsset(DEFAULT_LIMITS.maxAssetBytes),
    })
  })
})
