/**
 * Boards: create one (with its three capability links, empty or from a template), read its
 * info (facilitator), and ask who a token is on it (any token). README "API" describes each call.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ApiErrorCode,
  type BoardInfo,
  BoardInfoSchema,
  BoardParamsSchema,
  type BoardSession,
  BoardSessionSchema,
  CreateBoardRequestSchema,
  type CreateBoardResponse,
  CreateBoardResponseSchema,
} from '../../shared/api.ts'
import { boardLink, DEFAULT_BOARD_TEMPLATE, validateBoardName, validateDepartments } from '../../shared/board.ts'
import type { Role } from '../../shared/roles.ts'
import { ROUTES } from '../../shared/routes.ts'
import { initialDocumentUpdate } from '../boardDocument.ts'
import type { BoardRow } from '../store/types.ts'
import { hashToken, newBoardId, newToken } from '../tokens.ts'
import { accessOf, bearerToken, type HttpContext, publicUrl, requireRole, requireToken, withRoom } from './context.ts'
import { sameSecret } from './edge.ts'
import { ERRORS, HttpError } from './errors.ts'
import { BEARER } from './openapi.ts'

export const boardRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  app.post(
    ROUTES.boards,
    {
      schema: {
        tags: ['boards'],
        summary: 'Create a board',
        description: 'Needs the creation token as a bearer token when `STIP_CREATE_TOKEN` is set.',
        security: context.config.createToken === null ? [] : BEARER,
        body: CreateBoardRequestSchema,
        response: { 201: CreateBoardResponseSchema, ...ERRORS },
      },
      onRequest: async (request) => {
        const required = context.config.createToken
        if (required === null) return
        const token = bearerToken(request)
        if (token === null)
          throw new HttpError(401, ApiErrorCode.TokenMissing, 'Creating a board needs the creation token.')
        // In constant time: how long a wrong guess took must not tell how much of it was right.
        if (!sameSecret(token, required))
          throw new HttpError(403, ApiErrorCode.TokenInvalid, 'The creation token is wrong.')
      },
    },
    async (request, reply) => {
      const name = validateBoardName(request.body.name)
      if (!name.ok) throw new HttpError(400, name.code, name.message)
      const template = request.body.template ?? DEFAULT_BOARD_TEMPLATE
      const departments = validateDepartments(request.body.departments, template)
      if (!departments.ok) throw new HttpError(400, departments.code, departments.message)
      const board: BoardRow = { id: newBoardId(), name: name.name, created: new Date().toISOString() }
      const tokens = { facilitator: newToken(), participant: newToken(), display: newToken() }
      // The board starts with its page, root layer and north star, stored with it in one
      // transaction: there is never a board without its first document.
      context.store.createBoard(
        board,
        {
          facilitator: hashToken(tokens.facilitator),
          participant: hashToken(tokens.participant),
          display: hashToken(tokens.display),
        },
        initialDocumentUpdate(board.name, {
          template,
          departments: departments.names,
          language: request.body.language ?? 'nl',
        }),
      )
      context.log.info('board created', { board: board.id, template, departments: departments.names.length })
      const base = publicUrl(context, request)
      const response: CreateBoardResponse = {
        id: board.id,
        name: board.name,
        links: {
          facilitator: boardLink(base, board.id, tokens.facilitator),
          participant: boardLink(base, board.id, tokens.participant),
          display: boardLink(base, board.id, tokens.display),
        },
      }
      return reply.code(201).send(response)
    },
  )

  app.get(
    ROUTES.board,
    {
      schema: {
        tags: ['boards'],
        summary: 'A board’s info and counts (facilitator)',
        security: BEARER,
        params: BoardParamsSchema,
        response: { 200: BoardInfoSchema, ...ERRORS },
      },
      onRequest: requireRole(context, ['facilitator']),
    },
    async (request): Promise<BoardInfo> => {
      const { board } = accessOf(request)
      const connections: Record<Role, number> = { facilitator: 0, participant: 0, display: 0 }
      for (const connection of context.rooms.rooms.get(board.id)?.connections ?? []) connections[connection.role]++
      const counts = withRoom(context, board.id, (room) => room.counts())
      return { id: board.id, name: board.name, created: board.created, counts: { ...counts, connections } }
    },
  )

  app.get(
    ROUTES.me,
    {
      schema: {
        tags: ['boards'],
        summary: 'Who this token is on the board (any token)',
        security: BEARER,
        params: BoardParamsSchema,
        response: { 200: BoardSessionSchema, ...ERRORS },
      },
      onRequest: requireToken(context),
    },
    async (request): Promise<BoardSession> => {
      const { board, grant } = accessOf(request)
      return { id: board.id, name: board.name, role: grant.role, layerId: grant.layerId }
    },
  )
}
