/**
 * The stage of the identity and completeness attack tests (one file per attack class): a
 * board where a facilitator has written a shape (so its Yjs client id is owned by its
 * browser), an honest participant, an attacker with the public participant link, and a
 * canary. `verify` asserts what every attack test must: a fresh peer sees the target
 * unchanged, the facilitator's and the participant's later edits still arrive, nothing is
 * pending in the server's document, and the canary was answered within 100 ms throughout.
 *
 * `craftUpdate` writes what no Yjs encoder would: GC and Skip structs and delete ranges at
 * any client and clock (the v1 update format, with lib0 like Yjs itself).
 */
import * as encoding from 'lib0/encoding'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { createBoard, type TestBoard } from './api.ts'
import { CANARY_BOUND_MS, type Canary, startCanary } from './canary.ts'
import { RawClient } from './raw-client.ts'
import { putRecords, shapeRecord } from './records.ts'
import { startTestServer, type TestServer } from './server.ts'
import { waitFor } from './wait.ts'

export const TARGET = 'shape:target'

export interface IdentityStage {
  server: TestServer
  board: TestBoard
  facilitator: RawClient
  participant: RawClient
  canary: Canary
  /** The facilitator's Yjs client id, owned by its browser. */
  victim: number
  /** What the server holds of it. */
  victimClock(): number
  /** Opens an attacker's raw connection (its own browser) that sends only what it is told. */
  attacker(doc?: Y.Doc): Promise<RawClient>
  /** The room's document on the server (to check nothing is pending). */
  serverDoc(): Y.Doc
  /** The assertions every attack test makes; stops everything. */
  verify(): Promise<void>
}

export async function stageIdentityAttack(): Promise<IdentityStage> {
  const server = await startTestServer()
  const board = await createBoard(server.url, 'Identity')
  const facilitator = await RawClient.connect(server.wsUrl, board.id, board.tokens.facilitator)
  await facilitator.waitForSync()
  putRecords(facilitator.doc, [{ ...shapeRecord(TARGET), x: 1 }])
  await facilitator.roundTrip()
  const participant = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
  await participant.waitForSync()
  const canary = await startCanary(server.wsUrl, board.id, board.tokens.display)
  const expected = getRecord(getRecordsMap(facilitator.doc), TARGET)
  const serverDoc = () => {
    const room = server.server.rooms.rooms.get(board.id)
    if (!room) throw new Error('the board’s room is not loaded')
    return room.doc
  }
  const victim = facilitator.doc.clientID
  return {
    server,
    board,
    facilitator,
    participant,
    canary,
    victim,
    victimClock: () => Y.getState(serverDoc().store, victim),
    serverDoc,
    attacker: async (doc) => {
      const client = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant, {
        doc,
        sendLocalUpdates: false,
        answerSyncStep1: false,
      })
      await client.waitForSync()
      return client
    },
    async verify() {
      try {
        expect(serverDoc().store.pendingStructs).toBeNull()
        expect(serverDoc().store.pendingDs).toBeNull()
        // Honest edits after the attack still arrive, from both honest people.
        putRecords(facilitator.doc, [{ ...shapeRecord('shape:after-facilitator'), x: 2 }])
        putRecords(participant.doc, [{ ...shapeRecord('shape:after-participant'), x: 3 }])
        await facilitator.roundTrip()
        await participant.roundTrip()
        const fresh = await RawClient.connect(server.wsUrl, board.id, board.tokens.display)
        await fresh.waitForSync()
        const records = getRecordsMap(fresh.doc)
        expect(getRecord(records, TARGET)).toEqual(expected)
        expect(records.has('shape:after-facilitator')).toBe(true)
        expect(records.has('shape:after-participant')).toBe(true)
        await waitFor(() => getRecordsMap(participant.doc).has('shape:after-facilitator'), {
          message: 'the facilitator’s later edit to reach the participant',
        })
        expect(facilitator.closeInfo).toBeNull()
        expect(participant.closeInfo).toBeNull()
        expect(serverDoc().store.pendingStructs).toBeNull()
        expect(serverDoc().store.pendingDs).toBeNull()
        await fresh.close()
        const { maxMs } = await canary.stop()
        expect(maxMs).toBeLessThan(CANARY_BOUND_MS)
      } finally {
        await facilitator.close()
        await participant.close()
        await server.stop()
      }
    },
  }
}

export type CraftedStruct = { gc: number } | { skip: number }

/** An update (v1) of GC and Skip structs under one client from `clock`, and delete ranges. */
export function craftUpdate(
  groups: readonly { client: number; clock: number; structs: readonly CraftedStruct[] }[],
  deletes: readonly { client: number; ranges: readonly { clock: number; len: number }[] }[] = [],
): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, groups.length)
  for (const group of groups) {
    encoding.writeVarUint(encoder, group.structs.length)
    encoding.writeVarUint(encoder, group.client)
    encoding.writeVarUint(encoder, group.clock)
    for (const struct of group.structs) {
      // The info byte: 0 is a GC struct, 10 a Skip; both are followed by their length.
      encoding.writeUint8(encoder, 'gc' in struct ? 0 : 10)
      encoding.writeVarUint(encoder, 'gc' in struct ? struct.gc : struct.skip)
    }
  }
  encoding.writeVarUint(encoder, deletes.length)
  for (const { client, ranges } of deletes) {
    encoding.writeVarUint(encoder, client)
    encoding.writeVarUint(encoder, ranges.length)
    for (const { clock, len } of ranges) {
      encoding.writeVarUint(encoder, clock)
      encoding.writeVarUint(encoder, len)
    }
  }
  return encoding.toUint8Array(encoder)
}
