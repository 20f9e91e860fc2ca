/**
 * Structured logs with pino: one JSON object per line on stdout, `time` (ISO), `level`
 * ('info', 'warn', 'error'), `msg` and the fields at the top level. Tokens are kept out by
 * configuration, not by convention: the `Authorization` header and the `token` query
 * parameter are redacted wherever they appear, and request URLs are logged without their
 * query string.
 *
 * Rooms see only the small `Logger` interface, so `server/room/` does not depend on pino;
 * fastify gets the pino logger behind it (`pinoOf`).
 */
import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino'
import { CLIENT_PARAM, TOKEN_PARAM } from '../shared/routes.ts'

export type LogFields = Record<string, unknown>

export interface Logger {
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

/** Where a token (or a browser's secret) could sit in a log object; pino replaces it before the line is written. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  `req.query.${TOKEN_PARAM}`,
  `query.${TOKEN_PARAM}`,
  TOKEN_PARAM,
  // A browser's secret proves which Yjs client ids are its own: as secret as a token.
  `req.query.${CLIENT_PARAM}`,
  `query.${CLIENT_PARAM}`,
  CLIENT_PARAM,
]

const PINO = Symbol('pino')

/** A `Logger` backed by pino. */
export interface PinoBackedLogger extends Logger {
  readonly [PINO]: PinoLogger
}

/**
 * A logger writing JSON lines to `destination` (default: stdout through pino's own
 * destination, which stops writing instead of throwing when the reader has gone, EPIPE).
 */
export function createLogger(destination?: DestinationStream, options: { enabled?: boolean } = {}): PinoBackedLogger {
  const logger = pino(
    {
      enabled: options.enabled ?? true,
      base: undefined, // no pid and hostname: the supervisor knows both
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { req: requestForLog },
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  )
  return adapt(logger)
}

function adapt(logger: PinoLogger): PinoBackedLogger {
  return {
    [PINO]: logger,
    info: (msg, fields) => logger.info(fields ?? {}, msg),
    warn: (msg, fields) => logger.warn(fields ?? {}, msg),
    error: (msg, fields) => logger.error(fields ?? {}, msg),
  }
}

/** A logger that drops everything (tests that don't look at logs). */
export const silentLogger: PinoBackedLogger = createLogger(undefined, { enabled: false })

/** The pino logger behind `log`, for fastify; a logger of another kind gets fastify's logs dropped. */
export function pinoOf(log: Logger): PinoLogger {
  return (log as Partial<PinoBackedLogger>)[PINO] ?? silentLogger[PINO]
}

/** What a request line says about the request: never its query string, never its headers. */
function requestForLog(req: { method?: string; url?: string; id?: string }) {
  return { id: req.id, method: req.method, path: pathOnly(req.url) }
}

/** The URL without its query string (`/sync/abc?token=…` → `/sync/abc`). */
export function pathOnly(url: string | undefined): string {
  const end = url?.search(/[?#]/) ?? -1
  return end === -1 ? (url ?? '') : (url as string).slice(0, end)
}
