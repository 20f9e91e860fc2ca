/**
 * One log line per request, `request` with method, path, status and ms, instead of
 * fastify's two ("incoming request", "request completed") that name neither the path nor
 * the status together. The path never has its query string: it may hold a token.
 */
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'
import { pathOnly } from '../log.ts'

export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply): void {
    const fields = {
      method: request.method,
      path: pathOnly(request.url),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime),
    }
    if (error) reply.log.error({ ...fields, error: String(error) }, 'request failed')
    else reply.log.info(fields, 'request')
  }
}
