/**
 * Signals, Stip's one custom message type: `hello` is answered with the server's clock
 * (each client's offset for the timer) and the follow-me in progress, so a late joiner
 * joins it; `bring`, `follow` and reactions are relayed to everyone else and never stored;
 * a follow ends when its facilitator's connection goes. Signals are bounded: malformed ones
 * and floods close only their sender, and a display sends none but `hello`. The timer,
 * stored as an end time, reads the same after a server restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getMetaMap } from '../../shared/doc.ts'
import { CloseCode, customFrame, SIGNAL_BURST, SIGNAL_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { META_TIMER_KEY, readTimer, remainingSeconds, startTimer } from '../../shared/timer.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { nextSignal, sendSignal, setMeta, signalsOf } from '../helpers/signals.ts'

describe('signals', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Sessie')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  async function connect(token: string): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, token)
    clients.push(client)
    await client.waitForSync()
    return client
  }

  it('hello is answered with the server’s clock', async () => {
    const client = await connect(board.tokens.participant)
    const sentAt = Date.now() - 5 * 60_000 // a device whose clock is five minutes slow
    const before = Date.now()
    sendSignal(client, { kind: 'hello', sentAt })
    const hello = await nextSignal(client, 'hello')
    expect(hello.sentAt).toBe(sentAt)
    expect(hello.serverTime).toBeGreaterThanOrEqual(before)
    expect(hello.serverTime).toBeLessThanOrEqual(Date.now())
    expect(hello.follow).toBeNull()
  })

  it('relays bring and follow to everyone else; a late joiner joins the follow; it ends with its leader', async () => {
    const sanne = await connect(board.tokens.facilitator)
    const early = await connect(board.tokens.participant)
    const display = await connect(board.tokens.display)
    sendSignal(sanne, { kind: 'bring', userId: 'user:sanne' })
    expect(await nextSignal(early, 'bring')).toEqual({ kind: 'bring', userId: 'user:sanne' })
    await nextSignal(display, 'bring')
    sendSignal(sanne, { kind: 'follow', userId: 'user:sanne' })
    await nextSignal(early, 'follow', (s) => s.userId === 'user:sanne')
    expect(signalsOf(sanne).some((s) => s.kind === 'bring' || s.kind === 'follow')).toBe(false) // not echoed

    const late = await connect(board.tokens.participant)
    sendSignal(late, { kind: 'hello', sentAt: Date.now() })
    expect((await nextSignal(late, 'hello')).follow).toBe('user:sanne')

    await sanne.close() // her battery dies
    await nextSignal(late, 'follow', (s) => s.userId === null)
    const later = await connect(board.tokens.participant)
    sendSignal(later, { kind: 'hello', sentAt: Date.now() })
    expect((await nextSignal(later, 'hello')).follow).toBeNull()
  })

  it('relays a reaction to everyone else, stores nothing, and lets no display send one', async () => {
    const anne = await connect(board.tokens.participant)
    const bram = await connect(board.tokens.participant)
    const display = await connect(board.tokens.display)
    sendSignal(anne, { kind: 'reaction', emoji: '🎉', x: 10, y: 20 })
    expect(await nextSignal(bram, 'reaction')).toEqual({ kind: 'reaction', emoji: '🎉', x: 10, y: 20 })
    await nextSignal(display, 'reaction')
    expect(server.server.store.loadDocument(board.id).updates.length).toBe(1) // the board's first update only
    sendSignal(display, { kind: 'reaction', emoji: '👍', x: 0, y: 0 })
    expect((await display.waitForClose()).code).toBe(CloseCode.SignalForbidden)
  })

  it('closes only the sender of a malformed signal or a flood', async () => {
    const bystander = await connect(board.tokens.participant)
    const garbage = await connect(board.tokens.participant)
    garbage.sendRaw(customFrame(SIGNAL_MESSAGE_TYPE, new TextEncoder().encode('{"kind":"reaction","emoji":"💣"}')))
    expect((await garbage.waitForClose()).code).toBe(CloseCode.MalformedMessage)
    const flood = await connect(board.tokens.participant)
    for (let i = 0; i < SIGNAL_BURST + 5; i++) sendSignal(flood, { kind: 'reaction', emoji: '👍', x: i, y: 0 })
    expect((await flood.waitForClose()).code).toBe(CloseCode.SignalsTooFast)
    await bystander.roundTrip()
    expect(bystander.closeInfo).toBeNull()
  })

  it('a timer reads the same remaining time after the server restarts', async () => {
    const facilitator = await connect(board.tokens.facilitator)
    const timer = startTimer(10 * 60_000, Date.now())
    setMeta(facilitator, META_TIMER_KEY, timer)
    await facilitator.roundTrip()
    await facilitator.close()
    clients.length = 0
    await server.restart()
    const after = await connect(board.tokens.display)
    const stored = readTimer(getMetaMap(after.doc).get(META_TIMER_KEY))
    expect(stored).toEqual(timer)
    const at = Date.now()
    expect(stored && remainingSeconds(stored, at)).toBe(remainingSeconds(timer, at))
  })
})
