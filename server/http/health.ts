/**
 * What the server says about itself: `/readyz` for a load balancer (503 while the process
 * hands its boards over on SIGTERM, or its store is down), `/healthz` for a monitor (503 when
 * the store can't be read or its last write failed; boards open read-only are counted, for
 * the administrator, without making the server unhealthy) and `/api/config`, what the client
 * reads before it mounts the editor.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  type ClientConfig,
  ClientConfigSchema,
  type HealthResponse,
  HealthResponseSchema,
  type ReadyResponse,
  ReadyResponseSchema,
} from '../../shared/api.ts'
import { fileBytesForAsset } from '../../shared/images.ts'
import { ROUTES } from '../../shared/routes.ts'
import type { HttpContext } from './context.ts'

export const healthRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  app.get(
    ROUTES.health,
    {
      schema: {
        tags: ['server'],
        summary: 'Store and room health',
        response: { 200: HealthResponseSchema, 503: HealthResponseSchema },
      },
    },
    async (_request, reply) => {
      const store = context.store.health()
      const body: HealthResponse = {
        ok: store.ok,
        store,
        rooms: context.rooms.rooms.size,
        connections: context.rooms.connectionCount(),
        readOnlyBoards: [...context.rooms.rooms.values()].filter((room) => room.isReadOnly).length,
        uptimeSeconds: Math.round((Date.now() - context.startedAt) / 1000),
      }
      return reply.code(store.ok ? 200 : 503).send(body)
    },
  )

  app.get(
    ROUTES.ready,
    {
      schema: {
        tags: ['server'],
        summary: 'Whether this process takes new connections (for a load balancer)',
        response: { 200: ReadyResponseSchema, 503: ReadyResponseSchema },
      },
    },
    async (_request, reply) => {
      const store = context.store.health()
      const { cluster } = context
      const body: ReadyResponse = !store.ok
        ? { ready: false, detail: store.detail }
        : cluster && !cluster.ready()
          ? { ready: false, detail: 'handing its boards over, or not yet listening for the other processes' }
          : { ready: true, detail: cluster ? 'one of several processes' : 'one process' }
      return reply.code(body.ready ? 200 : 503).send(body)
    },
  )

  app.get(
    ROUTES.config,
    {
      schema: {
        tags: ['server'],
        summary: 'The client’s runtime configuration',
        response: { 200: ClientConfigSchema },
      },
    },
    async (): Promise<ClientConfig> => ({
      tldrawLicenseKey: context.config.tldrawLicenseKey,
      createTokenRequired: context.config.createToken !== null,
      version: context.version,
      maxImageBytes: fileBytesForAsset(context.config.limits.maxAssetBytes),
    }),
  )
}
