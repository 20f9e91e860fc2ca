/**
 * Identity, the honest side: a browser's secret makes its Yjs client ids its own, so
 * offline work is accepted whether it comes back on the same doc (a reconnect), from a new
 * doc loaded from the local copy (a reload: a new client id, old structs) or from a second
 * tab of the same browser. None of them is ever closed or stripped.
 */
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getRecordsMap } from '../../shared/doc.ts'
import { createBoard } from '../helpers/api.ts'
import { newBrowserSecret, RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

describe('an honest browser', () => {
  let server: TestServer | undefined

  afterEach(async () => {
    await server?.stop()
    server = undefined
  })

  it('continues its client id after a reconnect, and its offline work after a reload and in a second tab', async () => {
    server = await startTestServer()
    const board = await createBoard(server.url, 'Honest')
    const secret = newBrowserSecret()
    const token = board.tokens.participant
    const first = await RawClient.connect(server.wsUrl, board.id, token, { secret })
    await first.waitForSync()
    putRecords(first.doc, [{ ...shapeRecord('shape:online'), x: 1 }])
    await first.roundTrip()
    await first.close()
    // Offline on the same doc, then a reconnect: the same client id continues.
    putRecords(first.doc, [{ ...shapeRecord('shape:offline'), x: 2 }])
    const again = await RawClient.connect(server.wsUrl, board.id, token, { doc: first.doc, secret })
    await again.waitForSync()
    await again.roundTrip()
    await again.close()
    // More offline work, then a reload: a new doc (new client id) from the local copy.
    putRecords(first.doc, [{ ...shapeRecord('shape:before-reload'), x: 3 }])
    const reloaded = new Y.Doc()
    Y.applyUpdate(reloaded, Y.encodeStateAsUpdate(first.doc))
    expect(reloaded.clientID).not.toBe(first.doc.clientID)
    putRecords(reloaded, [{ ...shapeRecord('shape:after-reload'), x: 4 }])
    const page = await RawClient.connect(server.wsUrl, board.id, token, { doc: reloaded, secret })
    await page.waitForSync()
    await page.roundTrip()
    // A second tab of the same browser, with its own offline change on another copy.
    const tab = new Y.Doc()
    Y.applyUpdate(tab, Y.encodeStateAsUpdate(reloaded))
    putRecords(tab, [{ ...shapeRecord('shape:second-tab'), x: 5 }])
    const second = await RawClient.connect(server.wsUrl, board.id, token, { doc: tab, secret })
    await second.waitForSync()
    await second.roundTrip()

    const fresh = await RawClient.connect(server.wsUrl, board.id, board.tokens.display)
    await fresh.waitForSync()
    for (const id of ['online', 'offline', 'before-reload', 'after-reload', 'second-tab']) {
      expect(getRecordsMap(fresh.doc).has(`shape:${id}`), id).toBe(true)
    }
    expect(page.closeInfo).toBeNull()
    expect(second.closeInfo).toBeNull()
    const room = server.server.rooms.rooms.get(board.id)
    expect(room?.doc.store.pendingStructs).toBeNull()
    expect(room?.doc.store.pendingDs).toBeNull()
    await Promise.all([page.close(), second.close(), fresh.close()])
  })
})
