/**
 * Server configuration, read once from the environment into a typed object. Nothing else
 * in the server reads `process.env`.
 */
import path from 'node:path'
import { DEFAULT_LIMITS, type RoomLimits, readLimits } from './room/limits.ts'
import { DEFAULT_DURABILITY, DURABILITIES, type Durability } from './room/persistence.ts'

export interface ServerConfig {
  /** `PORT`, default 8080; 0 picks a free port (tests). */
  port: number
  /** `HOST`, default 0.0.0.0. */
  host: string
  /** `DATA_DIR`, default ./data. Null: keep everything in memory (tests, benchmarks). */
  dataDir: string | null
  /** `PUBLIC_URL`: the address people use (behind a reverse proxy: https://stip.gemeente.nl).
   * Null: links are built from the request's Host header. */
  publicUrl: string | null
  /** `STIP_TLDRAW_LICENSE_KEY`: handed to the client before the editor mounts. */
  tldrawLicenseKey: string | null
  /** `STIP_CREATE_TOKEN`: when set, creating a board requires it. */
  createToken: string | null
  /**
   * `STIP_ALLOWED_ORIGINS`: comma-separated origins (`https://intranet.gemeente.nl`) whose pages
   * may open a sync socket besides `PUBLIC_URL`'s (or, without it, the server's own host).
   */
  allowedOrigins: string[]
  /** `STIP_MAX_ROOMS`, default 1000: boards one process holds open; a new one beyond is refused (503). */
  maxRooms: number
  /** `STIP_MAX_CONNECTIONS`, default 10000: sync sockets one process holds; one beyond is refused (503). */
  maxConnections: number
  /** `STIP_SQLITE_SYNC`: `full` (default, every write fsynced within ms) or `normal` (at checkpoints). */
  sqliteSynchronous: 'full' | 'normal'
  /**
   * `STIP_DURABILITY`: `wal` (default; peers see an update once it is committed, and a
   * power cut can take the last milliseconds, which the authors' browsers send again) or
   * `strict` (peers see it only once it is fsynced; needs `STIP_SQLITE_SYNC=full`).
   */
  durability: Durability
  /** Directory of the built client. */
  clientDir: string
  /** What one connection may cost a room; each limit's variable is in `room/limits.ts`. */
  limits: RoomLimits
  /** `STIP_HISTORY_DAYS`, default 90: days of full history kept; older history keeps one checkpoint a day. */
  historyDays: number
  /** `STIP_ADMIN_TOKEN`: the administrator's bearer token; null: the admin API and page are off. */
  adminToken: string | null
  /**
   * `STIP_CHROMIUM`, default `/usr/bin/chromium` (`off`: none): the headless browser that
   * renders the board's PDF into its archive (`server/admin/pdf.ts`). Missing, archives are
   * made without the PDF. Null in `DEFAULT_CONFIG`, so tests and embedders opt in.
   */
  chromium: string | null
  /** `STIP_ARCHIVE_PDF_SECONDS`, default 120: how long one archive PDF may take, launch to bytes (here in ms). */
  archivePdfTimeoutMs: number
  /** `DATABASE_URL`: store everything in this PostgreSQL, as one of several processes (README "Several processes"). Null: SQLite in `dataDir`. */
  databaseUrl: string | null
  /** `STIP_DATABASE_SCHEMA`, default `public`: the schema Stip's tables live in. */
  databaseSchema: string
  /** Settings of a process that shares the database with others; null without `DATABASE_URL`. */
  cluster: ClusterConfig | null
}

export interface ClusterConfig {
  /** `STIP_CLUSTER_SECRET` (≥ 32 characters, the same on every process): authenticates the hop between processes. */
  secret: string
  /**
   * `STIP_INTERNAL_URL`: how the other processes reach this one (`http://10.0.0.5:8080`),
   * registered with its leases. Default `http://127.0.0.1:<port>`: processes on one host.
   */
  internalUrl: string | null
  /** `STIP_LEASE_MS`, default 3000: how long a board's lease lasts unless renewed; a dead owner's boards move after it. */
  leaseMs: number
}

export const DEFAULT_CONFIG: ServerConfig = {
  port: 8080,
  host: '0.0.0.0',
  dataDir: null,
  publicUrl: null,
  tldrawLicenseKey: null,
  createToken: null,
  allowedOrigins: [],
  maxRooms: 1000,
  maxConnections: 10_000,
  sqliteSynchronous: 'full',
  durability: DEFAULT_DURABILITY,
  clientDir: path.resolve(import.meta.dirname, '../client/dist'),
  limits: DEFAULT_LIMITS,
  historyDays: 90,
  adminToken: null,
  chromium: null,
  archivePdfTimeoutMs: 120_000,
  databaseUrl: null,
  databaseSchema: 'public',
  cluster: null,
}

