/**
 * Structured logs: one JSON object per line on stdout. Callers pass fields, never URLs
 * with query strings or headers, so tokens never reach a log.
 */
export type LogFields = Record<string, unknown>

export interface Logger {
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
}

export function createLogger(write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const log =
    (level: string) =>
    (msg: string, fields: LogFields = {}) =>
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields }))
  return { info: log('info'), warn: log('warn'), error: log('error') }
}

/** A logger that drops everything (tests that don't look at logs). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} }
