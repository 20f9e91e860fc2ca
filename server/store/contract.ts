/**
 * The behaviour every `BoardStore` must have. `store.test.ts` runs it against each one.
 * Faults are part of it: a full store (`limitSpace`) refuses a write whole, says so in
 * `health()`, and takes writes again once there is space. History is part of it too: rows
 * outlive compaction, with their times; versions and checkpoints are kept and listed; an
 * erased board leaves no row behind, and for a store on disk, not a byte of its content in
 * its files (`files`).
 */
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { BoardStore } from './types.ts'

/** A store whose space can be capped, as a full disk would cap it. */
export interface SpaceLimitedStore extends BoardStore {
  /** Caps the store at its current size plus `extraBytes`; null lifts the cap. */
  limitSpace(extraBytes: number | null): void
}

const hashes = { facilitator: 'f'.repeat(64), participant: 'p'.repeat(64), display: 'd'.repeat(64) }
const board = { id: 'board-0001', name: 'Voorbeeld Digitaal 2030', created: '2026-11-27T10:00:00.000Z' }
const bytes = (...values: number[]) => new Uint8Array(values)
/** Larger than any slack a store keeps in space it already has (SQLite's free pages). */
const big = (fill: number) => new Uint8Array(64 * 1024).fill(fill)

/**
 * `open` gives a fresh store (stamping rows with `now`, when given); `reopen`, for a store
 * that persists, opens the same data again; `files`, for a store on disk, the files it keeps.
 */
