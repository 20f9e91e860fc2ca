/**
 * The behaviour every `BoardStore` must have. `store.test.ts` runs it against each one.
 */
import { describe, expect, it } from 'vitest'
import type { BoardStore } from './types.ts'

const hashes = { facilitator: 'f'.repeat(64), participant: 'p'.repeat(64), display: 'd'.repeat(64) }
const board = { id: 'board-0001', name: 'Voorbeeld Digitaal 2030', created: '2026-11-27T10:00:00.000Z' }
const bytes = (...values: number[]) => new Uint8Array(values)

/** `open` gives a fresh store; `reopen`, for a store that persists, opens the same data again. */
export function registerStoreContractTests(name: string, open: () => { store: BoardStore; reopen?: () => BoardStore }) {
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

    it('returns updates in the order they were appended', () => {
      const { store } = open()
      store.createBoard(board, hashes)
      store.appendUpdates(board.id, [bytes(1), bytes(2)])
      const seq = store.appendUpdates(board.id, [bytes(3)])
      const doc = store.loadDocument(board.id)
      expect(doc).toEqual({ snapshot: null, updates: [bytes(1), bytes(2), bytes(3)], lastSeq: seq })
      expect(store.documentBytes(board.id)).toBe(3)
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

    // Only for stores that persist: one in memory has nothing to reopen.
    if (persists) {
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
    }
  })
}
