/**
 * Dot voting with results "at the end": the ballots are held by the server, outside the
 * document. While the round is open no client — the facilitator's and the display's
 * included — receives anyone's votes in the document, in presence or in a signal; each
 * voter is sent only their own ballot. The server enforces the round's limits. On close it
 * writes the tally into the board as a `vote-result` record, and forgets the ballots.
 * With "live" results everyone is sent the tally as it changes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { getMetaMap, getRecord, getRecordsMap } from '../../shared/doc.ts'
import { MILESTONE_TYPE } from '../../shared/schema/milestone.ts'
import { voteResultId } from '../../shared/schema/voteResult.ts'
import { META_VOTING_KEY } from '../../shared/voting.ts'
import { createBoard, type TestBoard } from '../helpers/api.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { nextSignal, openRound, sendSignal, setMeta, signalsOf } from '../helpers/signals.ts'
import { waitFor } from '../helpers/wait.ts'

describe('dot voting', () => {
  let server: TestServer
  let board: TestBoard
  const clients: RawClient[] = []

  beforeEach(async () => {
    server = await startTestServer()
    board = await createBoard(server.url, 'Stemmen')
  })

  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close()
    await server.stop()
  })

  async function connect(token: string): Promise<RawClient> {
    const client = await RawClient.connect(server.wsUrl, board.id, token)
    clients.push(client)
    await client.waitForSync()
    sendSignal(client, { kind: 'hello', sentAt: Date.now() })
    await nextSignal(client, 'hello')
    return client
  }

  const milestone = (id: string) => ({
    ...shapeRecord(id),
    type: MILESTONE_TYPE,
    props: {
      w: 220,
      h: 120,
      title: `Mijlpaal ${id}`,
      description: '',
      owner: '',
      start: '2026-01-05',
      end: '2026-01-18',
      status: 'planned',
      doneAt: null,
    },
  })

  it('keeps a hidden round’s ballots out of every client until it closes, then writes the result', async () => {
    const facilitator = await connect(board.tokens.facilitator)
    const display = await connect(board.tokens.display)
    putRecords(facilitator.doc, [
      milestone('shape:m1'),
      milestone('shape:m2'),
      milestone('shape:m3'),
      shapeRecord('shape:note'),
    ])
    await facilitator.roundTrip()
    const anne = await connect(board.tokens.participant)
    const bram = await connect(board.tokens.participant)

    setMeta(facilitator, META_VOTING_KEY, openRound({ targets: 'milestones', votesPerPerson: 2, results: 'end' }))
    await facilitator.roundTrip()
    await waitFor(() => getMetaMap(anne.doc).get(META_VOTING_KEY) && getMetaMap(bram.doc).get(META_VOTING_KEY))
    const marks = new Map(clients.map((client) => [client, client.frames.length]))

    sendSignal(anne, { kind: 'vote', itemId: 'shape:m1' })
    sendSignal(anne, { kind: 'vote', itemId: 'shape:m2' })
    sendSignal(bram, { kind: 'vote', itemId: 'shape:m1' })
    // The limits, enforced by the server:
    sendSignal(anne, { kind: 'vote', itemId: 'shape:m3' }) // a third vote of two
    sendSignal(bram, { kind: 'vote', itemId: 'shape:m1' }) // twice on one item
    sendSignal(bram, { kind: 'vote', itemId: 'shape:note' }) // not a milestone
    sendSignal(bram, { kind: 'vote', itemId: 'shape:missing' })
    expect((await nextSignal(anne, 'vote-refused', (s) => s.itemId === 'shape:m3')).reason).toBe('no-votes-left')
    expect((await nextSignal(bram, 'vote-refused', (s) => s.itemId === 'shape:note')).reason).toBe('not-votable')
    expect((await nextSignal(bram, 'vote-refused', (s) => s.itemId === 'shape:missing')).reason).toBe('not-votable')
    expect(
      signalsOf(bram).find((s) => s.kind === 'vote-refused' && s.itemId === 'shape:m1' && s.reason === 'already-voted'),
    ).toBeDefined()
    // Each voter sees their own ballot and votes left, nothing more.
    await nextSignal(anne, 'ballot', (s) => s.left === 0)
    expect(
      signalsOf(bram)
        .filter((s) => s.kind === 'ballot')
        .at(-1),
    ).toMatchObject({ votes: { 'shape:m1': 1 }, left: 1 })
    for (const client of clients) await client.roundTrip()

    // Nobody saw a ballot or a tally: not in the document, not in presence, not in a signal.
    for (const client of clients) {
      const received = client.frames.slice(marks.get(client))
      expect(signalsOf(client, marks.get(client)).some((s) => s.kind === 'tally')).toBe(false)
      const others = received
        .map((frame) => new TextDecoder().decode(frame.data))
        .filter((text) => !text.includes('"kind":"ballot"') && !text.includes('"kind":"vote-refused"'))
      for (const text of others) expect(text).not.toMatch(/shape:m[12]/)
      expect(JSON.stringify(getMetaMap(client.doc).toJSON())).not.toMatch(/shape:m/)
      expect(getRecordsMap(client.doc).has(voteResultId('round-test-1'))).toBe(false)
    }
    expect(signalsOf(facilitator, marks.get(facilitator)).some((s) => s.kind === 'ballot')).toBe(false)
    expect(signalsOf(anne).some((s) => s.kind === 'ballot' && 'shape:m1' in s.votes && s.votes['shape:m1'] > 1)).toBe(
      false,
    )
    // The ballots are the server's, outside the document.
    expect(server.server.store.loadBallots(board.id, 'round-test-1')).toHaveLength(2)

    sendSignal(anne, { kind: 'close-round' }) // a participant may not close it
    expect((await anne.waitForClose()).code).toBe(4474)
    sendSignal(facilitator, { kind: 'close-round' })
    for (const client of [facilitator, display, bram]) {
      await waitFor(() => getRecordsMap(client.doc).has(voteResultId('round-test-1')), { message: 'the result record' })
    }
    expect(getRecord(getRecordsMap(display.doc), voteResultId('round-test-1'))).toMatchObject({
      typeName: 'vote-result',
      voters: 2,
      votesPerPerson: 2,
      targets: 'milestones',
      entries: [
        { shapeId: 'shape:m1', votes: 2 },
        { shapeId: 'shape:m2', votes: 1 },
      ],
    })
    expect(getMetaMap(display.doc).get(META_VOTING_KEY)).toMatchObject({ open: false })
    expect(server.server.store.loadBallots(board.id, 'round-test-1')).toEqual([])
    // Closed: no more votes.
    sendSignal(bram, { kind: 'vote', itemId: 'shape:m2' })
    expect((await nextSignal(bram, 'vote-refused', (s) => s.itemId === 'shape:m2')).reason).toBe('round-closed')
  })

  it('sends everyone the tally as it changes when results are live, and closes itself at its end time', async () => {
    const facilitator = await connect(board.tokens.facilitator)
    putRecords(facilitator.doc, [shapeRecord('shape:a'), shapeRecord('shape:b')])
    await facilitator.roundTrip()
    const voter = await connect(board.tokens.participant)
    const endsAt = Date.now() + 1500
    setMeta(
      facilitator,
      META_VOTING_KEY,
      openRound({ id: 'round-live-1', results: 'live', severalPerItem: true, endsAt }),
    )
    await facilitator.roundTrip()
    await waitFor(() => getMetaMap(voter.doc).get(META_VOTING_KEY))
    sendSignal(voter, { kind: 'vote', itemId: 'shape:b' })
    sendSignal(voter, { kind: 'vote', itemId: 'shape:b' })
    const tally = await nextSignal(facilitator, 'tally', (s) => s.entries[0]?.votes === 2)
    expect(tally).toMatchObject({ roundId: 'round-live-1', voters: 1, entries: [{ shapeId: 'shape:b', votes: 2 }] })
    sendSignal(voter, { kind: 'unvote', itemId: 'shape:b' })
    await nextSignal(facilitator, 'tally', (s) => s.entries[0]?.votes === 1)
    // Nobody closes it: the server does at `endsAt`.
    await waitFor(() => getRecordsMap(facilitator.doc).has(voteResultId('round-live-1')), {
      timeoutMs: 5_000,
      message: 'the round to close at its end time',
    })
    expect(getRecord(getRecordsMap(facilitator.doc), voteResultId('round-live-1'))).toMatchObject({
      entries: [{ shapeId: 'shape:b', votes: 1 }],
    })
  })
})
