/**
 * SIGTERM is how a supervisor stops Stip (systemd, Docker, an upgrade): the server closes
 * its sockets with ServerRestarting, flushes, exits with code 0, and the board is all there
 * when it starts again.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { META_DISPLAY_KEY } from '../../shared/display.ts'
import { getMetaMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard } from '../helpers/api.ts'
import { type ChildServer, startChildServer } from '../helpers/child-server.ts'
import { createRandom } from '../helpers/random.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { boardSnapshot, NEW_BOARD_RECORDS, putRecords, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'

describe('a server stopped with SIGTERM', () => {
  let dir: TempDir | undefined
  const children: ChildServer[] = []
  const clients: RawClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    for (const child of children.splice(0)) await child.kill9()
    await dir?.remove()
  })

  it('exits with code 0 and has the data after a restart', async () => {
    const random = createRandom(15)
    dir = await createTempDir()
    const first = await startChildServer({ dataDir: dir.path })
    children.push(first)
    const board = await createBoard(first.url, 'Graceful')

    const writer = await RawClient.connect(first.wsUrl, board.id, board.tokens.facilitator)
    clients.push(writer)
    await writer.waitForSync()
    putRecords(writer.doc, [...Array.from({ length: 40 }, (_, i) => shapeRecord(`shape:g${i}`, random))])
    getMetaMap(writer.doc).set(META_DISPLAY_KEY, { mode: 'tour' }) // a board setting, stored like records
    await writer.roundTrip()
    putRecords(writer.doc, [shapeRecord('shape:last', random)])
    await writer.roundTrip()
    const expected = boardSnapshot(writer.doc)

    const exit = await first.terminate()
    expect(exit).toEqual({ code: 0, signal: null })
    const closed = await writer.waitForClose()

    const second = await startChildServer({ dataDir: dir.path })
    children.push(second)
    const reader = await RawClient.connect(second.wsUrl, board.id, board.tokens.display)
    clients.push(reader)
    await reader.waitForSync()
    expect(boardSnapshot(reader.doc)).toEqual(expected)
    expect(Object.keys(expected.records)).toHaveLength(NEW_BOARD_RECORDS - 1 + 42)

    expect(closed.code).toBe(CloseCode.ServerRestarting)
  })
})
