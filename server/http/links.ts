/**
 * A board's capability links (facilitator): a participant link scoped to a layer, the list
 * of every scoped and join link (by id, kind, role, layer and time: never a token or its
 * hash), revoking one of them, and rotating a role's main link. Revoking and rotating stop
 * the old token at once and close the sockets opened with it (4401, which clients treat as
 * final: the person sees "this link is no longer valid"). Both are written to the audit log
 * (time and role, never a token).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import {
  ApiErrorCode,
  BoardParamsSchema,
  CreateLinkRequestSchema,
  type CreateLinkResponse,
  CreateLinkResponseSchema,
  type LinkListResponse,
  LinkListResponseSchema,
  LinkParamsSchema,
  type RevokeLinkResponse,
  RevokeLinkResponseSchema,
  RotateLinkParamsSchema,
  type RotateLinkResponse,
  RotateLinkResponseSchema,
} from '../../shared/api.ts'
import { boardLink, joinLinkToken, scopedBoardLink } from '../../shared/board.ts'
import { META_DISPLAY_KEY, sanitizeDisplaySettings } from '../../shared/display.ts'
import { getMetaMap } from '../../shared/doc.ts'
import { isLayerId } from '../../shared/layers.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { ROUTES } from '../../shared/routes.ts'
import type { BoardRow } from '../store/types.ts'
import { hashToken, newToken } from '../tokens.ts'
import { accessOf, type HttpContext, publicUrl, requireRole, withRoom } from './context.ts'
import { ERRORS, HttpError } from './errors.ts'
import { BEARER } from './openapi.ts'

export const linkRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  app.post(
    ROUTES.links,
    {
      schema: {
        tags: ['links'],
        summary: 'A new participant link scoped to a layer (facilitator)',
        description: 'The layer and its sub-layers are writable with it, everything stays visible.',
        security: BEARER,
        params: BoardParamsSchema,
        body: CreateLinkRequestSchema,
        response: { 201: CreateLinkResponseSchema, ...ERRORS },
      },
      onRequest: requireRole(context, ['facilitator']),
    },
    async (request, reply) => {
      const { board } = accessOf(request)
      const layerId = requireLayer(context, board, request.body.layerId)
      const token = newToken()
      const { id } = context.store.addScopedToken(board.id, 'participant', layerId, hashToken(token), 'scoped')
      context.log.info('scoped link created', { board: board.id, layer: layerId, link: id })
      const body: CreateLinkResponse = {
        id,
        link: scopedBoardLink(publicUrl(context, request), board.id, layerId, token),
        role: 'participant',
        layerId,
      }
      return reply.code(201).send(body)
    },
  )

  app.get(
    ROUTES.links,
    {
      schema: {
        tags: ['links'],
        summary: 'Every scoped link and short join link of the board, oldest first (facilitator)',
        description: 'Main links are not listed: each role has one, rotated rather than revoked.',
        security: BEARER,
        params: BoardParamsSchema,
        response: { 200: LinkListResponseSchema, ...ERRORS },
      },
      onRequest: requireRole(context, ['facilitator']),
    },
    async (request): Promise<LinkListResponse> => {
      const { board } = accessOf(request)
      const links: LinkListResponse['links'] = []
      // Field by field: the response carries what the schema names, and nothing else ever.
      for (const { id, kind, role, layerId, created } of context.store.listLinks(board.id)) {
        if (kind !== 'main') links.push({ id, kind, role, layerId, created })
      }
      return { links }
    },
  )

  app.delete(
    ROUTES.link,
    {
      schema: {
        tags: ['links'],
        summary: 'Revoke a scoped or join link; its token stops at once (facilitator)',
        description: 'Sockets opened with it are closed (4401). A main link is rotated instead (404 here).',
        security: BEARER,
        params: LinkParamsSchema,
        response: { 200: RevokeLinkResponseSchema, ...ERRORS },
      },
      onRequest: requireRole(context, ['facilitator']),
    },
    async (request): Promise<RevokeLinkResponse> => {
      const { board } = accessOf(request)
      const { linkId } = request.params
      const hash = context.store.revokeLink(board.id, linkId)
      if (hash === undefined) {
        throw new HttpError(404, ApiErrorCode.LinkNotFound, 'No scoped or join link with this id on this board.')
      }
      // The store no longer knows the token, so new requests and upgrades are refused; the
      // sockets already open with it are closed now.
      const closed = context.rooms.closeWhere(
        board.id,
        (connection) => connection.tokenHash === hash,
        CloseCode.Unauthorized,
      )
      const qrCleared = forgetOnDisplays(context, board.id, hash)
      context.store.appendAudit({ action: 'link-revoked', actor: accessOf(request).grant.role, boardId: board.id })
      context.log.info('link revoked', { board: board.id, link: linkId, closedConnections: closed, qrCleared })
      return { id: linkId, closedConnections: closed }
    },
  )

  app.post(
    ROUTES.rotateLink,
    {
      schema: {
        tags: ['links'],
        summary: 'A new token for a role’s link; the old one stops at once (facilitator)',
        description: 'Sockets opened with the old token are closed (4401). Scoped links stay.',
        security: BEARER,
        params: RotateLinkParamsSchema,
        response: { 200: RotateLinkResponseSchema, ...ERRORS },
      },
      onRequest: requireRole(context, ['facilitator']),
    },
    async (request): Promise<RotateLinkResponse> => {
      const { board } = accessOf(request)
      const { role } = request.params
      const token = newToken()
      const hash = hashToken(token)
      context.store.replaceToken(board.id, role, hash)
      // The old token stops at once for new requests (the store no longer knows it); sockets
      // opened with it are closed now.
      const closed = context.rooms.closeWhere(
        board.id,
        (connection) => connection.role === role && connection.layerId === null && connection.tokenHash !== hash,
        CloseCode.Unauthorized,
      )
      context.store.appendAudit({ action: 'link-rotated', actor: accessOf(request).grant.role, boardId: board.id })
      context.log.info('link rotated', { board: board.id, role, closedConnections: closed })
      return { role, link: boardLink(publicUrl(context, request), board.id, token) }
    },
  )
}

/** The layer id, if it names a layer on this board: 400 when it is no layer id, 404 when unknown. */
export function requireLayer(context: HttpContext, board: BoardRow, layerId: unknown): string {
  if (!isLayerId(layerId)) throw new HttpError(400, ApiErrorCode.LayerMissing, 'Name the layer: "layerId": "layer:…".')
  if (!withRoom(context, board.id, (room) => room.layers.has(layerId))) {
    throw new HttpError(404, ApiErrorCode.LayerNotFound, 'No layer with this id on this board.')
  }
  return layerId
}

/**
 * A revoked join link must not stay on the wall displays as a QR code nobody can use: if
 * the displays' settings (`meta.display`) show it, the server takes it out (and hides the
 * join code) as a change of its own, stored and sent to every display at once. Returns
 * whether it did.
 */
function forgetOnDisplays(context: HttpContext, boardId: string, revokedHash: string): boolean {
  return withRoom(context, boardId, (room) => {
    const shown = getMetaMap(room.doc).get(META_DISPLAY_KEY)
    const settings = sanitizeDisplaySettings(shown)
    const token = joinLinkToken(settings.joinLink)
    if (token === null || hashToken(token) !== revokedHash) return false
    const written = room.writeAsServer((doc) =>
      getMetaMap(doc).set(META_DISPLAY_KEY, { ...settings, joinLink: null, showJoinCode: false }),
    )
    room.flush()
    return written
  })
}
