/**
 * The administrator's API (`STIP_ADMIN_TOKEN` as the bearer token, compared in constant
 * time; without it set, every call answers 404 `admin_disabled`):
 * - `GET /api/admin/boards`: every board with its name, times, bytes on disk by part,
 *   versions and connections now.
 * - `GET /api/admin/boards/:id/archive`: the board's archive, one ZIP (`server/admin/archive.ts`),
 *   with the board's PDF when Chromium is there (`server/admin/pdf.ts`); the header
 *   `x-stip-archive-pdf` says whether it is in.
 * - `GET /api/boards/:id/archive-state`: the board now as a Yjs update, for the internal
 *   page that renders that PDF; only the render's own internal grant opens it.
 * - `POST /api/admin/import` (`application/zip`): an archive becomes a new board, with new links.
 * - `DELETE /api/admin/boards/:id` with `{ "confirm": "<the board's name>" }`: erases the
 *   board and every row of it; its open sockets are closed first (4401, the link is gone).
 * - `GET /api/admin/audit`: the audit log, newest first.
 * Archive exports, imports and erasures are written to the audit log: time, who, which
 * board id; never a name, a token or any of the board's content.
 *
 * The archive's code (and fflate, its ZIP) is loaded on the first export or import, not at
 * every start: an administrator's call, seldom made.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import * as Y from 'yjs'
import { ApiErrorCode, BoardParamsSchema, SCHEMA_ERROR_KEYWORD } from '../../shared/api.ts'
import { ARCHIVE_PDF_HEADER, ARCHIVE_PDF_STATUSES } from '../../shared/archivePdf.ts'
import { boardLink, isBoardId, validateBoardName } from '../../shared/board.ts'
import { today } from '../../shared/dates.ts'
import {
  type AdminBoardList,
  AdminBoardListSchema,
  type AuditResponse,
  AuditResponseSchema,
  EraseResponseSchema,
  type ImportResponse,
  ImportResponseSchema,
} from '../../shared/historyApi.ts'
import { pathsReport } from '../../shared/pathReport.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { ROUTES } from '../../shared/routes.ts'
import { outlineText } from '../admin/outline.ts'
import type { ArchivePdfRenderer } from '../admin/pdf.ts'
import type { ReplayCursors } from '../history/replay.ts'
import { docOf } from '../history/versions.ts'
import type { BoardRow } from '../store/types.ts'
import { hashToken, newBoardId, newToken } from '../tokens.ts'
import { accessOf, authenticate, bearerToken, type HttpContext, publicUrl, readDocument } from './context.ts'
import { sameSecret } from './edge.ts'
import { ERRORS, HttpError } from './errors.ts'
import { BEARER } from './openapi.ts'
import { pathsCsv, contentOf as reportInputOf } from './paths.ts'

/** An archive upload may be this large (a board is at most 256 MB of records, plus versions). */
const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024

/** `onRequest` hook: the administrator's token, or 404 (off), 401 (none), 403 (wrong). */
export function requireAdmin(context: HttpContext) {
  return async (request: FastifyRequest) => {
    const expected = context.config.adminToken
    if (expected === null)
      throw new HttpError(404, ApiErrorCode.AdminDisabled, 'The administrator’s API is off: set STIP_ADMIN_TOKEN.')
    const token = bearerToken(request)
    if (token === null)
      throw new HttpError(
        401,
        ApiErrorCode.TokenMissing,
        'Send the administrator’s token as "Authorization: Bearer <token>".',
      )
    // In constant time: how long a wrong guess took must not tell how much of it was right.
    if (!sameSecret(token, expected))
      throw new HttpError(403, ApiErrorCode.TokenInvalid, 'This is not the administrator’s token.')
  }
}

/** The board in `:boardId`, or 404. */
function boardOf(context: HttpContext, boardId: string): BoardRow {
  const board = isBoardId(boardId) ? context.store.getBoard(boardId) : undefined
  if (!board) throw new HttpError(404, ApiErrorCode.BoardNotFound, 'No board with this id.')
  return board
}

/** `onRequest` hook: a live internal grant for the board (`server/admin/grants.ts`), nothing else. */
export function requireInternalGrant(context: HttpContext) {
  return async (request: FastifyRequest) => {
    const access = authenticate(context, request)
    const token = bearerToken(request) ?? ''
    if (!context.grants.isInternal(access.board.id, hashToken(token)))
      throw new HttpError(403, ApiErrorCode.RoleForbidden, 'Only the server’s own archive render reads this.')
    request.access = access
  }
}

