/**
 * How every failure becomes the API's one error format, `{ "error": { "code", "message" } }`:
 * a thrown `HttpError`, a request that fails its route's schema (the schema names its code
 * with `x-error`, see shared/api.ts), a body that is not JSON or too large, an unknown
 * endpoint, or a bug (500, logged, nothing changed).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import {
  type ApiError,
  ApiErrorCode,
  ApiErrorSchema,
  MAX_BODY_BYTES,
  SCHEMA_ERROR_KEYWORD,
  type SchemaError,
} from '../../shared/api.ts'
import { type Logger, pathOnly } from '../log.ts'

/** An error that becomes an HTTP response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

/** The error answers any API route may give, for its response schema (and so the OpenAPI document). */
export const ERRORS = { '4xx': ApiErrorSchema, '5xx': ApiErrorSchema } as const

export function sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  const body: ApiError = { error: { code, message } }
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send(body)
}

/** The options fastify's Ajv needs so a failed check can say which `x-error` it failed. */
export const AJV_OPTIONS: { coerceTypes: false; verbose: true; keywords: string[]; validateSchema: false } = {
  // Strings stay strings: a board named 42 is refused, as it always was, not renamed "42".
  coerceTypes: false,
  // Each error carries the schema it failed, where the `x-error` annotation sits.
  verbose: true,
  keywords: [SCHEMA_ERROR_KEYWORD],
  // Our own schemas, not anything a client sends: they are checked against JSON Schema's
  // meta-schema by a test (route-schemas.test.ts), not at every start, where compiling the
  // meta-schema cost about 28 ms of it.
  validateSchema: false,
}

/** The body parser: every body is JSON, whatever its content type says, as it always was. */
export function parseJson(_request: FastifyRequest, body: string, done: (error: Error | null, body?: unknown) => void) {
  try {
    done(null, JSON.parse(body))
  } catch {
    done(new HttpError(400, ApiErrorCode.InvalidJson, 'The request body is not valid JSON.'))
  }
}

interface AjvError {
  keyword: string
  params: { missingProperty?: string }
  parentSchema?: Record<string, unknown> & { properties?: Record<string, Record<string, unknown>> }
}

/** The `x-error` of the schema (or, for a missing property, the property's) that failed. */
function schemaErrorOf(errors: readonly AjvError[]): SchemaError | undefined {
  for (const error of errors) {
    const schema = error.parentSchema
    const missing = error.params.missingProperty
    const property = missing === undefined ? undefined : schema?.properties?.[missing]
    const found = (property?.[SCHEMA_ERROR_KEYWORD] ?? schema?.[SCHEMA_ERROR_KEYWORD]) as SchemaError | undefined
    if (found) return found
  }
  return undefined
}

/** fastify's error handler for the whole server. */
export function errorHandler(log: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof HttpError) return sendError(reply, error.status, error.code, error.message)
    if (error.validation) {
      const named = schemaErrorOf(error.validation as unknown as AjvError[])
      return sendError(
        reply,
        400,
        named?.code ?? ApiErrorCode.InvalidRequest,
        named?.message ?? `The request ${error.validationContext ?? 'input'} ${error.message.replace(/^\S+ /, '')}.`,
      )
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return sendError(reply, 413, ApiErrorCode.BodyTooLarge, `A request body is at most ${MAX_BODY_BYTES} bytes.`)
    }
    const status = error.statusCode ?? 500
    if (status < 500) return sendError(reply, status, ApiErrorCode.InvalidRequest, error.message)
    log.error('request failed', { path: pathOnly(request.url), error: String(error) })
    return sendError(reply, 500, ApiErrorCode.Internal, 'Something went wrong on the server; nothing was changed.')
  }
}
