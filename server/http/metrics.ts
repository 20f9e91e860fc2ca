/**
 * `GET /metrics`: the server's Prometheus metrics (server/metrics.ts, README "Metrics"), in
 * the text exposition format. Unauthenticated like `/healthz`: it holds counts, never
 * tokens, names or board ids, but it tells how busy the server is, so a reverse proxy
 * should not forward it from the internet (README "Metrics").
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ROUTES } from '../../shared/routes.ts'
import type { HttpContext } from './context.ts'

export const metricsRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  const { registry } = context.metrics
  app.get(
    ROUTES.metrics,
    {
      schema: {
        tags: ['server'],
        summary: 'Prometheus metrics',
        produces: [registry.contentType],
        response: { 200: Type.String({ description: 'Prometheus text format; README "Metrics" lists each one.' }) },
      },
    },
    async (_request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .type(registry.contentType)
        .send(await registry.metrics()),
  )
}
