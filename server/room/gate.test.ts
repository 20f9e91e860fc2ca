/**
 * The gate on its own: a verdict from who sent an update, the update and the document, with
 * no room and no socket, so each rule is seen in isolation and in its order (role first,
 * then the update's shape, then rights).
 */
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getMetaMap, getRecord, getRecordsMap } from '../../shared/doc.ts'
import { LAYER_TYPE, type LayerRecord } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import { judgeUpdate } from './gate.ts'
import { ClientOwners } from './identity.ts'

/** A new board's document and its layers, as a room keeps them. */
function board() {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, initialDocumentUpdate('Test'))
  const records = getRecordsMap(doc)
  const layers = new Map<string, LayerRecord>()
  for (const id of records.keys()) {
    if (id.startsWith(`${LAYER_TYPE}:`)) layers.set(id, getRecord(records, id) as unknown as LayerRecord)
  }
  return { doc, layers, owners: new ClientOwners([], (client) => client === doc.clientID) }
}

/** Written by one client whose id is new to every board here. */
const AUTHOR = 1234

function updateOf(change: (doc: Y.Doc) => void): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = AUTHOR
  change(doc)
  return Y.encodeStateAsUpdate(doc)
}

const shape = updateOf((doc) => getRecordsMap(doc).set('shape:a', JSON.stringify({ id: 'shape:a', typeName: 'shape' })))
const participant = { role: 'participant', layerId: null, secretHash: 'p'.repeat(64) } as const
const facilitator = { role: 'facilitator', layerId: null, secretHash: 'f'.repeat(64) } as const
/** What the gate says of an update it accepts whole from a client id new to the board. */
const applied = (update: Uint8Array, secretHash: string) => ({
  action: 'apply',
  update,
  claims: [{ client: AUTHOR, secretHash }],
  stripped: [],
})

describe(judgeUpdate, () => {
  it('applies a valid record a participant may write', () => {
    expect(judgeUpdate(participant, shape, board())).toEqual(applied(shape, participant.secretHash))
  })

  it('ignores a display’s update before even reading it', () => {
    const display = { role: 'display', layerId: null, secretHash: 'd'.repeat(64) } as const
    expect(judgeUpdate(display, Uint8Array.of(0xff), board())).toEqual({ action: 'ignore' })
  })

  it('refuses what is not a Yjs update as malformed, and an invalid record as such', () => {
    expect(judgeUpdate(participant, Uint8Array.of(0xff, 0xff, 0xff, 0xff), board())).toMatchObject({
      action: 'refuse',
      code: CloseCode.MalformedMessage,
      log: 'update refused',
    })
    const mismatched = updateOf((doc) => getRecordsMap(doc).set('shape:a', { id: 'shape:b', typeName: 'shape' }))
    expect(judgeUpdate(participant, mismatched, board())).toMatchObject({
      action: 'refuse',
      code: CloseCode.InvalidRecord,
    })
  })

  it('refuses a change outside the role’s rights, naming what and why for the log', () => {
    const setting = updateOf((doc) => getMetaMap(doc).set('locked', true))
    expect(judgeUpdate(participant, setting, board())).toEqual({
      action: 'refuse',
      code: CloseCode.Forbidden,
      log: 'update forbidden',
      fields: { record: 'meta:locked', reason: 'only a facilitator sets board settings' },
    })
    expect(judgeUpdate(facilitator, setting, board())).toEqual(applied(setting, facilitator.secretHash))
  })
})
