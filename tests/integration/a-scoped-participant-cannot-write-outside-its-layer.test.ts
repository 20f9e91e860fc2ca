/**
 * A participant link scoped to "Sociaal domein" that tries to write anywhere else — the
 * north star, another department's layer, a locked layer inside its own, the layer tree
 * itself, the page or the document — is refused whole, whether the change comes as an
 * Update or as a SyncStep2: its socket is closed with Forbidden (4403), a watching client
 * receives nothing, and nothing is stored (checked after a restart).
 */
import { TLDOCUMENT_ID } from '@tldraw/tlschema'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type * as Y from 'yjs'
import { getRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import {
  BESLOTEN,
  CHANNELS,
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
import { putRecords, updateFrom } from '../helpers/records.ts'

type Attempt = (doc: Y.Doc) => void

const get = (doc: Y.Doc, id: string) => getRecord(getRecordsMap(doc), id) as StoredRecord
const change =
  (id: string, fields: Partial<StoredRecord>): Attempt =>
  (doc) =>
    putRecords(doc, [{ ...get(doc, id), ...fields }])

const ATTEMPTS: [string, Attempt][] = [
  ['moving the north star', change(NORTH_STAR_ID, { x: 500 })],
  ['giving the north star to its own layer', change(NORTH_STAR_ID, { meta: { layerId: SOCIAAL } })],
  ['changing a shape in Publiekszaken', change(SHAPE_IN[PUBLIEK], { x: 77 })],
  ['creating a shape in Publiekszaken', (doc) => putRecords(doc, [shapeInLayer('shape:sneaky', PUBLIEK)])],
  ['deleting a shape in Publiekszaken', (doc) => getRecordsMap(doc).delete(SHAPE_IN[PUBLIEK])],
  ['moving a shape from its layer into Publiekszaken', change(SHAPE_IN[SOCIAAL], { meta: { layerId: PUBLIEK } })],
  ['moving a shape from Publiekszaken into its layer', change(SHAPE_IN[PUBLIEK], { meta: { layerId: SOCIAAL } })],
  ['creating a shape in a locked layer', (doc) => putRecords(doc, [shapeInLayer('shape:sneaky', BESLOTEN)])],
  ['changing a shape in a locked layer', change(SHAPE_IN[BESLOTEN], { x: 77 })],
  ['changing a shape below a locked layer', change(SHAPE_IN[WERKGROEP], { x: 77 })],
  ['unlocking the locked layer', change(BESLOTEN, { locked: false })],
  ['hiding its team layer for everyone', change('layer:jeugd', { visible: false })],
  ['renaming Publiekszaken', change(PUBLIEK, { name: 'Van ons' })],
  ['renaming its own scope layer', change(SOCIAAL, { name: 'Van ons' })],
  ['moving its team layer under Publiekszaken', change('layer:jeugd', { parentId: PUBLIEK })],
  [
    'adding a layer under Publiekszaken',
    (doc) => putRecords(doc, [layerRecord('layer:sneaky', 'Sneaky', PUBLIEK, { index: 9 })]),
  ],
  ['renaming the page', change('page:page', { name: 'Mine' })],
  ['renaming the document', change(TLDOCUMENT_ID, { name: 'Mine' })],
]

describe('a participant scoped to Sociaal domein', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  for (const channel of CHANNELS) {
    for (const [name, attempt] of ATTEMPTS) {
      it(`is closed with Forbidden and changes nothing when ${name} (as ${channel})`, async () => {
        const refusal = await tryUpdate(env, env.sociaalToken, channel, (sender) => updateFrom(sender.doc, attempt))
        expect(refusal.close?.code).toBe(CloseCode.Forbidden)
        expect(refusal.forwarded).toBe(0)
        expect(refusal.after).toEqual(refusal.before)
        expect(await recordsAfterRestart(env)).toEqual(refusal.before)
      })
    }
  }
})
