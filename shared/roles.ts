/**
 * Who may do what on a board. A capability link's token carries exactly one role.
 *
 * - facilitator: prepares and steers a session; may manage the board and its links.
 * - participant: draws.
 * - display: the wall screen; read-only, never writes the document.
 */
export const ROLES = ['facilitator', 'participant', 'display'] as const
export type Role = (typeof ROLES)[number]

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** May this role change the board's document? */
export function canWriteDocument(role: Role): boolean {
  return role !== 'display'
}
