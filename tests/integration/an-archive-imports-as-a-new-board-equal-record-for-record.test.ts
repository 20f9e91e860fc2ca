/**
 * The archive → import round trip: a board made from the horizon template (paths per
 * department), drawn on over sync, with a named version, is archived by the administrator
 * as one ZIP of open formats (records JSON, versions, the outline as text with its mission
 * and paths, the paths CSV) and imported again as a new board with new links. The new
 * board equals the old one record for record, and so does each version. An archive that is
 * damaged or holds a record the schema refuses imports nothing.
 */
import { isDeepStrictEqual } from 'node:util'
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { CreateBoardResponse } from '../../shared/api.ts'
import type { ImportResponse, VersionContentResponse, VersionListResponse } from '../../shared/historyApi.ts'
import { authorizationHeader, ROUTES, routePath } from '../../shared/routes.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { connectProvider } from '../helpers/provider.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const ADMIN = `${'b'.repeat(32)}-archive-test`

describe('an archive', () => {
  let server: TestServer

  beforeEach(async () => {
    server = await startTestServer({ adminToken: ADMIN })
  })

  afterEach(async () => {
    await server.stop()
  })

  const download = async (boardId: string) => {
    const response = await fetch(new URL(routePath(ROUTES.adminArchive, { boardId }), server.url), {
      headers: { authorization: authorizationHeader(ADMIN) },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/zip')
    return new Uint8Array(await response.arrayBuffer())
  }
  const upload = (zip: Uint8Array) =>
    fetch(new URL(ROUTES.adminImport, server.url), {
      method: 'POST',
      headers: { authorization: authorizationHeader(ADMIN), 'content-type': 'application/zip' },
      body: Buffer.from(zip),
    })
  /** The board's records as a client that syncs it sees them. */
  const recordsOf = async (boardId: string, token: string) => {
    const client = await connectProvider(server.wsUrl, boardId, token, { doc: new Y.Doc() })
    const records = recordsSnapshot(client.doc)
    client.destroy()
    return records
  }
  const versionsOf = async (boardId: string, token: string) => {
    const listed = await api<VersionListResponse>(server.url, routePath(ROUTES.versions, { boardId }), { token })
    return Promise.all(
      listed.body.versions.map(async (version) => {
        const content = await api<VersionContentResponse>(
          server.url,
          routePath(ROUTES.version, { boardId, versionId: version.id }),
          { token },
        )
        // Its id and stored size are the new board's own; everything it says and holds is the same.
        const { id: _id, bytes: _bytes, ...info } = content.body.version
        return { info, records: content.body.records, meta: content.body.meta }
      }),
    )
  }

  it('imports as a new board equal record for record, its versions too', async () => {
    const created = await api<CreateBoardResponse>(server.url, ROUTES.boards, {
      json: { name: 'Gemeente Voorbeeld 2030', template: 'horizon', departments: ['Sociaal domein', 'Ruimte'] },
    })
    const board = created.body
    const facilitator = tokenFromLink(board.links.facilitator)
    const client = await connectProvider(server.wsUrl, board.id, facilitator)
    putRecords(client.doc, [shapeRecord('shape:extra-1'), shapeRecord('shape:extra-2')])
    await waitFor(() => server.server.store.historyInfo(board.id).rows >= 2, { message: 'the shapes stored' })
    const saved = await api(server.url, routePath(ROUTES.versions, { boardId: board.id }), {
      token: facilitator,
      json: { name: 'Iteratie 1' },
    })
    expect(saved.status).toBe(201)
    putRecords(client.doc, [shapeRecord('shape:extra-3')])
    await waitFor(() => server.server.store.historyInfo(board.id).rows >= 3, { message: 'the last shape stored' })
    client.destroy()

    const zip = await download(board.id)
    const files = unzipSync(zip)
    const names = Object.keys(files).sort()
    expect(names.filter((name) => !name.startsWith('versions/'))).toEqual([
      'LEESMIJ.txt',
      'meta.json',
      'outline.txt',
      'paths.csv',
      'records.json',
      'stip-archive.json',
      'versions.json',
    ])
    expect(names.filter((name) => name.startsWith('versions/'))).toEqual([
      expect.stringMatching(/^versions\/001-[0-9a-f]{32}\.json$/),
    ])
    const outline = strFromU8(files['outline.txt'])
    expect(outline).toContain('Stip — Gemeente Voorbeeld 2030')
    expect(outline).toContain('Sociaal domein')
    expect(outline).toMatch(/Pad 1 \(bereikt de stip/)
    expect(strFromU8(files['paths.csv'])).toContain('Laag')
    const before = await recordsOf(board.id, facilitator)
    expect(JSON.parse(strFromU8(files['records.json']))).toHaveLength(Object.keys(before).length)

    const imported = await upload(zip)
    expect(imported.status).toBe(201)
    const copy = (await imported.json()) as ImportResponse
    expect(copy.id).not.toBe(board.id)
    expect(copy.name).toBe('Gemeente Voorbeeld 2030')
    expect(copy.versions).toBe(1)
    const copyToken = tokenFromLink(copy.links.facilitator)
    expect(copyToken).not.toBe(facilitator)
    const after = await recordsOf(copy.id, copyToken)
    expect(Object.keys(after)).toEqual(Object.keys(before))
    for (const id of Object.keys(before)) expect(after[id], id).toEqual(before[id])
    expect(isDeepStrictEqual(after, before)).toBe(true)
    expect(await versionsOf(copy.id, copyToken)).toEqual(await versionsOf(board.id, facilitator))
    const audit = server.server.store.listAudit(10).map((line) => line.action)
    expect(audit).toEqual(['board-imported', 'archive-exported'])
  })

  it('imports nothing from a damaged archive or one with a record the schema refuses', async () => {
    const created = await api<CreateBoardResponse>(server.url, ROUTES.boards, { json: { name: 'Bron' } })
    const zip = await download(created.body.id)
    const files = unzipSync(zip)
    const records = JSON.parse(strFromU8(files['records.json'])) as { id: string; typeName: string }[]
    records.push({ ...shapeRecord('shape:bad'), x: 'nowhere' } as never)
    const tampered = zipSync({ ...files, 'records.json': strToU8(JSON.stringify(records)) })
    for (const body of [tampered, zip.slice(0, zip.length / 2), strToU8('not a zip')]) {
      const response = await upload(body)
      expect(response.status).toBe(400)
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('archive_invalid')
    }
    expect(server.server.store.listBoards()).toHaveLength(1)
  })
})
