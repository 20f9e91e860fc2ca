/**
 * Short join links for the wall display's QR code: a facilitator makes one (`/j/<token>`,
 * a 128-bit token, so the code stays small enough to scan from across a room), and opening
 * it redirects to the board (or its layer) with the token in the fragment as always.
 * Join links are listed and revoked with the scoped links (links.ts), by id.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import {
  BoardParamsSchema,
  CreateJoinLinkRequestSchema,
  type CreateJoinLinkResponse,
  CreateJoinLinkResponseSchema,
  JoinParamsSchema,
} from '../../shared/api.ts'
import { boardPath, isTokenShaped, joinLink, layerPath } from '../../shared/board.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { ROUTES, TOKEN_PARAM } from '../../shared/routes.ts'
import { hashToken, newShortToken } from '../tokens.ts'
import { accessOf, type HttpContext, publicUrl, requireRole } from './context.ts'
import { ERRORS } from './errors.ts'
import { requireLayer } from './links.ts'
import { BEARER } from './openapi.ts'

const LINK_GONE = 'Deze link werkt niet (meer). / This link no longer works.'

export const joinLinkRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  app.post(
    ROUTES.joinLinks,
    {
      schema: {
        tags: ['links'],
        summary: 'A short participant link for the wall display’s QR code (facilitator)',
        security: BEARER,
        params: BoardParamsSchema,
        body: CreateJoinLinkRequestSchema,
        response: { 201: CreateJoinLinkResponseSchema, ...ERRORS },
      },
      onRequest: requireRole(context, ['facilitator']),
    },
    async (request, reply) => {
      const { board } = accessOf(request)
      const layerId = requireLayer(context, board, request.body.layerId)
      const token = newShortToken()
      const { id } = context.store.addScopedToken(board.id, 'participant', layerId, hashToken(token), 'join')
      context.log.info('join link created', { board: board.id, layer: layerId, link: id })
      const body: CreateJoinLinkResponse = { link: joinLink(publicUrl(context, request), token), id, layerId }
      return reply.code(201).send(body)
    },
  )

  app.get(
    ROUTES.join,
    {
      schema: {
        tags: ['links'],
        summary: 'Open a short join link',
        description: 'Redirects to the board (or its layer) with the token in the fragment.',
        params: JoinParamsSchema,
        response: {
          302: Type.Null({ description: 'To `/b/<board>[/l/<layer>]#token=<token>`.' }),
          404: Type.String({ description: 'Unknown or revoked link: a line of text for a person.' }),
        },
      },
    },
    async (request, reply) => {
      const { token } = request.params
      const grant = isTokenShaped(token) ? context.store.findTokenAnywhere(hashToken(token)) : undefined
      reply.header('cache-control', 'no-store')
      if (!grant) return reply.code(404).type('text/plain; charset=utf-8').send(LINK_GONE)
      const inLayer = grant.layerId !== null && grant.layerId !== ROOT_LAYER_ID
      const path = inLayer ? layerPath(grant.boardId, grant.layerId as string) : boardPath(grant.boardId)
      return reply.header('referrer-policy', 'no-referrer').redirect(`${path}#${TOKEN_PARAM}=${token}`, 302)
    },
  )
}
