/**
 * The server checks every incoming update against the document layout (shared/doc.ts)
 * before applying it. An update that writes anything but plain, well-formed records into
 * `records` and `meta` closes the socket with InvalidRecord, and none of it is applied —
 * not even the valid records that came in the same update.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getMetaMap, getRecordsMap } from '../../shared/doc.ts'
import { CloseCode, SyncStep } from '../../shared/protocol.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { boardSnapshot, putRecords, rootNames, shapeRecord, updateFrom } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

const INVALID_CHANGES: [string, (doc: Y.Doc) => void][] = [
  ['a record without an id', (doc) => getRecordsMap(doc).set('shape:a', { typeName: 'shape' } as never)],
  ['a record without a typeName', (doc) => getRecordsMap(doc).set('shape:a', { id: 'shape:a' } as never)],
  ['a record whose id is not its key', (doc) => getRecordsMap(doc).set('shape:a', shapeRecord('shape:b'))],
  ['a record id without a kind prefix', (doc) => getRecordsMap(doc).set('abc', { ...shapeRecord('x'), id: 'abc' })],
  ['a number instead of a record', (doc) => getRecordsMap(doc).set('shape:a', 42 as never)],
  ['an array instead of a record', (doc) => getRecordsMap(doc).set('shape:a', [shapeRecord('shape:a')] as never)],
  ['a nested Y.Map inside records', (doc) => getRecordsMap(doc).set('shape:a', new Y.Map() as never)],
  ['a nested Y.Text inside meta', (doc) => getMetaMap(doc).set('title', new Y.Text('hello'))],
  ['another root map', (doc) => doc.getMap('other').set('shape:a', shapeRecord('shape:a'))],
  ['an array root', (doc) => doc.getArray('list').push([shapeRecord('shape:a')])],
  [
    'a valid record together with an invalid one',
    (doc) =>
      doc.transact(() => {
        getRecordsMap(doc).set('shape:valid', shapeRecord('shape:valid'))
        getRecordsMap(doc).set('shape:a', { id: 'shape:a' } as never)
      }),
  ],
]

describe('an update with an invalid record', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Records')
    const writer = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
    clients.push(writer)
    await writer.waitForSync()
    putRecords(writer.doc, [shapeRecord('shape:existing')])
    await writer.roundTrip()
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  async function connect(token: string): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, token, { sendLocalUpdates: false })
    clients.push(client)
    await client.waitForSync()
    return client
  }

  describe.each([
    ['Update', SyncStep.Update],
    ['SyncStep2', SyncStep.Step2],
  ])('sent as %s', (_name, step) => {
    it.each(INVALID_CHANGES)(
      'closes the socket with InvalidRecord and applies nothing for %s',
      async (_case, change) => {
        const bystander = await connect(board.tokens.participant)
        const sender = await connect(board.tokens.participant)
        const before = boardSnapshot(bystander.doc)

        const update = updateFrom(sender.doc, change)
        if (step === SyncStep.Update) sender.sendUpdate(update)
        else sender.sendSyncStep2(update)
        const closed = await sender.waitForClose()
        expect(closed.code).toBe(CloseCode.InvalidRecord)

        await bystander.roundTrip()
        expect(bystander.closeInfo).toBeNull()
        expect(boardSnapshot(bystander.doc)).toEqual(before)
        const fresh = await connect(board.tokens.display)
        expect(boardSnapshot(fresh.doc)).toEqual(before)
        expect(rootNames(fresh.doc).filter((name) => name !== 'records' && name !== 'meta')).toEqual([])
      },
    )
  })
})
