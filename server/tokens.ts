/**
 * Capability tokens and ids. A token is 256 random bits; only its SHA-256 is stored, so
 * a copy of the data folder grants no access. A fast hash is enough: the token is random,
 * not a password, so there is nothing to guess.
 */
import { createHash, randomBytes } from 'node:crypto'
import { isTokenShaped } from '../shared/board.ts'
import type { InternalGrants } from './admin/grants.ts'
import type { BoardStore, TokenGrant } from './store/types.ts'

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/** A short token for a join link on a wall screen: 128 random bits, 22 url-safe characters. */
export function newShortToken(): string {
  return randomBytes(16).toString('base64url')
}

/** 128 random bits, 22 url-safe characters. */
export function newBoardId(): string {
  return randomBytes(16).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/**
 * What a token opens on a board, with its hash; undefined for a malformed or unknown one.
 * `internal`: the server's own short-lived grants (`server/admin/grants.ts`), asked after
 * the store's links.
 */
export function findGrant(
  store: BoardStore,
  boardId: string,
  token: string,
  internal?: InternalGrants,
): { grant: TokenGrant; tokenHash: string } | undefined {
  if (!isTokenShaped(token)) return undefined
  const tokenHash = hashToken(token)
  const grant = store.findToken(boardId, tokenHash) ?? internal?.find(boardId, tokenHash)
  return grant && { grant, tokenHash }
}
