/**
 * Fuzz: 1,000 seeded malformed frames — unknown message types, truncated varints, lengths
 * that run past the end, garbage Yjs updates — each sent on its own connection. Every one
 * of those connections is closed with MalformedMessage; the server stays healthy, a
 * well-behaved client on the same board stays connected, and the document is unchanged.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { HealthResponse } from '../../shared/api.ts'
import { getRecordsMap } from '../../shared/doc.ts'
import {
  awarenessFrame,
  CloseCode,
  customFrame,
  encodeFrame,
  MessageType,
  SyncStep,
  syncFrame,
  syncStep1Frame,
  writeMessageType,
  writeSyncStep,
} from '../../shared/protocol.ts'
import { api, createBoard, type TestBoard } from '../helpers/api.ts'
import { connectProvider, type ProviderClient } from '../helpers/provider.ts'
import { createRandom, type Random } from '../helpers/random.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { NEW_BOARD_RECORDS, putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { waitFor } from '../helpers/wait.ts'

const FRAMES = 1_000
/** Connections open at the same time. */
const CONCURRENCY = 20
const MAX_REPORTED_FAILURES = 20

describe('malformed frames', () => {
  let server: TestServer
  let board: TestBoard
  let wellBehaved: ProviderClient | undefined

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Fuzz')
  })

  afterEach(async () => {
    wellBehaved?.destroy()
    await server.stop()
  })

  it('close only the connections that sent them, and change nothing', { timeout: 120_000 }, async () => {
    const random = createRandom(1_000_003)
    wellBehaved = await connectProvider(server.wsUrl, board.id, board.tokens.participant)
    putRecords(wellBehaved.doc, [...Array.from({ length: 10 }, (_, i) => shapeRecord(`shape:s${i}`, random))])
    const before = await loadBoard(server, board)
    expect(Object.keys(before.records)).toHaveLength(NEW_BOARD_RECORDS - 1 + 11)

    const frames = Array.from({ length: FRAMES }, () => malformedFrame(random))
    const failures: string[] = []
    // Stop early once the server has clearly failed, so the report lists frames instead of timing out.
    for (let start = 0; start < frames.length && failures.length < MAX_REPORTED_FAILURES; start += CONCURRENCY) {
      const wave = frames.slice(start, start + CONCURRENCY).map(async ({ kind, bytes }, offset) => {
        const index = start + offset
        const token = index % 2 === 0 ? board.tokens.participant : board.tokens.facilitator
        const client = await RawClient.connect(server.wsUrl, board.id, token, {
          syncOnOpen: false,
          answerSyncStep1: false,
          sendLocalUpdates: false,
        })
        // Some connections behave for one frame before they misbehave.
        if (index % 3 === 0) client.sendSyncStep1()
        client.sendRaw(bytes)
        const closed = await client.waitForClose(2_000).catch(() => null)
        if (closed?.code !== CloseCode.MalformedMessage) {
          failures.push(
            `#${index} ${kind} ${Buffer.from(bytes).toString('hex')}: ${closed ? closed.code : 'still open'}`,
          )
          client.socket.terminate()
        }
      })
      await Promise.all(wave)
    }
    expect(failures, `frames not closed with MalformedMessage (seed ${random.seed})`).toEqual([])

    const health = await api<HealthResponse>(server.url, '/healthz')
    expect(health.status).toBe(200)
    expect(health.body.ok).toBe(true)
    expect(health.body.store.ok).toBe(true)

    expect(wellBehaved.provider.wsconnected).toBe(true)
    expect(wellBehaved.closeCodes).toEqual([])
    const after = await loadBoard(server, board)
    expect(after.records).toEqual(before.records)
    expect(after.stateVector).toEqual(before.stateVector)

    // And the board still works for the well-behaved client.
    putRecords(wellBehaved.doc, [shapeRecord('shape:afterFuzz')])
    const reader = await RawClient.connect(server.wsUrl, board.id, board.tokens.display)
    await waitFor(() => getRecordsMap(reader.doc).has('shape:afterFuzz'), {
      message: 'the new record to reach a reader',
    })
    await reader.close()
  })
})

