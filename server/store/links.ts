/**
 * Link ids: what the API names a capability link by, so that listing and revoking links
 * never shows a token or its hash. Random, like tokens, so an id says nothing about the
 * token and cannot be guessed from another; both stores make them here, in one format
 * (32 hex characters), and SQLite's migration makes the same for rows stored before ids.
 */
import { randomBytes } from 'node:crypto'

const LINK_ID_BYTES = 16

export function newLinkId(): string {
  return randomBytes(LINK_ID_BYTES).toString('hex')
}

/** The same format, made by SQLite for rows that predate ids (the migration in sqlite.ts). */
export const SQL_NEW_LINK_ID = `lower(hex(randomblob(${LINK_ID_BYTES})))`

/** Now in ISO 8601 as `Date.toISOString()` writes it, for a migrated row with no board time. */
export const SQL_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