export function registerStoreContractTests(
  name: string,
  open: (now?: () => number) => { store: SpaceLimitedStore; reopen?: () => BoardStore; files?: () => string[] },
) {
  const persists = open().reopen !== undefined
  describe(`${name} (BoardStore contract)`, () => {
    it('creates a board and finds it again', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      expect(store.getBoard(board.id)).toEqual(board)
      expect(store.getBoard('missing-board')).toBeUndefined()
    })

    it('refuses a second board with the same id', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      expect(() => store.createBoard(board, hashes)).toThrow()
    })

    it('maps token hashes to roles, and forgets a replaced one', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      expect(store.findToken(board.id, hashes.participant)).toEqual({ role: 'participant', layerId: null })
      expect(store.findToken(board.id, 'x'.repeat(64))).toBeUndefined()
      expect(store.findToken('other-board', hashes.participant)).toBeUndefined()
      store.replaceToken(board.id, 'participant', 'n'.repeat(64))
      expect(store.findToken(board.id, hashes.participant)).toBeUndefined()
      expect(store.findToken(board.id, 'n'.repeat(64))).toEqual({ role: 'participant', layerId: null })
    })

    it('finds a token without being told its board', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.addScopedToken(board.id, 'participant', 'layer:root', 'j'.repeat(64))
      expect(store.findTokenAnywhere('j'.repeat(64))).toEqual({
        boardId: board.id,
        role: 'participant',
        layerId: 'layer:root',
      })
      expect(store.findTokenAnywhere('x'.repeat(64))).toBeUndefined()
    })

    it('keeps scoped links apart from the main link of their role', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.addScopedToken(board.id, 'participant', 'layer:jeugd', 's'.repeat(64))
      expect(store.findToken(board.id, 's'.repeat(64))).toEqual({ role: 'participant', layerId: 'layer:jeugd' })
      store.replaceToken(board.id, 'participant', 'n'.repeat(64))
      expect(store.findToken(board.id, 's'.repeat(64))).toEqual({ role: 'participant', layerId: 'layer:jeugd' })
    })

    it('lists every link with its kind, role, layer and time, never its hash', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      const scoped = store.addScopedToken(board.id, 'participant', 'layer:jeugd', 's'.repeat(64))
      const join = store.addScopedToken(board.id, 'participant', 'layer:root', 'j'.repeat(64), 'join')
      expect(scoped).toMatchObject({ kind: 'scoped', role: 'participant', layerId: 'layer:jeugd' })
      expect(join).toMatchObject({ kind: 'join', role: 'participant', layerId: 'layer:root' })
      const links = store.listLinks(board.id)
      expect(links.map((link) => [link.kind, link.role, link.layerId])).toEqual([
        ['main', 'facilitator', null],
        ['main', 'participant', null],
        ['main', 'display', null],
        ['scoped', 'participant', 'layer:jeugd'],
        ['join', 'participant', 'layer:root'],
      ])
      expect(links.slice(3)).toEqual([scoped, join])
      expect(new Set(links.map((link) => link.id)).size).toBe(5)
      for (const link of links) {
        expect(link.id).toMatch(/^[0-9a-f]{32}$/)
        expect(Number.isNaN(Date.parse(link.created))).toBe(false)
        expect(JSON.stringify(link)).not.toMatch(/([fpdsj])\1{63}/)
      }
      expect(links[0].created).toBe(board.created)
      expect(store.listLinks('other-board')).toEqual([])
    })

    it('revokes a scoped or join link by id: its token stops, every other link stays', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.createBoard({ ...board, id: 'board-0002' }, hashes)
      const scoped = store.addScopedToken(board.id, 'participant', 'layer:jeugd', 's'.repeat(64))
      const join = store.addScopedToken(board.id, 'participant', 'layer:root', 'j'.repeat(64), 'join')
      expect(store.revokeLink('board-0002', scoped.id)).toBeUndefined() // another board's id
      expect(store.revokeLink(board.id, scoped.id)).toBe('s'.repeat(64))
      expect(store.findToken(board.id, 's'.repeat(64))).toBeUndefined()
      expect(store.findTokenAnywhere('s'.repeat(64))).toBeUndefined()
      expect(store.revokeLink(board.id, scoped.id)).toBeUndefined() // already revoked
      expect(store.findToken(board.id, 'j'.repeat(64))).toEqual({ role: 'participant', layerId: 'layer:root' })
      expect(store.revokeLink(board.id, join.id)).toBe('j'.repeat(64))
      expect(store.findTokenAnywhere('j'.repeat(64))).toBeUndefined()
      expect(store.listLinks(board.id).map((link) => link.kind)).toEqual(['main', 'main', 'main'])
    })

    it('never revokes a main link: it is rotated, and rotation gives it a new id and time', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      const main = store.listLinks(board.id).find((link) => link.role === 'participant')
      if (!main) throw new Error('no main participant link')
      expect(store.revokeLink(board.id, main.id)).toBeUndefined()
      expect(store.findToken(board.id, hashes.participant)).toEqual({ role: 'participant', layerId: null })
      store.replaceToken(board.id, 'participant', 'n'.repeat(64))
      const rotated = store.listLinks(board.id).filter((link) => link.role === 'participant' && link.kind === 'main')
      expect(rotated).toHaveLength(1)
      expect(rotated[0].id).not.toBe(main.id)
      expect(rotated[0].created >= board.created).toBe(true)
    })

    it('keeps ballots per round and voter, replaces one, drops an empty one, and deletes a round', () => {
      const { store, reopen } = open()
      store.createBoard(board, hashes)
      store.saveBallot(board.id, 'round-1', { voter: 'b'.repeat(64), votes: { 'shape:x': 2 } })
      store.saveBallot(board.id, 'round-1', { voter: 'a'.repeat(64), votes: { 'shape:x': 1 } })
      store.saveBallot(board.id, 'round-2', { voter: 'a'.repeat(64), votes: { 'shape:y': 1 } })
      store.saveBallot(board.id, 'round-1', { voter: 'a'.repeat(64), votes: { 'shape:z': 1 } })
      expect(store.loadBallots(board.id, 'round-1')).toEqual([
        { voter: 'a'.repeat(64), votes: { 'shape:z': 1 } },
        { voter: 'b'.repeat(64), votes: { 'shape:x': 2 } },
      ])
      store.saveBallot(board.id, 'round-1', { voter: 'b'.repeat(64), votes: {} })
      expect(store.loadBallots(board.id, 'round-1')).toHaveLength(1)
      if (reopen) store.close()
      const again = reopen?.() ?? store
      expect(again.loadBallots(board.id, 'round-2')).toEqual([{ voter: 'a'.repeat(64), votes: { 'shape:y': 1 } }])
      again.deleteBallots(board.id, 'round-1')
      expect(again.loadBallots(board.id, 'round-1')).toEqual([])
      expect(again.loadBallots(board.id, 'round-2')).toHaveLength(1)
    })

    it('returns updates in the order they were appended', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.appendUpdates(board.id, [bytes(1), bytes(2)])
      const seq = store.appendUpdates(board.id, [bytes(3)])
      const doc = store.loadDocument(board.id)
      expect(doc).toEqual({ snapshot: null, updates: [bytes(1), bytes(2), bytes(3)], lastSeq: seq })
      expect(store.documentBytes(board.id)).toBe(3)
    })

    it('records which secret introduced a client id with the update, per board, first claim kept', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.createBoard({ ...board, id: 'board-0002' }, hashes)
      expect(store.loadClientOwners(board.id)).toEqual([])
      store.appendUpdates(board.id, [bytes(1)], [{ client: 7, secretHash: 'a'.repeat(64) }])
      store.appendUpdates(board.id, [bytes(2)], [{ client: 7, secretHash: 'b'.repeat(64) }])
      store.appendUpdates(board.id, [bytes(3)], [{ client: 2 ** 40, secretHash: 'b'.repeat(64) }])
      const owners = store.loadClientOwners(board.id).sort((x, y) => x.client - y.client)
      expect(owners).toEqual([
        { client: 7, secretHash: 'a'.repeat(64) },
        { client: 2 ** 40, secretHash: 'b'.repeat(64) },
      ])
      expect(store.loadClientOwners('board-0002')).toEqual([])
    })

    it('records no owner when the update that introduced it does not fit', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.limitSpace(1024)
      expect(() => store.appendUpdates(board.id, [big(3)], [{ client: 9, secretHash: 'a'.repeat(64) }])).toThrow()
      expect(store.loadClientOwners(board.id)).toEqual([])
      store.limitSpace(null)
    })

    it('compacts the log up to a sequence number and keeps later updates', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      const seq = store.appendUpdates(board.id, [bytes(1), bytes(2)])
      store.appendUpdates(board.id, [bytes(3)])
      store.compact(board.id, bytes(9, 9), seq)
      const doc = store.loadDocument(board.id)
      expect(doc.snapshot).toEqual(bytes(9, 9))
      expect(doc.updates).toEqual([bytes(3)])
      expect(store.documentBytes(board.id)).toBe(3)
    })

    it('keeps each board’s document apart', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.createBoard({ ...board, id: 'board-0002' }, hashes)
      store.appendUpdates(board.id, [bytes(1)])
      expect(store.loadDocument('board-0002').updates).toEqual([])
    })

    it('reports itself healthy', () => {
      const { store } = open()
      expect(store.health().ok).toBe(true)
    })

    it('creates a board with its first document', () => {
      const { store } = open()
      store.createBoard(board, hashes, bytes(7, 7))
      const seq = store.appendUpdates(board.id, [bytes(8)])
      expect(store.loadDocument(board.id)).toEqual({ snapshot: null, updates: [bytes(7, 7), bytes(8)], lastSeq: seq })
    })

    it('leaves no board behind when its first document cannot be written', () => {
      const { store } = open()
      store.limitSpace(0)
      expect(() => store.createBoard(board, hashes, big(1))).toThrow()
      expect(store.getBoard(board.id)).toBeUndefined()
      expect(store.findToken(board.id, hashes.facilitator)).toBeUndefined()
      expect(store.findTokenAnywhere(hashes.participant)).toBeUndefined()
      store.limitSpace(null)
      store.createBoard(board, hashes, big(1))
      expect(store.loadDocument(board.id).updates).toEqual([big(1)])
    })

    it('refuses a write that does not fit whole, reports it, and takes writes again once there is space', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      const seq = store.appendUpdates(board.id, [bytes(1)])
      store.limitSpace(0)
      expect(() => store.appendUpdates(board.id, [bytes(2), big(3)])).toThrow()
      const health = store.health()
      expect(health.ok).toBe(false)
      expect(health.detail).not.toBe('')
      expect(store.loadDocument(board.id)).toEqual({ snapshot: null, updates: [bytes(1)], lastSeq: seq })
      store.limitSpace(null)
      store.appendUpdates(board.id, [bytes(2), big(3)])
      expect(store.health().ok).toBe(true)
      expect(store.loadDocument(board.id).updates).toEqual([bytes(1), bytes(2), big(3)])
    })

    it('says when what was appended is durable', async () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.appendUpdates(board.id, [bytes(1)])
      await expect(store.durable()).resolves.toBeUndefined()
      await expect(store.durable()).resolves.toBeUndefined() // nothing new: at once
    })

    it('keeps the history through compaction, each row with its time, and checkpoints along it', () => {
      let clock = Date.parse('2026-03-09T09:00:00.000Z')
      const { store } = open(() => clock)
      store.createBoard(board, hashes, bytes(1))
      clock += 1000
      const second = store.appendUpdates(board.id, [bytes(2)])
      clock += 1000
      const third = store.appendUpdates(board.id, [bytes(3)])
      store.compact(board.id, bytes(9, 9), third, { checkpoint: true })
      clock += 1000
      const fourth = store.appendUpdates(board.id, [bytes(4)])
      // What a room loads: the snapshot and what came after it…
      expect(store.loadDocument(board.id)).toEqual({ snapshot: bytes(9, 9), updates: [bytes(4)], lastSeq: fourth })
      expect(store.documentBytes(board.id)).toBe(3)
      // …and the history: every row, with the time it was stored.
      const rows = store.historyRows(board.id, 0, fourth)
      expect(rows.map((row) => [row.update, row.at])).toEqual([
        [bytes(1), Date.parse('2026-03-09T09:00:00.000Z')],
        [bytes(2), Date.parse('2026-03-09T09:00:01.000Z')],
        [bytes(3), Date.parse('2026-03-09T09:00:02.000Z')],
        [bytes(4), Date.parse('2026-03-09T09:00:03.000Z')],
      ])
      expect(store.historyRows(board.id, second, third).map((row) => row.update)).toEqual([bytes(3)])
      expect(store.historySince(board.id, third)).toEqual({ rows: 1, bytes: 1 })
      expect(store.historyTimes(board.id)).toEqual(rows.map((row) => ({ seq: row.seq, at: row.at })))
      expect(store.seqAt(board.id, Date.parse('2026-03-09T09:00:01.500Z'))).toBe(second)
      expect(store.seqAt(board.id, Date.parse('2026-03-09T08:00:00.000Z'))).toBe(0)
      expect(store.historyInfo(board.id)).toEqual({
        rows: 4,
        firstAt: Date.parse('2026-03-09T09:00:00.000Z'),
        lastAt: Date.parse('2026-03-09T09:00:03.000Z'),
        lastSeq: fourth,
        checkpoints: 1,
      })
      expect(store.lastActivity(board.id)).toBe(Date.parse('2026-03-09T09:00:03.000Z'))
      // The checkpoint made with the compaction, at its row's time.
      expect(store.checkpointAtOrBefore(board.id, fourth)).toEqual({
        seq: third,
        at: Date.parse('2026-03-09T09:00:02.000Z'),
        state: bytes(9, 9),
      })
      expect(store.checkpointAtOrBefore(board.id, second)).toBeUndefined()
      store.addCheckpoint(board.id, second, bytes(8))
      expect(store.listCheckpoints(board.id)).toEqual([
        { seq: second, at: Date.parse('2026-03-09T09:00:01.000Z'), bytes: 1 },
        { seq: third, at: Date.parse('2026-03-09T09:00:02.000Z'), bytes: 2 },
      ])
      // A compaction without a checkpoint moves the snapshot and keeps the rows.
      store.compact(board.id, bytes(7, 7, 7), fourth)
      expect(store.loadDocument(board.id)).toEqual({ snapshot: bytes(7, 7, 7), updates: [], lastSeq: fourth })
      expect(store.historyInfo(board.id).rows).toBe(4)
      expect(store.storageOf(board.id)).toEqual({ document: 3, history: 4, checkpoints: 3, versions: 0, total: 10 })
    })

    it('prunes only history the snapshot covers, and keeps the checkpoints it is told to', () => {
      const { store } = open()
      store.createBoard(board, hashes, bytes(1))
      const second = store.appendUpdates(board.id, [bytes(2)])
      const third = store.appendUpdates(board.id, [bytes(3)])
      store.compact(board.id, bytes(9), second, { checkpoint: true })
      store.addCheckpoint(board.id, 0, bytes(0))
      store.pruneHistory(board.id, third + 1, [second])
      // Row 3 comes after the snapshot: it is part of the document and stays.
      expect(store.historyRows(board.id, 0, third).map((row) => row.update)).toEqual([bytes(3)])
      expect(store.listCheckpoints(board.id).map((c) => c.seq)).toEqual([second])
      expect(store.loadDocument(board.id)).toEqual({ snapshot: bytes(9), updates: [bytes(3)], lastSeq: third })
    })

    it('saves, lists and loads versions, per board, oldest first; deletes one', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.createBoard({ ...board, id: 'board-0002' }, hashes)
      const named = store.saveVersion(board.id, {
        name: 'Iteratie 6 — 9 maart',
        kind: 'named',
        createdByRole: 'facilitator',
        state: bytes(1, 2, 3),
        created: '2026-03-09T10:00:00.000Z',
      })
      const auto = store.saveVersion(board.id, {
        name: 'Einde sessie',
        kind: 'auto',
        trigger: 'session',
        createdByRole: null,
        state: bytes(4),
        created: '2026-03-09T12:00:00.000Z',
      })
      expect(named).toEqual({
        id: expect.stringMatching(/^[0-9a-f]{32}$/),
        name: 'Iteratie 6 — 9 maart',
        kind: 'named',
        trigger: null,
        created: '2026-03-09T10:00:00.000Z',
        createdByRole: 'facilitator',
        bytes: 3,
      })
      expect(store.listVersions(board.id)).toEqual([named, auto])
      expect(store.listVersions('board-0002')).toEqual([])
      expect(store.loadVersion(board.id, auto.id)).toEqual({ row: auto, state: bytes(4) })
      expect(store.loadVersion('board-0002', auto.id)).toBeUndefined()
      expect(store.storageOf(board.id).versions).toBe(4)
      expect(store.deleteVersion('board-0002', named.id)).toBe(false)
      expect(store.deleteVersion(board.id, named.id)).toBe(true)
      expect(store.listVersions(board.id)).toEqual([auto])
    })

    it('lists every board with its last activity', () => {
      let clock = 1_000_000
      const { store } = open(() => clock)
      store.createBoard(board, hashes)
      store.createBoard({ ...board, id: 'board-0002', created: '2026-11-28T10:00:00.000Z' }, hashes, bytes(1))
      clock = 2_000_000
      store.appendUpdates('board-0002', [bytes(2)])
      expect(store.listBoards().map((row) => row.id)).toEqual([board.id, 'board-0002'])
      expect(store.lastActivity(board.id)).toBeNull()
      expect(store.lastActivity('board-0002')).toBe(2_000_000)
    })

    it('keeps an audit log, newest first', () => {
      const { store } = open(() => Date.parse('2026-03-09T10:00:00.000Z'))
      store.appendAudit({ action: 'link-rotated', actor: 'facilitator', boardId: board.id })
      store.appendAudit({ action: 'board-erased', actor: 'admin', boardId: board.id })
      expect(store.listAudit(10)).toEqual([
        { at: '2026-03-09T10:00:00.000Z', action: 'board-erased', actor: 'admin', boardId: board.id },
        { at: '2026-03-09T10:00:00.000Z', action: 'link-rotated', actor: 'facilitator', boardId: board.id },
      ])
      expect(store.listAudit(1)).toHaveLength(1)
    })

    it('erases a board and every row of it, and leaves the others whole', () => {
      const { store, files } = open()
      const marker = 'ERASE-ME-7f3a9c'
      const secret = (text: string) => new TextEncoder().encode(`${text} ${marker} `.repeat(50))
      store.createBoard({ ...board, name: `Board ${marker}` }, hashes, secret('first'))
      store.createBoard(
        { ...board, id: 'board-0002' },
        { facilitator: 'g'.repeat(64), participant: 'q'.repeat(64), display: 'e'.repeat(64) },
        bytes(5),
      )
      store.addScopedToken(board.id, 'participant', 'layer:jeugd', 's'.repeat(64))
      const seq = store.appendUpdates(board.id, [secret('second')], [{ client: 7, secretHash: 'a'.repeat(64) }])
      store.compact(board.id, secret('snapshot'), seq, { checkpoint: true })
      store.appendUpdates(board.id, [secret('third')])
      store.saveVersion(board.id, {
        name: `Versie ${marker}`,
        kind: 'named',
        createdByRole: 'facilitator',
        state: secret('version'),
      })
      store.saveBallot(board.id, 'round-1', { voter: 'v'.repeat(64), votes: { [`shape:${marker}`]: 2 } })
      store.appendAudit({ action: 'board-erased', actor: 'admin', boardId: board.id })

      expect(store.eraseBoard(board.id)).toBe(true)
      expect(store.eraseBoard(board.id)).toBe(false)
      expect(store.getBoard(board.id)).toBeUndefined()
      expect(store.listBoards().map((row) => row.id)).toEqual(['board-0002'])
      expect(store.findToken(board.id, hashes.facilitator)).toBeUndefined()
      expect(store.findTokenAnywhere('s'.repeat(64))).toBeUndefined()
      expect(store.listLinks(board.id)).toEqual([])
      expect(store.loadClientOwners(board.id)).toEqual([])
      expect(store.loadDocument(board.id)).toEqual({ snapshot: null, updates: [], lastSeq: 0 })
      expect(store.historyInfo(board.id)).toMatchObject({ rows: 0, checkpoints: 0 })
      expect(store.listVersions(board.id)).toEqual([])
      expect(store.loadBallots(board.id, 'round-1')).toEqual([])
      expect(store.storageOf(board.id).total).toBe(0)
      expect(store.loadDocument('board-0002').updates).toEqual([bytes(5)])
      expect(store.listAudit(10)).toHaveLength(1) // that it happened stays
      // On disk: not one byte of what it held, in any file of the store.
      for (const file of files?.() ?? []) {
        if (!fs.existsSync(file)) continue
        expect(fs.readFileSync(file).includes(marker), `${file} still holds the erased board`).toBe(false)
      }
    })

    // Only for stores that persist: one in memory has nothing to reopen.
    if (persists) {
      it('keeps history, checkpoints and versions across a reopen', () => {
        const { store, reopen } = open()
        if (!reopen) throw new Error('a persisting store must be reopenable')
        store.createBoard(board, hashes, bytes(1))
        const seq = store.appendUpdates(board.id, [bytes(2)])
        store.compact(board.id, bytes(9), seq, { checkpoint: true })
        const version = store.saveVersion(board.id, {
          name: 'v',
          kind: 'pre-restore',
          createdByRole: 'facilitator',
          state: bytes(3),
        })
        const rows = store.historyRows(board.id, 0, seq)
        store.close()
        const again = reopen()
        expect(again.historyRows(board.id, 0, seq)).toEqual(rows)
        expect(again.loadDocument(board.id)).toEqual({ snapshot: bytes(9), updates: [], lastSeq: seq })
        expect(again.listCheckpoints(board.id)).toHaveLength(1)
        expect(again.loadVersion(board.id, version.id)).toEqual({ row: version, state: bytes(3) })
        again.close()
      })

      it('keeps everything across a reopen', () => {
        const { store, reopen } = open()
        if (!reopen) throw new Error('a persisting store must be reopenable')
        store.createBoard(board, hashes)
        store.appendUpdates(board.id, [bytes(1)])
        store.close()
        const again = reopen()
        expect(again.getBoard(board.id)).toEqual(board)
        expect(again.loadDocument(board.id).updates).toEqual([bytes(1)])
        again.close()
      })

      it('keeps links and revocations across a reopen', () => {
        const { store, reopen } = open()
        if (!reopen) throw new Error('a persisting store must be reopenable')
        store.createBoard(board, hashes)
        const kept = store.addScopedToken(board.id, 'participant', 'layer:jeugd', 's'.repeat(64))
        const revoked = store.addScopedToken(board.id, 'participant', 'layer:root', 'j'.repeat(64), 'join')
        store.revokeLink(board.id, revoked.id)
        const before = store.listLinks(board.id)
        store.close()
        const again = reopen()
        expect(again.listLinks(board.id)).toEqual(before)
        expect(again.listLinks(board.id).at(-1)).toEqual(kept)
        expect(again.findToken(board.id, 'j'.repeat(64))).toBeUndefined()
        again.close()
      })

      it('keeps nothing of a refused write across a reopen', () => {
        const { store, reopen } = open()
        if (!reopen) throw new Error('a persisting store must be reopenable')
        store.createBoard(board, hashes)
        store.limitSpace(0)
        expect(() => store.appendUpdates(board.id, [big(4)])).toThrow()
        expect(() => store.createBoard({ ...board, id: 'board-0002' }, hashes, big(5))).toThrow()
        store.close()
        const again = reopen()
        expect(again.loadDocument(board.id).updates).toEqual([])
        expect(again.getBoard('board-0002')).toBeUndefined()
        again.close()
      })
    }
  })
}
