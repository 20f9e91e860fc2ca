/**
 * The web edge's own checks, apart from tokens: which pages may open a sync socket
 * (`Origin`), how many rooms and sockets one process takes, and comparing the create
 * token without a timing leak. sync.ts and boards.ts call these; each is a pure function
 * of the request and the configuration, so it is tested without a socket.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { UpgradeRefusal } from '../../shared/upgrade.ts'
import type { ServerConfig } from '../config.ts'

/**
 * Whether two secrets are equal, in time that does not depend on where they differ: both are
 * hashed to equal-length digests first (`timingSafeEqual` needs equal lengths, and comparing
 * lengths would leak the length), then compared with `crypto.timingSafeEqual`.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest()
  return timingSafeEqual(digest(given), digest(expected))
}

/** The origin (`scheme://host[:port]`) of a URL, lower-cased as browsers send it; null if none. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null
  } catch {
    return null
  }
}

/**
 * Whether the page that opened this upgrade may sync [1]:
 * - no `Origin` header: allowed. Browsers always send one on a WebSocket handshake, so a
 *   request without it comes from a program (an integration, the tests' raw clients, a
 *   script), which could set any Origin it liked anyway; the token still decides.
 * - `PUBLIC_URL` set: the Origin must be its origin or one of `STIP_ALLOWED_ORIGINS`.
 * - no `PUBLIC_URL`: the Origin's host must be the request's own Host (the page came from
 *   this server, as in development or on a LAN), or one of `STIP_ALLOWED_ORIGINS`.
 *
 * [1] Cross-site WebSocket hijacking: WebSockets are not bound by the same-origin policy, so
 *     a page on any site could open `wss://stip…/sync/…` in a visitor's browser. Tokens travel
 *     in the URL, not in cookies, so that page would need a token already; this check makes
 *     the browser's own word about the page count too, e.g. for a token leaked into history.
 */
export function originAllowed(request: IncomingMessage, config: ServerConfig): boolean {
  const header = request.headers.origin
  if (header === undefined) return true
  const origin = originOf(header)
  if (origin === null) return false // "null" (sandboxed frames, file://) or garbage
  if (config.allowedOrigins.includes(origin)) return true
  if (config.publicUrl !== null) return origin === originOf(config.publicUrl)
  return request.headers.host !== undefined && new URL(origin).host === request.headers.host.toLowerCase()
}

/**
 * What the process holds when an upgrade asks in. `ws` completes an upgrade synchronously (no
 * `verifyClient`), so the socket is counted before the next upgrade is looked at.
 */
export interface Load {
  rooms: number
  connections: number
  /** Whether the board's room is loaded already (joining it adds no room). */
  roomLoaded: boolean
}

/** The cap a new socket would break, or null when there is room for it. */
export function capacityRefusal(load: Load, config: ServerConfig): UpgradeRefusal | null {
  if (load.connections >= config.maxConnections) return UpgradeRefusal.TooManyConnections
  if (!load.roomLoaded && load.rooms >= config.maxRooms) return UpgradeRefusal.TooManyRooms
  return null
}
