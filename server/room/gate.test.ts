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
import { imageAssetRecord, shapeRecord } from '../../tests/helpers/records.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import { ALONE_BYTES } from './effect.ts'
import { judgeUpdate } from './gate.ts'
import { ClientOwners } from './identity.ts'
import { DEFAULT_LIMITS } from './limits.ts'

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

const shape = updateOf((doc) => getRecordsMap(doc).set('shape:a', JSON.stringify(shapeRecord('shape:a'))))
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
  it('holds a participant’s update while a facilitator has taken control, and no one else’s', () => {
    const state = board()
    getMetaMap(state.doc).set('control', { by: 'Sanne', leaderId: 'user:sanne', since: 1 })
    expect(judgeUpdate(participant, shape, state)).toEqual({ action: 'hold' })
    expect(judgeUpdate(facilitator, shape, state)).toEqual(applied(shape, facilitator.secretHash))
    getMetaMap(state.doc).delete('control')
    expect(judgeUpdate(participant, shape, state)).toEqual(applied(shape, participant.secretHash))
  })

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
    // A key nobody owns is no setting at all, for facilitators too.
    expect(judgeUpdate(facilitator, setting, board())).toMatchObject({
      action: 'refuse',
      code: CloseCode.InvalidRecord,
    })
    const display = updateOf((doc) => getMetaMap(doc).set('display', { mode: 'tour', tourSeconds: 30 }))
    expect(judgeUpdate(facilitator, display, board())).toEqual(applied(display, facilitator.secretHash))
  })

  it('refuses a record the full schema refuses, a newer schema and an update of too many structs', () => {
    const noProps = updateOf((doc) =>
      getRecordsMap(doc).set('shape:a', JSON.stringify({ ...shapeRecord('shape:a'), props: {} })),
    )
    expect(judgeUpdate(participant, noProps, board())).toMatchObject({
      action: 'refuse',
      code: CloseCode.InvalidRecord,
    })
    const newer = updateOf((doc) =>
      getMetaMap(doc).set('schema', { schemaVersion: 2, sequences: { 'com.tldraw.shape': 999 } }),
    )
    expect(judgeUpdate(facilitator, newer, board())).toMatchObject({ action: 'refuse', code: CloseCode.InvalidRecord })
    const many = updateOf((doc) => {
      for (let i = 0; i < 30; i++) getRecordsMap(doc).set(`shape:${i}`, JSON.stringify(shapeRecord(`shape:${i}`)))
    })
    const limits = { ...DEFAULT_LIMITS, maxUpdateStructs: 20 }
    expect(judgeUpdate(participant, many, { ...board(), limits })).toMatchObject({
      action: 'refuse',
      code: CloseCode.UpdateTooComplex,
    })
  })

  it('bounds an update’s bytes, except for one record alone in it', () => {
    const limits = { ...DEFAULT_LIMITS, maxUpdateBytes: 128 * 1024 }
    const shapes = (count: number) => (doc: Y.Doc) => {
      for (let i = 0; i < count; i++) getRecordsMap(doc).set(`shape:${i}`, JSON.stringify(shapeRecord(`shape:${i}`)))
    }
    const picture = imageAssetRecord('asset:photo', 300_000)
    const alone = updateOf((doc) => getRecordsMap(doc).set(picture.id, JSON.stringify(picture)))
    const withShapes = (count: number) =>
      updateOf((doc) => {
        getRecordsMap(doc).set(picture.id, JSON.stringify(picture))
        shapes(count)(doc)
      })
    const judge = (update: Uint8Array) => judgeUpdate(participant, update, { ...board(), limits })
    expect(judge(updateOf(shapes(200))).action).toBe('apply')
    expect(judge(updateOf(shapes(400)))).toMatchObject({ action: 'refuse', code: CloseCode.UpdateTooComplex })
    expect(judge(alone).action).toBe('apply')
    // What comes with it must be little: its key, a delete set, a few records.
    expect(judge(withShapes(20)).action).toBe('apply')
    expect(withShapes(200).length - alone.length).toBeGreaterThan(ALONE_BYTES)
    expect(judge(withShapes(200))).toMatchObject({ action: 'refuse', code: CloseCode.UpdateTooComplex })
  })
})
