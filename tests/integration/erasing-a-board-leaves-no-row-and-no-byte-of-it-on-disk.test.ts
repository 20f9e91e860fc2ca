/**
 * Erasure (AVG): the administrator erases a board, typing its name to confirm. Its open
 * sockets are closed, its links stop, and not one row of it is left in any table — links,
 * owners, document, history, checkpoints, versions — nor one byte of its content in the
 * database files (a marker string written into its name, shapes and versions is searched
 * for in the files themselves). The audit log says that it happened, and nothing it held.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditResponse } from '../../shared/historyApi.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, createBoard, type TestBoard } from '../helpers/api.ts'
import { connectProvider } from '../helpers/provider.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const ADMIN = `${'c'.repeat(32)}-erase-test`
const MARKER = 'ZZ-ERASE-MARKER-51c0'

describe('erasing a board', () => {
  let server: TestServer
  let board: TestBoard
  let other: TestBoard

  beforeEach(async () => {
    server = await startTestServer({ adminToken: ADMIN, room: { compactAfterUpdates: 2, checkpointEveryRows: 2 } })
    board = await createBoard(server.url, `Wis ${MARKER}`)
    other = await createBoard(server.url, 'Blijft')
  })

  afterEach(async () => {
    await server.stop()
  })

  const erase = (confirm: unknown) =>
    api<{ error?: { code: string } }>(server.url, routePath(ROUTES.adminBoard, { boardId: board.id }), {
      method: 'DELETE',
      token: ADMIN,
      json: { confirm },
    })

  it('after the board’s name is typed, leaves no row and no byte of it, and logs only that it happened', async () => {
    const client = await connectProvider(server.wsUrl, board.id, board.tokens.facilitator)
    const marked = (id: string) => ({ ...shapeRecord(id), meta: { note: `${MARKER} ${id}` } })
    for (let i = 0; i < 6; i++) {
      putRecords(client.doc, [marked(`shape:m${i}`)])
      await waitFor(() => server.server.store.historyInfo(board.id).rows >= i + 2, { message: `shape ${i} stored` })
    }
    await api(server.url, routePath(ROUTES.versions, { boardId: board.id }), {
      token: board.tokens.facilitator,
      json: { name: `Versie ${MARKER}` },
    })
    await api(server.url, routePath(ROUTES.links, { boardId: board.id }), {
      token: board.tokens.facilitator,
      json: { layerId: 'layer:root' },
    })
    expect(server.server.store.historyInfo(board.id).checkpoints).toBeGreaterThan(0)

    for (const wrong of [undefined, '', 'Wis', `wis ${MARKER}`]) {
      const refused = await erase(wrong)
      expect(refused.status, String(wrong)).toBe(400)
    }
    expect(server.server.store.getBoard(board.id)).toBeDefined()

    const erased = await erase(`Wis ${MARKER}`)
    expect(erased.status).toBe(200)
    await waitFor(() => client.closeCodes.includes(CloseCode.Unauthorized), { message: 'the socket to be closed' })
    client.destroy()
    const me = await api(server.url, routePath(ROUTES.me, { boardId: board.id }), { token: board.tokens.facilitator })
    expect(me.status).toBe(404)

    // No row of it in any table of the database…
    const file = path.join(server.dataDir, 'stip.sqlite')
    const db = new Database(file, { readonly: true })
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all()
    for (const { name } of tables) {
      const columns = db
        .prepare<[], { name: string }>(`PRAGMA table_info(${name})`)
        .all()
        .map((c) => c.name)
      const column = name === 'boards' ? 'id' : columns.includes('board_id') ? 'board_id' : null
      if (!column || name === 'audit') continue
      const count = db.prepare(`SELECT COUNT(*) AS n FROM ${name} WHERE ${column} = ?`).get(board.id) as { n: number }
      expect(count.n, `rows of the board in ${name}`).toBe(0)
    }
    // …the other board whole…
    const kept = db.prepare('SELECT COUNT(*) AS n FROM updates WHERE board_id = ?').get(other.id) as { n: number }
    expect(kept.n).toBe(1)
    db.close()
    // …and not one byte of its content in the files, the WAL included.
    for (const name of fs.readdirSync(server.dataDir)) {
      const bytes = fs.readFileSync(path.join(server.dataDir, name))
      expect(bytes.includes(MARKER), `${name} still holds the erased board`).toBe(false)
    }

    const audit = await api<AuditResponse>(server.url, ROUTES.adminAudit, { token: ADMIN })
    expect(audit.body.entries[0]).toEqual({
      at: expect.any(String),
      action: 'board-erased',
      actor: 'admin',
      boardId: board.id,
    })
    expect(audit.text).not.toContain(MARKER)
    expect(audit.text).not.toContain('Wis')
  })
})
