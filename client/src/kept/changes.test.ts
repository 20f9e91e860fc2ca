import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { initialDocumentUpdate } from '../../../server/boardDocument.ts'
import { decodeRecord, getRecordsMap, type StoredRecord, setRecord } from '../../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { CloseCode } from '../../../shared/protocol.ts'
import { layerRecord, shapeInLayer } from '../../../tests/helpers/layers.ts'
import { putRecords } from '../../../tests/helpers/records.ts'
import { decodeChanges, encodeChanges, keptChanges, mergeChanges, sortKept } from './changes.ts'

const OOST = 'layer:oost'
const WEST = 'layer:west'
const PARTICIPANT = { role: 'participant' as const, layerId: null }

/** A server copy with two department layers and one shape in each, and a browser that synced it. */
function boardAndBrowser(): { server: Y.Doc; browser: Y.Doc } {
  const server = new Y.Doc()
  Y.applyUpdate(server, initialDocumentUpdate('Gemeente Voorbeeld'))
  putRecords(server, [
    layerRecord(OOST, 'Team Oost', ROOT_LAYER_ID),
    layerRecord(WEST, 'Team West', ROOT_LAYER_ID),
    shapeInLayer('shape:oost-1', OOST),
    shapeInLayer('shape:west-1', WEST),
  ])
  const browser = new Y.Doc()
  Y.applyUpdate(browser, Y.encodeStateAsUpdate(server))
  return { server, browser }
}

function record(doc: Y.Doc, id: string): StoredRecord | undefined {
  return decodeRecord(getRecordsMap(doc).get(id), id)
}

function lock(doc: Y.Doc, layerId: string, locked = true): void {
  const layer = record(doc, layerId)
  if (layer) setRecord(getRecordsMap(doc), { ...layer, locked })
}

const ids = (records: readonly StoredRecord[]) => records.map((r) => r.id).sort()

