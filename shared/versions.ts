/**
 * Versions and history of a board, as the server stores them and the API names them: the
 * kinds of a saved version, why an automatic one was made, the audit log's actions, and
 * the limits of a version's name. Written once here, so the server, the client and the
 * tests agree on every word that crosses the wire.
 */

/** `named`: a facilitator saved it; `auto`: Stip did (`AutoTrigger`); `pre-restore`: the
 * board just before a restore, so a restore can itself be undone. */
export const VERSION_KINDS = ['named', 'auto', 'pre-restore'] as const
export type VersionKind = (typeof VERSION_KINDS)[number]

/** Why Stip saved an automatic version: a session ended, or an iteration did. */
export const AUTO_TRIGGERS = ['session', 'iteration'] as const
export type AutoTrigger = (typeof AUTO_TRIGGERS)[number]

/** A version's name: what a person types, trimmed; 1 to this many characters. */
export const MAX_VERSION_NAME_LENGTH = 120

/** What the audit log records: what happened, never what a board held or any token. */
export const AUDIT_ACTIONS = [
  'link-rotated',
  'link-revoked',
  'version-restored',
  'archive-exported',
  'board-imported',
  'board-erased',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Who did it: a role of the board's links, or the administrator. */
export type AuditActor = 'facilitator' | 'participant' | 'display' | 'admin'

/** The name a version may be saved under, or why not. */
export function validateVersionName(
  name: unknown,
): { ok: true; name: string } | { ok: false; code: 'name_missing' | 'name_too_long'; message: string } {
  const trimmed = typeof name === 'string' ? name.trim() : ''
  if (trimmed === '') return { ok: false, code: 'name_missing', message: 'Give the version a name.' }
  if ([...trimmed].length > MAX_VERSION_NAME_LENGTH)
    return {
      ok: false,
      code: 'name_too_long',
      message: `A version name is at most ${MAX_VERSION_NAME_LENGTH} characters.`,
    }
  return { ok: true, name: trimmed }
}

/** The app's address of a board's replay (`/b/<board>/history`), for its facilitator. */
export const HISTORY_SEGMENT = 'history'
/** The app's address of one version, read-only: `/b/<board>/versions/<versionId>`. */
export const VERSIONS_SEGMENT = 'versions'

export function historyPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}/${HISTORY_SEGMENT}`
}

export function versionPath(boardId: string, versionId: string): string {
  return `/b/${encodeURIComponent(boardId)}/${VERSIONS_SEGMENT}/${encodeURIComponent(versionId)}`
}

/** A version id as the store makes them: 32 hex characters. */
export function isVersionId(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value)
}
