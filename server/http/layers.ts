/**
 * A board's layers for a facilitator: depth-first, the root first, each with how many
 * shapes it holds (counted from the live document, so a board nobody has open is loaded).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { BoardParamsSchema, type LayerListResponse, LayerListResponseSchema } from '../../shared/api.ts'
import { decodeRecord, getRecordsMap, recordKind } from '../../shared/doc.ts'
import { flattenLayers, layerOfShape } from '../../shared/layers.ts'
import { ROUTES } from '../../shared/routes.ts'
import { accessOf, type HttpContext, requireRole, withRoom } from './context.ts'
import { ERRORS } from './errors.ts'
import { BEARER } from './openapi.ts'

export const layerRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  app.get(
    ROUTES.layers,
    {
      schema: {
        tags: ['layers'],
        summary: 'Every layer, depth-first, with its shape count (facilitator)',
        security: BEARER,
        params: BoardParamsSchema,
        response: { 200: LayerListResponseSchema, ...ERRORS },
      },
      onRequest: requireRole(context, ['facilitator']),
    },
    async (request): Promise<LayerListResponse> => {
      const { board } = accessOf(request)
      return withRoom(context, board.id, (room) => {
        const shapeCounts = new Map<string, number>()
        for (const [id, value] of getRecordsMap(room.doc)) {
          if (recordKind(id) !== 'shape') continue
          const record = decodeRecord(value, id)
          if (!record) continue
          const layerId = layerOfShape(record)
          shapeCounts.set(layerId, (shapeCounts.get(layerId) ?? 0) + 1)
        }
        const layers = flattenLayers(room.layers).map(({ layer, depth }) => ({
          id: layer.id,
          name: layer.name,
          parentId: layer.parentId,
          depth,
          color: layer.color,
          visible: layer.visible,
          locked: layer.locked,
          shapeCount: shapeCounts.get(layer.id) ?? 0,
        }))
        return { layers }
      })
    },
  )
}