describe('kept work', () => {
  it('finds what the refused copy changes, without undoing anyone else’s newer work', () => {
    const { server, browser } = boardAndBrowser()
    // Offline in the browser: a new shape, a moved one, a deleted one.
    putRecords(browser, [shapeInLayer('shape:new', OOST), { ...shapeInLayer('shape:oost-1', OOST), x: 500 }])
    getRecordsMap(browser).delete('shape:west-1')
    // Meanwhile on the server: someone else draws a shape the browser never saw. The copy
    // lacks it, yet it is no removal of ours.
    putRecords(server, [shapeInLayer('shape:by-someone-else', null)])

    const changes = keptChanges(server, Y.encodeStateAsUpdate(browser))
    expect(ids(changes.puts)).toEqual(['shape:new', 'shape:oost-1'])
    expect(changes.puts.find((r) => r.id === 'shape:oost-1')?.x).toBe(500)
    expect(changes.removals).toEqual(['shape:west-1'])
  })

  it('finds nothing once the server holds all of it', () => {
    const { server, browser } = boardAndBrowser()
    putRecords(browser, [shapeInLayer('shape:new', OOST)])
    Y.applyUpdate(server, Y.encodeStateAsUpdate(browser))
    expect(keptChanges(server, Y.encodeStateAsUpdate(browser))).toEqual({ puts: [], removals: [] })
  })

  it('writes what a participant may write now and parks what is in a layer locked meanwhile', () => {
    const { server, browser } = boardAndBrowser()
    putRecords(browser, [shapeInLayer('shape:in-west', WEST), shapeInLayer('shape:in-oost', OOST)])
    getRecordsMap(browser).delete('shape:oost-1')
    lock(server, OOST)

    const sorted = sortKept(server, PARTICIPANT, keptChanges(server, Y.encodeStateAsUpdate(browser)), {
      code: CloseCode.Forbidden,
      recordId: 'shape:in-oost',
    })
    expect(ids(sorted.apply.puts)).toEqual(['shape:in-west'])
    expect(ids(sorted.park.puts)).toEqual(['shape:in-oost'])
    expect(sorted.park.removals).toEqual(['shape:oost-1'])
    expect(sorted.drop).toEqual({ puts: [], removals: [] })

    // Unlocked: all that waited may be written.
    lock(server, OOST, false)
    const later = sortKept(server, PARTICIPANT, sorted.park, null)
    expect(ids(later.apply.puts)).toEqual(['shape:in-oost'])
    expect(later.apply.removals).toEqual(['shape:oost-1'])
    expect(later.park).toEqual({ puts: [], removals: [] })
  })

  it('parks what depends on a parked shape: an arrow bound to it, a shape inside it', () => {
    const { server } = boardAndBrowser()
    lock(server, OOST)
    const frame = { ...shapeInLayer('shape:frame', OOST) }
    const child = { ...shapeInLayer('shape:child', WEST), parentId: 'shape:frame' }
    const arrow = shapeInLayer('shape:arrow', WEST)
    const binding = {
      id: 'binding:arrow-frame',
      typeName: 'binding',
      type: 'arrow',
      fromId: 'shape:arrow',
      toId: 'shape:frame',
      props: {
        terminal: 'end',
        normalizedAnchor: { x: 0.5, y: 0.5 },
        isExact: false,
        isPrecise: false,
        snap: 'none',
      },
      meta: {},
    }
    const sorted = sortKept(server, PARTICIPANT, { puts: [frame, child, arrow, binding], removals: [] }, null)
    expect(ids(sorted.park.puts)).toEqual(['binding:arrow-frame', 'shape:child', 'shape:frame'])
    expect(ids(sorted.apply.puts)).toEqual(['shape:arrow'])
  })

  it('drops what the server never takes: an invalid record, the record it named too large', () => {
    const { server } = boardAndBrowser()
    const invalid = { ...shapeInLayer('shape:bad', WEST), x: 'far away' }
    const huge = { ...shapeInLayer('shape:huge', WEST), meta: { note: 'x'.repeat(100) } }
    const fine = shapeInLayer('shape:fine', WEST)
    const sorted = sortKept(
      server,
      PARTICIPANT,
      { puts: [invalid, huge, fine], removals: [] },
      {
        code: CloseCode.RecordTooLarge,
        recordId: 'shape:huge',
      },
    )
    expect(ids(sorted.drop.puts)).toEqual(['shape:bad', 'shape:huge'])
    expect(ids(sorted.apply.puts)).toEqual(['shape:fine'])
  })

  it('on a full board, keeps the new shapes waiting and still deletes', () => {
    const { server } = boardAndBrowser()
    const sorted = sortKept(
      server,
      PARTICIPANT,
      { puts: [shapeInLayer('shape:more', WEST)], removals: ['shape:west-1'] },
      { code: CloseCode.BoardTooLarge, recordId: null },
    )
    expect(ids(sorted.park.puts)).toEqual(['shape:more'])
    expect(sorted.apply).toEqual({ puts: [], removals: ['shape:west-1'] })
  })

  it('parks everything when the link may no longer write at all', () => {
    const { server } = boardAndBrowser()
    const sorted = sortKept(
      server,
      { role: 'display', layerId: null },
      { puts: [shapeInLayer('shape:x', WEST)], removals: [] },
      null,
    )
    expect(ids(sorted.park.puts)).toEqual(['shape:x'])
    expect(sorted.apply.puts).toEqual([])
  })

  it('keeps changes as JSON and merges later over earlier', () => {
    const a = shapeInLayer('shape:a', WEST)
    const kept = decodeChanges(JSON.parse(JSON.stringify(encodeChanges({ puts: [a], removals: ['shape:b'] }))))
    expect(kept).toEqual({ puts: [a], removals: ['shape:b'] })
    expect(decodeChanges({ puts: ['not json', 42], removals: [7, 'shape:c'] })).toEqual({
      puts: [],
      removals: ['shape:c'],
    })
    const merged = mergeChanges(kept, { puts: [{ ...shapeInLayer('shape:b', WEST) }], removals: ['shape:a'] })
    expect(ids(merged.puts)).toEqual(['shape:b'])
    expect(merged.removals).toEqual(['shape:a'])
  })
})
