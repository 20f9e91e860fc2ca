/**
 * Internal grants: read-only access to one board for the server's own headless browser,
 * while it renders the board's PDF for an archive (`pdf.ts`). A grant is a fresh 256-bit
 * token, display-like (it reads, never writes), held in this process's memory only —
 * never a stored link, so no copy of the data folder, no list of links and no restart
 * knows it — and it ends when the render ends (`revoke`) or after `ttlMs`, whichever is
 * first. `findGrant` (`server/tokens.ts`) consults these after the store's links.
 */
import type { TokenGrant } from '../store/types.ts'
import { hashToken, newToken } from '../tokens.ts'

/** Longer than an archive's PDF may take (`pdf.ts`), so a grant never outlives its render by much. */
export const INTERNAL_GRANT_TTL_MS = 3 * 60 * 1000

export interface MintedGrant {
  token: string
  /** Ends the grant at once; safe to call twice. */
  revoke(): void
}

export class InternalGrants {
  /** Token hash → the board it opens and when it ends. */
  private readonly grants = new Map<string, { boardId: string; until: number }>()

  constructor(private readonly now: () => number = Date.now) {}

  /** A new read-only grant for `boardId`. */
  mint(boardId: string, ttlMs = INTERNAL_GRANT_TTL_MS): MintedGrant {
    const token = newToken()
    const hash = hashToken(token)
    this.grants.set(hash, { boardId, until: this.now() + ttlMs })
    return { token, revoke: () => this.grants.delete(hash) }
  }

  /** What the token hash grants on `boardId`: a display's rights while it lasts, else nothing. */
  find(boardId: string, tokenHash: string): TokenGrant | undefined {
    const grant = this.grants.get(tokenHash)
    if (!grant) return undefined
    if (grant.until <= this.now()) {
      this.grants.delete(tokenHash)
      return undefined
    }
    return grant.boardId === boardId ? { role: 'display', layerId: null } : undefined
  }

  /** Whether `tokenHash` is a live internal grant for `boardId` (the archive's own routes take nothing else). */
  isInternal(boardId: string, tokenHash: string): boolean {
    return this.find(boardId, tokenHash) !== undefined
  }

  /** Grants alive now (for tests: none is left after an archive). */
  get size(): number {
    const now = this.now()
    for (const [hash, grant] of this.grants) if (grant.until <= now) this.grants.delete(hash)
    return this.grants.size
  }
}
