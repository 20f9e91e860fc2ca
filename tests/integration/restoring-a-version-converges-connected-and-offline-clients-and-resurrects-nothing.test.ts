/**
 * Restore is a forward change: a facilitator restores a named version while one client is
 * connected (and changed the board since the version) and another holds an offline copy
 * with records the version lacks. Both converge on the version; the records the version
 * lacks do not come back when the offline copy reconnects, in any client or in the store;
 * what the offline client drew after the restore is honest new work and stays. The board
 * just before the restore is kept as a `pre-restore` version, which restores it back.
 */
import { isDeepStrictEqual } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import type {
  RestoreResponse,
  VersionContentResponse,
  VersionInfo,
  VersionListResponse,
} from '../../shared/historyApi.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, createBoard, type TestBoard } from '../helpers/api.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

describe('restoring a version', () => {
  let server: TestServer
  let board: TestBoard
  const clients: ProviderClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Herstel')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    await server.stop()
  })

  const connect = async (token: string, doc?: Y.Doc) => {
    const client = await connectProvider(server.wsUrl, board.id, token, { doc })
    clients.push(client)
    return client
  }
  const versionsPath = () => routePath(ROUTES.versions, { boardId: board.id })
  const restore = (versionId: string) =>
    api<RestoreResponse>(server.url, routePath(ROUTES.restoreVersion, { boardId: board.id, versionId }), {
      method: 'POST',
      token: board.tokens.facilitator,
    })
  const shapeIds = (doc: Y.Doc) => [...getRecordsMap(doc).keys()].filter((id) => id.startsWith('shape:s')).sort()
  const sameAs = (doc: Y.Doc, expected: Record<string, unknown>) => isDeepStrictEqual(recordsSnapshot(doc), expected)

  it('converges a connected client and a reconnecting offline copy on the version, resurrecting nothing', async () => {
    const a = await connect(board.tokens.facilitator)
    const s1 = shapeRecord('shape:s1')
    putRecords(a.doc, [s1, shapeRecord('shape:s2')])
    await waitFor(() => server.server.store.historyInfo(board.id).rows >= 2, { message: 'the shapes to be stored' })

    const saved = await api<VersionInfo>(server.url, versionsPath(), {
      token: board.tokens.facilitator,
      json: { name: 'Iteratie 6 — 9 maart' },
    })
    expect(saved.status).toBe(201)
    expect(saved.body).toMatchObject({ name: 'Iteratie 6 — 9 maart', kind: 'named', createdByRole: 'facilitator' })
    const version = await api<VersionContentResponse>(
      server.url,
      routePath(ROUTES.version, { boardId: board.id, versionId: saved.body.id }),
      { token: board.tokens.facilitator },
    )
    expect(version.body.records.filter((r) => r.id.startsWith('shape:s')).map((r) => r.id)).toEqual([
      'shape:s1',
      'shape:s2',
    ])

    // After the version: a move, a delete, two new shapes (one from a participant).
    const b = await connect(board.tokens.participant)
    a.doc.transact(() => {
      putRecords(a.doc, [{ ...s1, x: 500 }, shapeRecord('shape:s3')])
      getRecordsMap(a.doc).delete('shape:s2')
    })
    putRecords(b.doc, [shapeRecord('shape:s4')])
    // The offline copy: a third client that saw all of it, then lost the network.
    const c = await connect(board.tokens.participant)
    await waitFor(() => shapeIds(c.doc).join() === 'shape:s1,shape:s3,shape:s4', { message: 'c to see the changes' })
    await waitFor(() => shapeIds(a.doc).join() === 'shape:s1,shape:s3,shape:s4', { message: 'a to see the changes' })
    c.provider.disconnect()

    const restored = await restore(saved.body.id)
    expect(restored.status).toBe(200)
    expect(restored.body.restored.id).toBe(saved.body.id)
    expect(restored.body.preRestore).toMatchObject({ kind: 'pre-restore', createdByRole: 'facilitator' })
    expect(restored.body.changed).toBe(4) // s1 set back, s2 set again, s3 and s4 deleted

    // The connected clients converge on the version's records, exactly.
    const expected = Object.fromEntries(version.body.records.map((record) => [record.id, record]))
    await waitFor(() => sameAs(a.doc, expected) && sameAs(b.doc, expected), { message: 'a and b to hold the version' })

    // Offline, c still holds s3 and s4, and draws s5; then it comes back.
    expect(shapeIds(c.doc)).toEqual(['shape:s1', 'shape:s3', 'shape:s4'])
    putRecords(c.doc, [shapeRecord('shape:s5')])
    c.provider.connect()
    const withNewWork = { ...expected, 'shape:s5': shapeRecord('shape:s5') }
    await waitFor(() => sameAs(c.doc, withNewWork) && sameAs(a.doc, withNewWork) && sameAs(b.doc, withNewWork), {
      message: 'everyone to hold the version and s5, without s3 or s4',
    })

    // The store too, after a restart: nothing came back.
    for (const client of clients.splice(0)) client.destroy()
    await server.restart()
    const fresh = await connect(board.tokens.display)
    expect(shapeIds(fresh.doc)).toEqual(['shape:s1', 'shape:s2', 'shape:s5'])
    expect(recordsSnapshot(fresh.doc)).toEqual(recordsSnapshot(a.doc))
  })

  it('keeps the board before as a pre-restore version, which restores it back', async () => {
    const a = await connect(board.tokens.facilitator)
    const saved = await api<VersionInfo>(server.url, versionsPath(), {
      token: board.tokens.facilitator,
      json: { name: 'Leeg' },
    })
    putRecords(a.doc, [shapeRecord('shape:s1'), shapeRecord('shape:s2')])
    await waitFor(() => server.server.store.historyInfo(board.id).rows >= 2, { message: 'the shapes to be stored' })
    const before = recordsSnapshot(a.doc)

    const first = await restore(saved.body.id)
    await waitFor(() => shapeIds(a.doc).length === 0, { message: 'the shapes to be gone' })
    const preRestore = first.body.preRestore
    if (!preRestore) throw new Error('no pre-restore version')
    const back = await restore(preRestore.id)
    expect(back.status).toBe(200)
    await waitFor(() => isDeepStrictEqual(recordsSnapshot(a.doc), before), {
      message: 'the board to be back as it was',
    })
    const listed = await api<VersionListResponse>(server.url, versionsPath(), { token: board.tokens.facilitator })
    expect(listed.body.versions.map((v) => v.kind)).toEqual(['named', 'pre-restore', 'pre-restore'])

    // Restoring what the board already is changes nothing and saves nothing.
    const again = await restore(preRestore.id)
    expect(again.body).toMatchObject({ changed: 0, preRestore: null })
    const audit = server.server.store.listAudit(10)
    expect(audit.filter((line) => line.action === 'version-restored')).toHaveLength(3)
    expect(audit[0]).toMatchObject({ actor: 'facilitator', boardId: board.id })
  })

  it('is for facilitators only, names an unknown version, and refuses a nameless one', async () => {
    for (const role of ['participant', 'display'] as const) {
      const listed = await api(server.url, versionsPath(), { token: board.tokens[role] })
      expect(listed.status).toBe(403)
      const saved = await api(server.url, versionsPath(), { token: board.tokens[role], json: { name: 'x' } })
      expect(saved.status).toBe(403)
    }
    const missing = await restore('0'.repeat(32))
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ error: { code: 'version_not_found' } })
    for (const body of [{}, { name: '   ' }, { name: 42 }, { name: 'x'.repeat(121) }]) {
      const refused = await api<{ error: { code: string } }>(server.url, versionsPath(), {
        token: board.tokens.facilitator,
        json: body,
      })
      expect(refused.status, JSON.stringify(body)).toBe(400)
      expect(['name_missing', 'name_too_long']).toContain(refused.body.error.code)
    }
    const listed = await api<VersionListResponse>(server.url, versionsPath(), { token: board.tokens.facilitator })
    expect(listed.body.versions).toEqual([])
  })
})
