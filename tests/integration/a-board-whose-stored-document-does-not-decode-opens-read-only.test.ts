/**
 * A stored row that does not decode (a damaged disk, a bad restore) opens its board
 * read-only instead of failing it or silently dropping the row: everyone syncs what could
 * be read, every edit is answered with `BoardReadOnly` (the client keeps it and tries
 * later), the administrator's log names the board and the row, and the stored bytes stay
 * exactly as they were, for whoever rescues them.
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { type StipServer, startServer } from '../../server/app.ts'
import type { LogFields, Logger } from '../../server/log.ts'
import type { HealthResponse } from '../../shared/api.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { ROUTES } from '../../shared/routes.ts'
import { createBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'

interface Row {
  table: string
  key: number | string
  hex: string
}

/** Every stored document row of the data directory, as hex, with the server stopped. */
function documentRows(dataDir: string): Row[] {
  const db = new Database(path.join(dataDir, 'stip.sqlite'), { readonly: true })
  try {
    const snapshots = db.prepare<[], { key: string; hex: string }>(
      'SELECT board_id AS key, hex(data) AS hex FROM snapshots',
    )
    const updates = db.prepare<[], { key: number; hex: string }>('SELECT seq AS key, hex(data) AS hex FROM updates')
    return [
      ...snapshots.all().map((row) => ({ table: 'snapshots', ...row })),
      ...updates.all().map((row) => ({ table: 'updates', ...row })),
    ]
  } finally {
    db.close()
  }
}

/** A logger that keeps its lines, to see what the administrator reads. */
function keptLogger() {
  const lines: { level: string; msg: string; fields: LogFields }[] = []
  const keep =
    (level: string) =>
    (msg: string, fields: LogFields = {}) => {
      lines.push({ level, msg, fields })
    }
  const log: Logger = { info: keep('info'), warn: keep('warn'), error: keep('error') }
  return { log, lines }
}

describe('a board whose stored document does not decode', () => {
  let dir: TempDir | undefined
  let server: StipServer | undefined
  const clients: RawClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server?.close()
    server = undefined
    await dir?.remove()
  })

  it('syncs what could be read, refuses edits with BoardReadOnly, logs the row, and keeps the bytes', async () => {
    dir = await createTempDir()
    server = await startServer({ dataDir: dir.path, log: keptLogger().log })
    const board = await createBoard(server.url, 'Beschadigd')
    const writer = await RawClient.connect(server.url.replace(/^http/, 'ws'), board.id, board.tokens.facilitator)
    await writer.waitForSync()
    putRecords(writer.doc, [shapeRecord('shape:readable')])
    await writer.roundTrip()
    await writer.close()
    await server.close() // the room compacts everything into one snapshot (its rows stay as history)
    server = undefined

    // [1] A later update whose bytes were cut short on disk.
    const lost = new Y.Doc()
    putRecords(lost, [shapeRecord('shape:unreadable')])
    const bytes = Y.encodeStateAsUpdate(lost)
    const db = new Database(path.join(dir.path, 'stip.sqlite'))
    db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)').run(board.id, bytes.subarray(0, bytes.length - 12))
    db.close()
    const before = documentRows(dir.path)
    // The snapshot, the history it covers, and the cut-short update after it: the one row loaded.
    expect(before[0].table).toBe('snapshots')
    expect(before.slice(1).every((row) => row.table === 'updates')).toBe(true)

    const { log, lines } = keptLogger()
    server = await startServer({ dataDir: dir.path, log })
    const wsUrl = server.url.replace(/^http/, 'ws')
    const reader = await RawClient.connect(wsUrl, board.id, board.tokens.participant)
    clients.push(reader)
    await reader.waitForSync()
    expect(getRecordsMap(reader.doc).has('shape:readable')).toBe(true)
    expect(getRecordsMap(reader.doc).has('shape:unreadable')).toBe(false)
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ board: board.id, row: 'update 1 of 1' }),
      }),
    )

    // The administrator sees it on /healthz too, without the server counting as unhealthy.
    const health = await fetch(`${server.url}${ROUTES.health}`)
    expect(health.status).toBe(200)
    expect(((await health.json()) as HealthResponse).readOnlyBoards).toBe(1)

    const editor = await RawClient.connect(wsUrl, board.id, board.tokens.facilitator)
    clients.push(editor)
    await editor.waitForSync()
    putRecords(editor.doc, [shapeRecord('shape:refused')])
    expect((await editor.waitForClose()).code).toBe(CloseCode.BoardReadOnly)
    await reader.roundTrip() // the reader stays, and is sent nothing of the refused edit
    expect(getRecordsMap(reader.doc).has('shape:refused')).toBe(false)

    for (const client of clients.splice(0)) await client.close()
    await server.close() // a room that is released compacts, unless it is read-only
    server = undefined
    expect(documentRows(dir.path)).toEqual(before)
  })
})

// [1] Written with the server stopped, as a damaged disk or a bad restore would leave it, so
//     that no room is writing to the board meanwhile.
