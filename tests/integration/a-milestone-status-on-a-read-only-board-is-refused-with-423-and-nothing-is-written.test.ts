/**
 * A board whose stored document has a row that does not decode opens read-only (see
 * a-board-whose-stored-document-does-not-decode-opens-read-only.test.ts). Setting a
 * milestone's status through the API there is answered with 423 `board_read_only`, like a
 * client's edit is answered with 4423; the paths API still reports what could be read, and
 * the stored rows stay exactly as they were.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type StipServer, startServer } from '../../server/app.ts'
import { silentLogger } from '../../server/log.ts'
import type { CreateBoardResponse } from '../../shared/api.ts'
import { ROUTES } from '../../shared/routes.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { fetchPaths, setStatus } from '../helpers/paths.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'

function documentRows(dataDir: string): unknown[] {
  const db = new Database(path.join(dataDir, 'stip.sqlite'), { readonly: true })
  try {
    return [
      ...db.prepare('SELECT board_id, hex(data) FROM snapshots').all(),
      ...db.prepare('SELECT seq, hex(data) FROM updates').all(),
    ]
  } finally {
    db.close()
  }
}

describe('a milestone status on a read-only board', () => {
  let dir: TempDir | undefined
  let server: StipServer | undefined

  afterEach(async () => {
    await server?.close()
    server = undefined
    await dir?.remove()
  })

  it('is refused with 423 board_read_only, and nothing is written', async () => {
    dir = await createTempDir()
    server = await startServer({ dataDir: dir.path, log: silentLogger })
    const created = await api<CreateBoardResponse>(server.url, ROUTES.boards, {
      json: { name: 'Beschadigd', template: 'horizon', departments: ['Ruimte'] },
    })
    const token = tokenFromLink(created.body.links.facilitator)
    const boardId = created.body.id
    const milestoneId = (await fetchPaths(server.url, boardId, token)).layers[1].paths[0].milestones[0].id
    await server.close()
    server = undefined

    // A later update whose bytes were cut short on disk, written with the server stopped.
    const lost = new Y.Doc()
    putRecords(lost, [shapeRecord('shape:unreadable')])
    const bytes = Y.encodeStateAsUpdate(lost)
    const db = new Database(path.join(dir.path, 'stip.sqlite'))
    db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)').run(boardId, bytes.subarray(0, bytes.length - 12))
    db.close()
    const before = documentRows(dir.path)

    server = await startServer({ dataDir: dir.path, log: silentLogger })
    const refused = await setStatus(server.url, boardId, milestoneId, token, 'done')
    expect(refused.status).toBe(423)
    expect(refused.body).toMatchObject({ error: { code: 'board_read_only' } })
    const report = await fetchPaths(server.url, boardId, token)
    expect(report.layers[1].paths[0].milestones[0]).toMatchObject({ id: milestoneId, status: 'planned' })

    await server.close()
    server = undefined
    expect(documentRows(dir.path)).toEqual(before)
  })
})
