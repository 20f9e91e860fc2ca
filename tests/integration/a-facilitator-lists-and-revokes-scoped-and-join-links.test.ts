/**
 * A scoped link or a join link, once handed out, can be taken back: a facilitator lists
 * every one (by id, kind, role, layer and time, never a token or its hash) and revokes one
 * by id. Its token then stops everywhere at once: the API, the upgrade, the join redirect,
 * and the sockets already open with it (closed 4401, final for clients). Every other link
 * keeps working, and nobody but a facilitator can list or revoke.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { hashToken } from '../../server/tokens.ts'
import type {
  ApiError,
  CreateJoinLinkResponse,
  CreateLinkResponse,
  LinkListResponse,
  RevokeLinkResponse,
} from '../../shared/api.ts'
import { META_DISPLAY_KEY } from '../../shared/display.ts'
import { getMetaMap, getRecordsMap } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { JEUGD, type LayeredBoard, SOCIAAL, shapeInLayer, startLayeredBoard } from '../helpers/layers.ts'
import { attemptUpgrade, RawClient, syncUrl } from '../helpers/raw-client.ts'
import { putRecords, updateFrom } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

describe('listing and revoking links', () => {
  let env: LayeredBoard
  /** The link to Sociaal domein that the layered board starts with. */
  let sociaal: LinkListResponse['links'][number]
  const clients: RawClient[] = []

  beforeEach(async () => {
    env = await startLayeredBoard('Links')
    const [first, ...rest] = (await list()).body.links
    expect(rest).toEqual([])
    sociaal = first
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await env.stop()
  })

  const facilitator = () => env.board.tokens.facilitator
  const list = (token = facilitator()) =>
    api<LinkListResponse>(env.server.url, routePath(ROUTES.links, { boardId: env.board.id }), { token })
  const revoke = (linkId: string, token = facilitator()) =>
    api<RevokeLinkResponse>(env.server.url, routePath(ROUTES.link, { boardId: env.board.id, linkId }), {
      method: 'DELETE',
      token,
    })
  async function scopedLink(layerId: string) {
    const made = await api<CreateLinkResponse>(env.server.url, routePath(ROUTES.links, { boardId: env.board.id }), {
      token: facilitator(),
      json: { role: 'participant', layerId },
    })
    expect(made.status).toBe(201)
    return { id: made.body.id, token: tokenFromLink(made.body.link) }
  }
  async function joinLink(layerId: string) {
    const made = await api<CreateJoinLinkResponse>(
      env.server.url,
      routePath(ROUTES.joinLinks, { boardId: env.board.id }),
      { token: facilitator(), json: { layerId } },
    )
    expect(made.status).toBe(201)
    return { id: made.body.id, token: new URL(made.body.link).pathname.split('/').at(-1) as string }
  }
  async function connect(token: string): Promise<RawClient> {
    const client = await RawClient.connect(env.server.wsUrl, env.board.id, token)
    clients.push(client)
    await client.waitForSync()
    return client
  }

  it('lists every scoped and join link, oldest first, without a token or a hash', async () => {
    const scoped = await scopedLink(JEUGD)
    const join = await joinLink(ROOT_LAYER_ID)
    const listed = await list()
    expect(listed.status).toBe(200)
    expect(listed.body.links).toEqual([
      { id: sociaal.id, kind: 'scoped', role: 'participant', layerId: SOCIAAL, created: expect.any(String) },
      { id: scoped.id, kind: 'scoped', role: 'participant', layerId: JEUGD, created: expect.any(String) },
      { id: join.id, kind: 'join', role: 'participant', layerId: ROOT_LAYER_ID, created: expect.any(String) },
    ])
    for (const link of listed.body.links) expect(Date.now() - Date.parse(link.created)).toBeLessThan(60_000)
    // Neither the links' tokens nor the main links' (nor any of their hashes) are in the answer.
    const secrets = [scoped.token, join.token, env.sociaalToken, ...Object.values(env.board.tokens)]
    for (const secret of secrets) {
      expect(listed.text).not.toContain(secret)
      expect(listed.text).not.toContain(hashToken(secret))
    }
  })

  it('revoking a scoped link closes its sockets at once and stops its token; every other link keeps working', async () => {
    const scoped = await scopedLink(JEUGD)
    const other = await scopedLink(JEUGD)
    const join = await joinLink(ROOT_LAYER_ID)
    const revokedSocket = await connect(scoped.token)
    const secondSocket = await connect(scoped.token)
    const otherSocket = await connect(other.token)
    const joinSocket = await connect(join.token)
    const facilitatorSocket = await connect(facilitator())

    const revoked = await revoke(scoped.id)
    expect(revoked.status).toBe(200)
    expect(revoked.body).toEqual({ id: scoped.id, closedConnections: 2 })
    expect((await revokedSocket.waitForClose(5_000)).code).toBe(CloseCode.Unauthorized)
    expect((await secondSocket.waitForClose(5_000)).code).toBe(CloseCode.Unauthorized)

    // The token stops on the API and on the upgrade.
    expect((await api(env.server.url, `/api/boards/${env.board.id}/me`, { token: scoped.token })).status).toBe(403)
    expect((await attemptUpgrade(syncUrl(env.server.wsUrl, env.board.id, scoped.token))).status).toBe(403)
    expect((await list()).body.links.map((link) => link.id)).toEqual([sociaal.id, other.id, join.id])
    const again = await revoke(scoped.id)
    expect(again.status).toBe(404)
    expect((again.body as unknown as ApiError).error.code).toBe('link_not_found')

    // The other links' sockets stay open, and their edits still arrive.
    await joinSocket.roundTrip()
    await facilitatorSocket.roundTrip()
    putRecords(otherSocket.doc, [shapeInLayer('shape:afterRevoke', JEUGD)])
    await waitFor(() => getRecordsMap(facilitatorSocket.doc).has('shape:afterRevoke'), {
      message: 'the facilitator to see a write made with another scoped link',
    })
  })

  it('revoking a join link stops its redirect and closes its sockets', async () => {
    const join = await joinLink(ROOT_LAYER_ID)
    const socket = await connect(join.token)
    const joinUrl = `${env.server.url}/j/${join.token}`
    expect((await fetch(joinUrl, { redirect: 'manual' })).status).toBe(302)
    expect((await revoke(join.id)).body.closedConnections).toBe(1)
    expect((await socket.waitForClose(5_000)).code).toBe(CloseCode.Unauthorized)
    expect((await fetch(joinUrl, { redirect: 'manual' })).status).toBe(404)
    expect((await list()).body.links).toEqual([sociaal])
  })

  it('revoking the join link the wall displays show takes their QR code away', async () => {
    const shown = await joinLink(ROOT_LAYER_ID)
    const other = await joinLink(ROOT_LAYER_ID)
    const settings = { showJoinCode: true, joinLink: `${env.server.url}/j/${shown.token}` }
    const steering = await connect(facilitator())
    steering.sendUpdate(updateFrom(steering.doc, (copy) => getMetaMap(copy).set(META_DISPLAY_KEY, settings)))
    const display = await connect(env.board.tokens.display)
    await waitFor(() => getMetaMap(display.doc).get(META_DISPLAY_KEY) !== undefined, {
      message: 'the display to get the settings',
    })

    // Another join link going does not touch the display's.
    await revoke(other.id)
    await steering.roundTrip()
    expect(getMetaMap(display.doc).get(META_DISPLAY_KEY)).toEqual(settings)

    await revoke(shown.id)
    const shownLink = () =>
      (getMetaMap(display.doc).get(META_DISPLAY_KEY) as { joinLink?: unknown } | undefined)?.joinLink
    await waitFor(() => shownLink() === null, {
      message: 'the display to lose the revoked join link',
    })
    expect(getMetaMap(display.doc).get(META_DISPLAY_KEY)).toEqual({ showJoinCode: false, joinLink: null })
    expect(steering.closeInfo).toBeNull()
  })

  it('lets nobody but a facilitator list or revoke, and a link survives every such attempt', async () => {
    const scoped = await scopedLink(JEUGD)
    for (const token of [env.board.tokens.participant, env.board.tokens.display, scoped.token]) {
      expect((await list(token)).status).toBe(403)
      expect((await revoke(scoped.id, token)).status).toBe(403)
    }
    const path = routePath(ROUTES.link, { boardId: env.board.id, linkId: scoped.id })
    expect((await api(env.server.url, path, { method: 'DELETE' })).status).toBe(401)
    expect((await api(env.server.url, routePath(ROUTES.links, { boardId: env.board.id }))).status).toBe(401)
    // A main link's id is not in the list, and an id the board does not have is a 404.
    expect((await revoke('0'.repeat(32))).status).toBe(404)
    expect((await api(env.server.url, `/api/boards/${env.board.id}/me`, { token: scoped.token })).status).toBe(200)
    await connect(scoped.token)
  })
})
