/**
 * A socket that asks for the whole board again and again (SyncStep1 with an empty state
 * vector) and never reads made the server buffer a copy per question: gigabytes for a big
 * board. Once what it has not read passes `STIP_MAX_BUFFERED_BYTES`, the server stops
 * writing to it and closes it with NotReading (or, first, RateLimited for the bytes of its
 * answers); honest peers, a 3,000-shape board's joiners included, keep working.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { CloseCode, syncStep1Frame } from '../../shared/protocol.ts'
import { type AttackBoard, closedWith, startAttackBoard } from '../helpers/attack.ts'
import { SOCIAAL, shapeInLayer } from '../helpers/layers.ts'

const BIG_BOARD = Array.from({ length: 3_000 }, (_, i) => shapeInLayer(`shape:big${i}`, SOCIAAL))

describe('a socket that asks for the whole board and never reads', () => {
  let env: AttackBoard

  beforeEach(async () => {
    env = await startAttackBoard(BIG_BOARD)
  })

  afterEach(async () => {
    await env.stop()
  })

  it('is closed once its unread answers pass the limit', async () => {
    const attacker = await env.attacker(env.board.tokens.display)
    // Stop reading: the kernel's buffers fill, then the server's.
    const tcp = (attacker.socket as unknown as { _socket: { pause(): void; resume(): void } })._socket
    tcp.pause()
    const everything = syncStep1Frame(Y.encodeStateVector(new Y.Doc()))
    for (let i = 0; i < 150; i++) attacker.sendRaw(everything)
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    tcp.resume() // to read the close frame behind what was buffered
    const { code } = await closedWith(attacker, 20_000)
    expect([CloseCode.NotReading, CloseCode.RateLimited]).toContain(code)
    await env.expectUnharmed()
  })
})
