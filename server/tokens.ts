/**
 * Capability tokens and ids. A token is 256 random bits; only its SHA-256 is stored, so
 * a copy of the data folder grants no access. A fast hash is enough: the token is random,
 * not a password, so there is nothing to guess.
 */
import { createHash, randomBytes } from 'node:crypto'

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