async function loadBoard(server: TestServer, board: TestBoard) {
  const reader = await RawClient.connect(server.wsUrl, board.id, board.tokens.display)
  await reader.waitForSync()
  const snapshot = {
    records: recordsSnapshot(reader.doc),
    stateVector: [...Y.decodeStateVector(Y.encodeStateVector(reader.doc))],
  }
  await reader.close()
  return snapshot
}

/** 1–4 bytes that all say "more bytes follow": a varint cut short. */
const truncatedVarint = (random: Random): Uint8Array =>
  Uint8Array.from({ length: random.int(1, 4) }, () => 0x80 | random.int(0, 127))

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts))

/** Bytes that Yjs refuses to decode as an update. */
function garbageUpdate(random: Random): Uint8Array {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = random.bytes(random.int(1, 48))
    try {
      Y.decodeUpdate(candidate)
    } catch {
      return candidate
    }
  }
  return Uint8Array.of(0xff, 0xff, 0xff, 0xff) // one struct list of an absurd length, then nothing
}

/**
 * A frame whose payload length claims more bytes than the frame has: a well-formed frame
 * with `missing` more payload bytes, cut short by those bytes.
 */
function overlongPayload(random: Random, frame: (payload: Uint8Array) => Uint8Array): Uint8Array {
  const payload = random.bytes(random.int(0, 16))
  const missing = random.int(1, 1000)
  const whole = frame(concat(payload, new Uint8Array(missing)))
  return whole.slice(0, whole.length - missing)
}

type FrameKind =
  | 'unknown-type'
  | 'truncated-type'
  | 'empty'
  | 'sync-unknown-step'
  | 'sync-truncated-step'
  | 'sync-truncated-length'
  | 'sync-overlong-payload'
  | 'sync-garbage-update'
  | 'sync-truncated-state-vector'
  | 'awareness-truncated-length'
  | 'awareness-overlong-payload'

function malformedFrame(random: Random): { kind: FrameKind; bytes: Uint8Array } {
  const sync = (step: number) =>
    encodeFrame((e) => {
      writeMessageType(e, MessageType.Sync)
      writeSyncStep(e, step)
    })
  const awareness = encodeFrame((e) => writeMessageType(e, MessageType.Awareness))
  const anyStep = () => random.pick([SyncStep.Step1, SyncStep.Step2, SyncStep.Update])
  const kind = random.pick<FrameKind>([
    'unknown-type',
    'truncated-type',
    'empty',
    'sync-unknown-step',
    'sync-truncated-step',
    'sync-truncated-length',
    'sync-overlong-payload',
    'sync-garbage-update',
    'sync-garbage-update',
    'sync-truncated-state-vector',
    'awareness-truncated-length',
    'awareness-overlong-payload',
  ])
  switch (kind) {
    case 'unknown-type':
      return {
        kind,
        bytes: customFrame(random.int(4, 1 << 20), random.bytes(random.int(0, 32))),
      }
    case 'truncated-type':
      return { kind, bytes: truncatedVarint(random) }
    case 'empty':
      return { kind, bytes: new Uint8Array(0) }
    case 'sync-unknown-step':
      return { kind, bytes: concat(sync(random.int(3, 1000)), random.bytes(random.int(0, 32))) }
    case 'sync-truncated-step':
      return {
        kind,
        bytes: concat(
          encodeFrame((e) => writeMessageType(e, MessageType.Sync)),
          truncatedVarint(random),
        ),
      }
    case 'sync-truncated-length':
      return { kind, bytes: concat(sync(anyStep()), truncatedVarint(random)) }
    case 'sync-overlong-payload': {
      const step = anyStep()
      return { kind, bytes: overlongPayload(random, (payload) => syncFrame(step, payload)) }
    }
    case 'sync-garbage-update': {
      const payload = garbageUpdate(random)
      return {
        kind,
        bytes: syncFrame(random.pick([SyncStep.Step2, SyncStep.Update]), payload),
      }
    }
    case 'sync-truncated-state-vector': {
      const payload = truncatedVarint(random)
      return { kind, bytes: syncStep1Frame(payload) }
    }
    case 'awareness-truncated-length':
      return { kind, bytes: concat(awareness, truncatedVarint(random)) }
    case 'awareness-overlong-payload':
      return { kind, bytes: overlongPayload(random, awarenessFrame) }
  }
}
