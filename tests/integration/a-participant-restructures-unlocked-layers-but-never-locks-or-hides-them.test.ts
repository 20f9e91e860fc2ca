/**
 * The main participant link (not scoped to a layer) writes shapes in every unlocked layer
 * and may add, rename and reorder layers below writable ones. Locks and board-wide
 * visibility stay the facilitator's, as do locked layers, the north star, the page and the
 * document: trying any of those closes its socket with Forbidden and changes nothing.
 */
import { TLDOCUMENT_ID } from '@tldraw/tlschema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { getRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import {
  BESLOTEN,
  CHANNELS,
  JEUGD,
  type LayeredBoard,
  layerRecord,
  PUBLIEK,
  recordsAfterRestart,
  SHAPE_IN,
  SOCIAAL,
  shapeInLayer,
  startLayeredBoard,
  tryUpdate,
  WERKGROEP,
} from '../helpers/layers.ts'
import { putRecords, recordsSnapshot, updateFrom } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

type Attempt = (doc: Y.Doc) => void
const get = (doc: Y.Doc, id: string) => getRecord(getRecordsMap(doc), id) as StoredRecord
const change =
  (id: string, fields: Partial<StoredRecord>): Attempt =>
  (doc) =>
    putRecords(doc, [{ ...get(doc, id), ...fields }])

const REFUSED: [string, Attempt][] = [
  ['locking a layer', change(PUBLIEK, { locked: true })],
  ['unlocking a locked layer', change(BESLOTEN, { locked: false })],
  ['hiding a layer for everyone', change(PUBLIEK, { visible: false })],
  [
    'adding a layer that starts locked',
    (doc) => putRecords(doc, [layerRecord('layer:nieuw', 'Nieuw', SOCIAAL, { index: 7, locked: true })]),
  ],
  [
    'adding a layer inside a locked layer',
    (doc) => putRecords(doc, [layerRecord('layer:nieuw', 'Nieuw', BESLOTEN, { index: 7 })]),
  ],
  ['renaming the root layer', change(ROOT_LAYER_ID, { name: 'Van ons' })],
  ['drawing in a locked layer', (doc) => putRecords(doc, [shapeInLayer('shape:sneaky', WERKGROEP)])],
  ['moving a shape into a locked layer', change(SHAPE_IN[PUBLIEK], { meta: { layerId: BESLOTEN } })],
  ['editing the north star', change(NORTH_STAR_ID, { x: 1 })],
  ['renaming the page', change('page:page', { name: 'Mine' })],
  ['renaming the document', change(TLDOCUMENT_ID, { name: 'Mine' })],
]

describe('a participant with the main link', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('draws in every unlocked layer and adds, renames and reorders layers', async () => {
    const participant = await env.connect(env.board.tokens.participant)
    const watcher = await env.connect(env.board.tokens.facilitator, { sendLocalUpdates: false })
    const doc = participant.doc
    const steps: Attempt[] = [
      (d) => putRecords(d, [shapeInLayer('shape:p-root', null), shapeInLayer('shape:p-publiek', PUBLIEK)]),
      (d) => putRecords(d, [shapeInLayer('shape:p-jeugd', JEUGD)]),
      change(SHAPE_IN[SOCIAAL], { meta: { layerId: PUBLIEK } }),
      (d) => getRecordsMap(d).delete(SHAPE_IN[PUBLIEK]),
      (d) => putRecords(d, [layerRecord('layer:burgerzaken', 'Burgerzaken', PUBLIEK, { index: 1 })]),
      change(PUBLIEK, { name: 'Publiekszaken & Burgerzaken', color: 'red', index: 0.5 }),
      change(JEUGD, { index: 3 }),
    ]
    for (const step of steps) {
      step(doc)
      await participant.roundTrip()
    }
    expect(participant.closeInfo).toBeNull()
    const expected = recordsSnapshot(doc)
    await waitFor(() => JSON.stringify(recordsSnapshot(watcher.doc)) === JSON.stringify(expected), {
      message: 'the facilitator to see every change of the participant',
    })
    expect(await recordsAfterRestart(env)).toEqual(expected)
  })

  for (const channel of CHANNELS) {
    for (const [name, attempt] of REFUSED) {
      it(`is closed with Forbidden and changes nothing when ${name} (as ${channel})`, async () => {
        const refusal = await tryUpdate(env, env.board.tokens.participant, channel, (sender) =>
          updateFrom(sender.doc, attempt),
        )
        expect(refusal.close?.code).toBe(CloseCode.Forbidden)
        expect(refusal.forwarded).toBe(0)
        expect(refusal.after).toEqual(refusal.before)
        expect(await recordsAfterRestart(env)).toEqual(refusal.before)
      })
    }
  }
})
