/**
 * The frame codec of `protocol.ts`: every frame Stip sends or reads comes back as it was
 * written, and a frame that is cut short, too long or of an unknown type is refused, because
 * the room closes a connection (MalformedMessage) exactly when `readFrame` throws.
 */
import * as decoding from 'lib0/decoding'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import {
  awarenessFrame,
  CloseCode,
  customFrame,
  encodeFrame,
  MessageType,
  queryAwarenessFrame,
  readClientSignal,
  readFrame,
  readMessageType,
  readRest,
  readServerSignal,
  refusalReason,
  refusedRecordOf,
  SIGNAL_MESSAGE_TYPE,
  SyncStep,
  signalFrame,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
  writeSync,
} from './protocol.ts'

const bytes = (...values: number[]) => Uint8Array.from(values)

function docUpdate(): Uint8Array {
  const doc = new Y.Doc()
  doc.getMap('records').set('shape:a', '{"id":"shape:a"}')
  return Y.encodeStateAsUpdate(doc)
}

describe('frame codec', () => {
  const update = docUpdate()
  const stateVector = Y.encodeStateVector(new Y.Doc())

  it('reads back every frame it writes', () => {
    expect(readFrame(syncStep1Frame(stateVector))).toEqual({
      type: MessageType.Sync,
      step: SyncStep.Step1,
      stateVector,
    })
    expect(readFrame(syncStep2Frame(update))).toEqual({ type: MessageType.Sync, step: SyncStep.Step2, update })
    expect(readFrame(updateFrame(update))).toEqual({ type: MessageType.Sync, step: SyncStep.Update, update })
    expect(readFrame(awarenessFrame(bytes(1, 2, 3)))).toEqual({ type: MessageType.Awareness, update: bytes(1, 2, 3) })
    expect(readFrame(queryAwarenessFrame())).toEqual({ type: MessageType.QueryAwareness })
  })

  it('writes the y-websocket layout byte for byte', () => {
    expect(updateFrame(bytes(9, 8))).toEqual(bytes(MessageType.Sync, SyncStep.Update, 2, 9, 8))
    expect(awarenessFrame(bytes())).toEqual(bytes(MessageType.Awareness, 0))
    expect(queryAwarenessFrame()).toEqual(bytes(MessageType.QueryAwareness))
  })

  it('writes a sync frame with a long payload (a length of several bytes) as the encoder would', () => {
    for (const length of [127, 128, 300, 70_000]) {
      const payload = Uint8Array.from({ length }, (_, i) => i % 251)
      expect(syncStep2Frame(payload)).toEqual(encodeFrame((encoder) => writeSync(encoder, SyncStep.Step2, payload)))
    }
  })

  it('refuses every truncation of a frame', () => {
    for (const frame of [syncStep1Frame(stateVector), updateFrame(update), awarenessFrame(bytes(1, 2, 3))]) {
      for (let length = 0; length < frame.length; length++) {
        expect(() => readFrame(frame.subarray(0, length)), `first ${length} of ${frame.length} bytes`).toThrow()
      }
    }
  })

  it('refuses a payload length that runs past the end, even inside a larger buffer', () => {
    const pooled = bytes(MessageType.Sync, SyncStep.Update, 5, 1, 2, 0, 0, 0, 0, 0)
    expect(() => readFrame(pooled.subarray(0, 5))).toThrow()
  })

  it('refuses trailing bytes', () => {
    expect(() => readFrame(bytes(...updateFrame(update), 0))).toThrow('trailing bytes')
    expect(() => readFrame(bytes(MessageType.QueryAwareness, 0))).toThrow('trailing bytes')
  })

  it('refuses unknown message types and sync steps', () => {
    expect(() => readFrame(bytes(7))).toThrow('unknown message type 7')
    expect(() => readFrame(bytes(MessageType.Auth, 0))).toThrow('unknown message type 2')
    expect(() => readFrame(bytes(MessageType.Sync, 3, 0))).toThrow('unknown sync step 3')
    expect(() => readFrame(bytes(0x80, 0x80))).toThrow() // a type cut short
  })

  it('carries a custom message as its type and untouched payload, which readFrame does not know', () => {
    const frame = customFrame(100, bytes(4, 5, 6))
    expect(() => readFrame(frame)).toThrow('unknown message type 100')
    const decoder = decoding.createDecoder(frame)
    expect(readMessageType(decoder)).toBe(100)
    expect(readRest(decoder)).toEqual(bytes(4, 5, 6))
    expect(() => customFrame(MessageType.Sync, bytes())).toThrow()
  })
})

describe('signals', () => {
  const payloadOf = (value: unknown) => new TextEncoder().encode(JSON.stringify(value))

  it('read exactly the client signals the protocol defines', () => {
    expect(readClientSignal(payloadOf({ kind: 'hello', sentAt: 5 }))).toEqual({ kind: 'hello', sentAt: 5 })
    expect(readClientSignal(payloadOf({ kind: 'follow', userId: null }))).toEqual({ kind: 'follow', userId: null })
    expect(readClientSignal(payloadOf({ kind: 'reaction', emoji: '🎉', x: 1, y: 2 }))).toEqual({
      kind: 'reaction',
      emoji: '🎉',
      x: 1,
      y: 2,
    })
    expect(() => readClientSignal(payloadOf({ kind: 'reaction', emoji: '💩', x: 1, y: 2 }))).toThrow(/reaction/)
    expect(() => readClientSignal(payloadOf({ kind: 'vote', itemId: 'shape:a', weight: 9 }))).toThrow(/unknown field/)
    expect(() => readClientSignal(payloadOf({ kind: 'tally' }))).toThrow(/unknown signal/)
    expect(() => readClientSignal(payloadOf([1]))).toThrow(/object/)
    expect(() => readClientSignal(new Uint8Array([0xff, 0xfe]))).toThrow()
    expect(() => readClientSignal(payloadOf({ kind: 'vote', itemId: 'x'.repeat(2000) }))).toThrow(/1024 bytes/)
  })

  it('travel as a custom frame of their own type', () => {
    const frame = signalFrame({ kind: 'bring', userId: 'user:sanne' })
    expect(frame[0]).toBe(SIGNAL_MESSAGE_TYPE)
    expect(() => readFrame(frame)).toThrow(/unknown message type/)
    expect(readServerSignal(frame.subarray(1))).toEqual({ kind: 'bring', userId: 'user:sanne' })
    expect(readServerSignal(signalFrame({ kind: 'close-round' }).subarray(1))).toBeNull()
  })
})

describe('the close reason of a refused change', () => {
  it('names the record, and is read back', () => {
    const reason = refusalReason(CloseCode.Forbidden, 'shape:abc')
    expect(reason).toBe('Forbidden shape:abc')
    expect(refusedRecordOf(reason)).toBe('shape:abc')
    expect(refusedRecordOf(refusalReason(CloseCode.InvalidRecord, 'meta:display'))).toBe('meta:display')
  })

  it('is the code name alone without a record, or when the id would not fit', () => {
    expect(refusalReason(CloseCode.BoardTooLarge)).toBe('BoardTooLarge')
    expect(refusedRecordOf('BoardTooLarge')).toBeNull()
    const long = `shape:${'x'.repeat(200)}`
    expect(refusalReason(CloseCode.Forbidden, long)).toBe('Forbidden')
    expect(
      new TextEncoder().encode(refusalReason(CloseCode.Forbidden, `shape:${'é'.repeat(55)}`)).length,
    ).toBeLessThanOrEqual(123)
    expect(refusedRecordOf('Forbidden not a record id')).toBeNull()
  })
})
