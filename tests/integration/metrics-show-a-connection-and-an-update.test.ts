/**
 * `/metrics` speaks Prometheus' text format, and what a client does shows in it: once a
 * participant has synced and written, there is one participant connection, at least one
 * update received, bytes both ways and a store write timed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../shared/routes.ts'
import { createBoard, UNKNOWN_TOKEN } from '../helpers/api.ts'
import { attemptUpgrade, RawClient, syncUrl } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

/** `name{labels} value` lines, keyed by `name{labels}` as written; comments skipped. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line)
    if (!match) throw new Error(`Not a Prometheus sample line: ${line}`)
    samples.set(match[1], Number(match[2]))
  }
  return samples
}

describe('the metrics endpoint', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await server?.stop()
  })

  async function scrape() {
    const response = await fetch(`${server.url}${ROUTES.metrics}`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    return parseMetrics(await response.text())
  }

  it('shows a connection and an update after a client synced and wrote', async () => {
    const board = await createBoard(server.url)
    const client = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
    await client.waitForSync()
    putRecords(client.doc, [shapeRecord('shape:counted')])
    await client.roundTrip()

    const metrics = await scrape()
    expect(metrics.get('stip_rooms')).toBe(1)
    expect(metrics.get('stip_connections{role="participant"}')).toBe(1)
    expect(metrics.get('stip_connections{role="facilitator"}')).toBe(0)
    expect(metrics.get('stip_updates_received_total')).toBeGreaterThanOrEqual(1)
    expect(metrics.get('stip_bytes_received_total')).toBeGreaterThan(0)
    expect(metrics.get('stip_bytes_sent_total')).toBeGreaterThan(0)
    expect(metrics.get('stip_messages_sent_total')).toBeGreaterThan(0)
    expect(metrics.get('stip_store_write_seconds_count')).toBeGreaterThanOrEqual(1)
    expect(metrics.get('stip_event_loop_lag_seconds{quantile="0.99"}')).toBeGreaterThanOrEqual(0)

    await client.close()
  })

  it('counts a refused upgrade by its HTTP status and reason', async () => {
    const board = await createBoard(server.url)
    expect((await attemptUpgrade(syncUrl(server.wsUrl, board.id, UNKNOWN_TOKEN))).status).toBe(403)
    expect((await attemptUpgrade(syncUrl(server.wsUrl, board.id))).status).toBe(401)
    const metrics = await scrape()
    expect(metrics.get('stip_upgrades_refused_total{status="403",reason="bad_token"}')).toBe(1)
    expect(metrics.get('stip_upgrades_refused_total{status="401",reason="no_token"}')).toBe(1)
  })
})