export function adminRoutes(cursors: ReplayCursors, pdf: ArchivePdfRenderer): FastifyPluginAsyncTypebox<HttpContext> {
  return async (app, context) => {
    const admin = requireAdmin(context)
    app.addContentTypeParser(
      'application/zip',
      { parseAs: 'buffer', bodyLimit: MAX_ARCHIVE_BYTES },
      (_request, body, done) => done(null, body),
    )

    app.get(
      ROUTES.adminBoards,
      {
        schema: {
          tags: ['admin'],
          summary: 'Every board: name, times, bytes on disk, versions, connections now (administrator)',
          security: BEARER,
          response: { 200: AdminBoardListSchema, ...ERRORS },
        },
        onRequest: admin,
      },
      async (): Promise<AdminBoardList> => ({
        boards: context.store.listBoards().map((board) => {
          const last = context.store.lastActivity(board.id)
          return {
            id: board.id,
            name: board.name,
            created: board.created,
            lastActivity: last === null ? null : new Date(last).toISOString(),
            bytes: context.store.storageOf(board.id),
            versions: context.store.listVersions(board.id).length,
            connections: context.rooms.rooms.get(board.id)?.connections.size ?? 0,
          }
        }),
      }),
    )

    app.get(
      ROUTES.adminArchive,
      {
        schema: {
          tags: ['admin'],
          summary: 'The board’s archive: one ZIP of open formats (administrator)',
          security: BEARER,
          params: BoardParamsSchema,
          response: {
            200: {
              description:
                'records.json, meta.json, versions, outline.txt, paths.csv and, with Chromium on the server, board.pdf (see the README).',
              headers: {
                [ARCHIVE_PDF_HEADER]: {
                  description: `Whether board.pdf is in the archive: ${ARCHIVE_PDF_STATUSES.join(', ')}.`,
                  schema: { type: 'string', enum: [...ARCHIVE_PDF_STATUSES] },
                },
              },
              content: { 'application/zip': { schema: Type.String({ format: 'binary' }) } },
            },
            ...ERRORS,
          },
        },
        onRequest: admin,
      },
      async (request, reply) => {
        const board = boardOf(context, request.params.boardId)
        const exported = new Date().toISOString()
        // The PDF first (it takes seconds, and reads the board through its own page), then
        // everything else from one reading of the board.
        const rendered = await pdf.render(board.id, { date: exported })
        if (!context.store.getBoard(board.id))
          throw new HttpError(404, ApiErrorCode.BoardNotFound, 'The board was erased while it was archived.')
        const { contentOf, writeArchive } = await import('../admin/archive.ts')
        context.rooms.rooms.get(board.id)?.flush()
        const { content, report, versions } = readDocument(context, board.id, (doc) => ({
          content: contentOf(doc),
          report: pathsReport({ boardId: board.id, name: board.name, ...reportInputOf(doc), today: today() }),
          versions: context.store.listVersions(board.id).flatMap((row) => {
            const found = context.store.loadVersion(board.id, row.id)
            if (!found) return []
            const versionDoc = docOf(found.state)
            try {
              return [{ row, content: contentOf(versionDoc) }]
            } finally {
              versionDoc.destroy()
            }
          }),
        }))
        const zip = writeArchive({
          board,
          content,
          versions,
          outline: outlineText(report, content.records, exported),
          pathsCsv: await pathsCsv(report, ';'),
          exported,
          pdf: rendered.status === 'included' ? rendered : { status: rendered.status },
        })
        context.store.appendAudit({ action: 'archive-exported', actor: 'admin', boardId: board.id })
        context.log.info('archive exported', { board: board.id, bytes: zip.length, pdf: rendered.status })
        reply.header('cache-control', 'no-store')
        reply.header(ARCHIVE_PDF_HEADER, rendered.status)
        reply.header(
          'content-disposition',
          `attachment; filename="stip-archief-${board.id}-${exported.slice(0, 10)}.zip"`,
        )
        // Bytes, not the JSON the typed reply expects: the schema above documents them as binary.
        return reply.type('application/zip').send(Buffer.from(zip) as unknown as string)
      },
    )

    app.get(
      ROUTES.archiveState,
      {
        schema: {
          tags: ['admin'],
          summary: 'The board now, as a Yjs update: for the archive’s PDF render only (internal grant)',
          description:
            'Answers only the short-lived grant the server mints for its own headless browser while it renders an archive’s board.pdf; every link’s token is refused.',
          security: BEARER,
          params: BoardParamsSchema,
          response: {
            200: {
              description: 'Y.encodeStateAsUpdate of the board.',
              content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
            },
            ...ERRORS,
          },
        },
        onRequest: requireInternalGrant(context),
      },
      async (request, reply) => {
        const { board } = accessOf(request)
        const state = readDocument(context, board.id, (doc) => Y.encodeStateAsUpdate(doc))
        reply.header('cache-control', 'no-store')
        return reply.type('application/octet-stream').send(Buffer.from(state) as unknown as string)
      },
    )

    app.post(
      ROUTES.adminImport,
      {
        bodyLimit: MAX_ARCHIVE_BYTES,
        schema: {
          tags: ['admin'],
          summary: 'Import an archive as a new board, with new links (administrator)',
          description: 'Send the ZIP as the body with `Content-Type: application/zip`.',
          security: BEARER,
          response: { 201: ImportResponseSchema, ...ERRORS },
        },
        onRequest: admin,
      },
      async (request, reply) => {
        if (!Buffer.isBuffer(request.body))
          throw new HttpError(
            400,
            ApiErrorCode.ArchiveInvalid,
            'Send the archive as the body, Content-Type: application/zip.',
          )
        const { ArchiveError, documentOf, readArchive } = await import('../admin/archive.ts')
        let archive: ReturnType<typeof readArchive>
        try {
          archive = readArchive(new Uint8Array(request.body))
        } catch (error) {
          if (error instanceof ArchiveError)
            throw new HttpError(400, ApiErrorCode.ArchiveInvalid, `Not imported: ${error.message}.`)
          throw error
        }
        const name = validateBoardName(archive.board.name)
        if (!name.ok) throw new HttpError(400, ApiErrorCode.ArchiveInvalid, `Not imported: ${name.message}`)
        const board: BoardRow = { id: newBoardId(), name: name.name, created: new Date().toISOString() }
        const tokens: Record<Role, string> = { facilitator: newToken(), participant: newToken(), display: newToken() }
        context.store.createBoard(
          board,
          {
            facilitator: hashToken(tokens.facilitator),
            participant: hashToken(tokens.participant),
            display: hashToken(tokens.display),
          },
          documentOf(archive),
        )
        for (const version of archive.versions) {
          context.store.saveVersion(board.id, {
            name: version.name,
            kind: version.kind,
            trigger: version.trigger,
            createdByRole: version.createdByRole,
            created: version.created,
            state: documentOf(version),
          })
        }
        context.store.appendAudit({ action: 'board-imported', actor: 'admin', boardId: board.id })
        context.log.info('board imported', { board: board.id, versions: archive.versions.length })
        const base = publicUrl(context, request)
        const body: ImportResponse = {
          id: board.id,
          name: board.name,
          links: {
            facilitator: boardLink(base, board.id, tokens.facilitator),
            participant: boardLink(base, board.id, tokens.participant),
            display: boardLink(base, board.id, tokens.display),
          },
          versions: archive.versions.length,
        }
        return reply.code(201).send(body)
      },
    )

    app.delete(
      ROUTES.adminBoard,
      {
        schema: {
          tags: ['admin'],
          summary: 'Erase a board and everything of it (administrator)',
          description:
            'Needs `{ "confirm": "<the board’s exact name>" }`. Links, document, history, versions and owners are removed; deleted bytes are overwritten. The audit log keeps that it happened.',
          security: BEARER,
          params: BoardParamsSchema,
          body: Type.Object(
            { confirm: Type.String() },
            {
              [SCHEMA_ERROR_KEYWORD]: {
                code: ApiErrorCode.ConfirmationMismatch,
                message: 'Type the board’s name as "confirm".',
              },
            },
          ),
          response: { 200: EraseResponseSchema, ...ERRORS },
        },
        onRequest: admin,
      },
      async (request) => {
        const board = boardOf(context, request.params.boardId)
        if (request.body.confirm !== board.name)
          throw new HttpError(
            400,
            ApiErrorCode.ConfirmationMismatch,
            'Type the board’s exact name as "confirm" to erase it.',
          )
        // Everyone out first, so the released room writes nothing after the erasure.
        const room = context.rooms.rooms.get(board.id)
        if (room) {
          room.flush()
          context.rooms.closeWhere(board.id, () => true, CloseCode.Unauthorized)
          context.rooms.releaseIfIdle(room)
        }
        cursors.forget(board.id)
        context.store.eraseBoard(board.id)
        context.store.appendAudit({ action: 'board-erased', actor: 'admin', boardId: board.id })
        context.log.info('board erased', { board: board.id })
        return { id: board.id, erased: true as const }
      },
    )

    app.get(
      ROUTES.adminAudit,
      {
        schema: {
          tags: ['admin'],
          summary: 'The audit log, newest first (administrator)',
          security: BEARER,
          querystring: Type.Object({}),
          response: { 200: AuditResponseSchema, ...ERRORS },
        },
        onRequest: admin,
      },
      async (): Promise<AuditResponse> => ({ entries: context.store.listAudit(1000) }),
    )
  }
}
