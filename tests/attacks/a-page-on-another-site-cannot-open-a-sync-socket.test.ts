/**
 * Cross-site WebSocket hijacking: a page on another site that gets hold of a link cannot
 * make a visitor's browser sync with it. The upgrade is refused with 403 and the reason
 * `origin_not_allowed` before the token is even looked at, logged and counted; pages from
 * PUBLIC_URL (or, without it, this server's own host) and STIP_ALLOWED_ORIGINS sync as
 * always, and so do programs, which send no Origin. Honest sockets never notice.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { ROUTES } from '../../shared/routes.ts'
import { UpgradeRefusal } from '../../shared/upgrade.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { CANARY_BOUND_MS, startCanary } from '../helpers/canary.ts'
import { RawClient, syncUrl } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { type ServerOptions, startTestServer, type TestServer } from '../helpers/server.ts'
import { upgradeWithOrigin } from '../helpers/upgrade.ts'
import { waitFor } from '../helpers/wait.ts'

describe('the Origin of a sync upgrade', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []

  async function start(options: ServerOptions = {}) {
    server = await startTestServer(options)
    board = await createBoard(server.url, 'Origins')
  }

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  const url = () => syncUrl(server.wsUrl, board.id, board.tokens.participant)
  async function expectOpens(origin: string | undefined) {
    const answer = await upgradeWithOrigin(url(), origin)
    expect(answer.status, `Origin ${origin}`).toBeNull()
    answer.socket?.terminate()
  }
  async function expectRefused(origin: string) {
    const answer = await upgradeWithOrigin(url(), origin)
    expect([answer.status, answer.body], `Origin ${origin}`).toEqual([
      UpgradeRefusal.OriginNotAllowed.status,
      UpgradeRefusal.OriginNotAllowed.reason,
    ])
  }

  it('without PUBLIC_URL, refuses pages from other sites and takes its own host and programs', async () => {
    await start()
    const facilitator = await RawClient.connect(server.wsUrl, board.id, board.tokens.facilitator)
    clients.push(facilitator)
    await facilitator.waitForSync()
    const canary = await startCanary(server.wsUrl, board.id, board.tokens.display)

    for (const origin of ['https://evil.example', 'http://127.0.0.1:1', 'null', 'http://localhost.evil.example']) {
      await expectRefused(origin)
    }
    await expectOpens(server.url) // the page this server served
    await expectOpens(undefined) // a program: no Origin

    // The honest socket kept working throughout, and the server answered the canary in time.
    putRecords(facilitator.doc, [shapeRecord('shape:duringOrigins')])
    const peer = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
    clients.push(peer)
    await waitFor(() => getRecordsMap(peer.doc).has('shape:duringOrigins'), {
      message: 'a fresh peer to get the facilitator’s shape',
    })
    expect((await canary.stop()).maxMs).toBeLessThan(CANARY_BOUND_MS)

    // Counted: an administrator sees refusals by status on /metrics.
    const metrics = await (await fetch(`${server.url}${ROUTES.metrics}`)).text()
    expect(metrics).toMatch(/stip_upgrades_refused_total\{status="403",reason="origin_not_allowed"\} 4/)
  })

  it('with PUBLIC_URL, takes its origin and STIP_ALLOWED_ORIGINS, and no longer the bare host', async () => {
    await start({ publicUrl: 'https://stip.gemeente.nl', allowedOrigins: ['https://intranet.gemeente.nl'] })
    await expectOpens('https://stip.gemeente.nl')
    await expectOpens('https://intranet.gemeente.nl')
    await expectOpens(undefined)
    await expectRefused(server.url)
    await expectRefused('http://stip.gemeente.nl')
    await expectRefused('https://stip.gemeente.nl.evil.example')
  })
})
