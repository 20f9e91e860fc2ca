/**
 * The frame of the gate's attack tests (one file per attack class): the layered board of
 * `layers.ts`, a canary measuring the server's answers throughout (`canary.ts`), an
 * attacker's raw connection, and the three things every such test asserts afterwards:
 * a fresh peer sees the board (records and meta) as it was, an honest participant's next
 * edit still reaches a watcher, and the canary was answered within `CANARY_BOUND_MS`.
 */
import { expect } from 'vitest'
import { getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { CANARY_BOUND_MS, type Canary, startCanary } from './canary.ts'
import { type LayeredBoard, SOCIAAL, shapeInLayer, startLayeredBoard } from './layers.ts'
import type { CloseInfo, RawClient } from './raw-client.ts'
import { boardSnapshot, putRecords } from './records.ts'
import { waitFor } from './wait.ts'

export interface AttackBoard extends LayeredBoard {
  /** The board as a fresh facilitator connection saw it before the attack. */
  before: ReturnType<typeof boardSnapshot>
  canary: Canary
  /** Opens the attacker's connection (no local updates sent by itself). */
  attacker(token: string): Promise<RawClient>
  /**
   * Asserts the three outcomes: board unchanged for a fresh peer, honest edits still
   * arrive, canary within bound. Call once, after the attack.
   */
  expectUnharmed(): Promise<void>
}

/** `seed`: records a facilitator adds before the attack (a big board, say). */
export async function startAttackBoard(seed: StoredRecord[] = []): Promise<AttackBoard> {
  const env = await startLayeredBoard()
  const first = await env.connect(env.board.tokens.facilitator, {
    sendLocalUpdates: seed.length === 0 ? false : undefined,
  })
  if (seed.length > 0) {
    // In transactions of 200 records, as the client's slices: one update each, within the
    // server's bounds on an update's structs and bytes.
    for (let start = 0; start < seed.length; start += 200) putRecords(first.doc, seed.slice(start, start + 200))
    await first.roundTrip()
  }
  const before = boardSnapshot(first.doc)
  await env.closeClients()
  const canary = await startCanary(env.server.wsUrl, env.board.id, env.board.tokens.display)
  let unharmedChecked = false
  return {
    ...env,
    before,
    canary,
    // Joining syncs the board into a doc of this process: the test's work, not the attack's.
    attacker: (token) => canary.paused(() => env.connect(token, { sendLocalUpdates: false })),
    async expectUnharmed() {
      unharmedChecked = true
      // [1] The canary's watch ends with the attack: what follows is the test's own work.
      const { maxMs, samples } = await canary.stop()
      const fresh = await env.connect(env.board.tokens.facilitator, { sendLocalUpdates: false })
      expect(boardSnapshot(fresh.doc)).toEqual(before)
      const honest = await env.connect(env.sociaalToken)
      putRecords(honest.doc, [shapeInLayer('shape:honest-after', SOCIAAL)])
      await waitFor(() => getRecordsMap(fresh.doc).has('shape:honest-after'), {
        message: 'an honest participant’s edit after the attack to reach a watcher',
      })
      expect(honest.closeInfo).toBeNull()
      expect(samples).toBeGreaterThan(0)
      expect(maxMs, 'the slowest canary round trip').toBeLessThan(CANARY_BOUND_MS)
    },
    async stop() {
      if (!unharmedChecked) await canary.stop().catch(() => {})
      await env.stop()
    },
  }
}

/** Waits for the server to close `client`, and returns how. */
export function closedWith(client: RawClient, timeoutMs = 5_000): Promise<CloseInfo> {
  return client.waitForClose(timeoutMs)
}

// [1] The test shares its event loop with the server it attacks, so a fresh peer syncing a
//     big board or parsing its records would be measured as the server keeping the canary
//     waiting. The server's part ends when it has answered the attack (the close awaited
//     before this is called).