/** A board's lease, unless renewed (three times per lease): the bound of a failover's wait. */
export const DEFAULT_LEASE_MS = 3000

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const text = (name: string) => {
    const value = env[name]?.trim()
    return value ? value : null
  }
  const port = Number(text('PORT') ?? DEFAULT_CONFIG.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be 0–65535, got "${env.PORT}"`)
  const publicUrl = text('PUBLIC_URL')
  if (publicUrl !== null && !/^https?:\/\/[^/]+/.test(publicUrl)) {
    throw new ConfigError(`PUBLIC_URL must start with http:// or https://, got "${publicUrl}"`)
  }
  const sync = text('STIP_SQLITE_SYNC') ?? 'full'
  if (sync !== 'full' && sync !== 'normal')
    throw new ConfigError(`STIP_SQLITE_SYNC must be full or normal, got "${sync}"`)
  const durability = (text('STIP_DURABILITY') ?? DEFAULT_DURABILITY) as Durability
  if (!DURABILITIES.includes(durability))
    throw new ConfigError(`STIP_DURABILITY must be ${DURABILITIES.join(' or ')}, got "${durability}"`)
  if (durability === 'strict' && sync === 'normal')
    throw new ConfigError('STIP_DURABILITY=strict waits for fsyncs, which STIP_SQLITE_SYNC=normal does not make')
  return {
    ...DEFAULT_CONFIG,
    port,
    host: text('HOST') ?? DEFAULT_CONFIG.host,
    dataDir: path.resolve(text('DATA_DIR') ?? './data'),
    publicUrl: publicUrl?.replace(/\/+$/, '') ?? null,
    tldrawLicenseKey: text('STIP_TLDRAW_LICENSE_KEY'),
    createToken: text('STIP_CREATE_TOKEN'),
    allowedOrigins: readOrigins(text('STIP_ALLOWED_ORIGINS')),
    maxRooms: readCount('STIP_MAX_ROOMS', text('STIP_MAX_ROOMS'), DEFAULT_CONFIG.maxRooms),
    maxConnections: readCount('STIP_MAX_CONNECTIONS', text('STIP_MAX_CONNECTIONS'), DEFAULT_CONFIG.maxConnections),
    sqliteSynchronous: sync,
    durability,
    limits: readLimits(env, (message) => new ConfigError(message)),
    historyDays: readCount('STIP_HISTORY_DAYS', text('STIP_HISTORY_DAYS'), DEFAULT_CONFIG.historyDays),
    adminToken: readAdminToken(text('STIP_ADMIN_TOKEN')),
    chromium: readChromium(text('STIP_CHROMIUM')),
    archivePdfTimeoutMs:
      readCount(
        'STIP_ARCHIVE_PDF_SECONDS',
        text('STIP_ARCHIVE_PDF_SECONDS'),
        DEFAULT_CONFIG.archivePdfTimeoutMs / 1000,
      ) * 1000,
    ...readDatabase(text),
  }
}

/** `DATABASE_URL` and the cluster settings that come with it. */
function readDatabase(
  text: (name: string) => string | null,
): Pick<ServerConfig, 'databaseUrl' | 'databaseSchema' | 'cluster'> {
  const databaseUrl = text('DATABASE_URL')
  const databaseSchema = text('STIP_DATABASE_SCHEMA') ?? 'public'
  if (!/^[a-z_][a-z0-9_]*$/.test(databaseSchema))
    throw new ConfigError(`STIP_DATABASE_SCHEMA must be lower-case letters, digits and _, got "${databaseSchema}"`)
  if (databaseUrl === null) return { databaseUrl, databaseSchema, cluster: null }
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) throw new ConfigError('DATABASE_URL must be a postgres:// address')
  const secret = text('STIP_CLUSTER_SECRET')
  if (secret === null || secret.length < 32)
    throw new ConfigError(
      'DATABASE_URL needs STIP_CLUSTER_SECRET, at least 32 characters and the same on every process (e.g. `openssl rand -hex 32`)',
    )
  const internalUrl = text('STIP_INTERNAL_URL')
  if (internalUrl !== null && !/^https?:\/\/[^/]+$/.test(internalUrl.replace(/\/+$/, '')))
    throw new ConfigError(`STIP_INTERNAL_URL must be an address like http://10.0.0.5:8080, got "${internalUrl}"`)
  const leaseMs = readCount('STIP_LEASE_MS', text('STIP_LEASE_MS'), DEFAULT_LEASE_MS)
  if (leaseMs < 500) throw new ConfigError(`STIP_LEASE_MS must be at least 500, got "${leaseMs}"`)
  return {
    databaseUrl,
    databaseSchema,
    cluster: { secret, internalUrl: internalUrl?.replace(/\/+$/, '') ?? null, leaseMs },
  }
}

/** `STIP_ALLOWED_ORIGINS`: each entry an http(s) origin, compared as browsers send it. */
function readOrigins(value: string | null): string[] {
  if (value === null) return []
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const url = URL.canParse(entry) ? new URL(entry) : null
      const bare = url !== null && url.pathname === '/' && url.search === '' && url.hash === ''
      if (!url || !bare || !/^https?:$/.test(url.protocol))
        throw new ConfigError(`STIP_ALLOWED_ORIGINS: "${entry}" is not an origin like https://stip.gemeente.nl`)
      return url.origin
    })
}

/** A positive whole number from the environment, or the default. */
function readCount(name: string, value: string | null, fallback: number): number {
  if (value === null) return fallback
  const count = Number(value)
  if (!Number.isInteger(count) || count < 1) throw new ConfigError(`${name} must be a whole number ≥ 1, got "${value}"`)
  return count
}

/** `STIP_CHROMIUM`: a path, or `off`; unset, Debian's `/usr/bin/chromium`. */
function readChromium(value: string | null): string | null {
  if (value === null) return '/usr/bin/chromium'
  if (value.toLowerCase() === 'off') return null
  return path.resolve(value)
}

/** `STIP_ADMIN_TOKEN`: long enough that guessing it is hopeless (at least 32 characters). */
function readAdminToken(value: string | null): string | null {
  if (value === null) return null
  if (value.length < 32)
    throw new ConfigError('STIP_ADMIN_TOKEN must be at least 32 characters (e.g. `openssl rand -hex 32`)')
  return value
}
