/**
 * Versions and history over HTTP, for a board's facilitator (the history holds what was
 * deleted too, so it is not for every link):
 * - `GET/POST /api/boards/:id/versions`: list the versions; save the board as a named one.
 * - `GET /api/boards/:id/versions/:versionId`: a version's records, shown read-only.
 * - `POST /api/boards/:id/versions/:versionId/restore`: the forward change that makes the
 *   board the version again (`server/history/versions.ts`), the board before saved first.
 * - `GET /api/boards/:id/history`: the history's extent and up to `HISTORY_MOMENTS` moments.
 * - `GET /api/boards/:id/history/state?seq=|at=[&from=]`: the board at a moment, as one
 *   Yjs update (`application/octet-stream`), whole or since `from` (playback).
 * Restores are written to the audit log (time and role). Saving and restoring copy the
 * board's document, so they have the API's per-token rate limit; seeking has one of its own
 * that playback stays under (`REPLAY_FRAMES_PER_SECOND`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ApiErrorCode, BoardParamsSchema } from '../../shared/api.ts'
import { getMetaMap } from '../../shared/doc.ts'
import {
  CreateVersionRequestSchema,
  HISTORY_MOMENTS,
  type HistoryInfoResponse,
  HistoryInfoResponseSchema,
  HistoryStateQuerySchema,
  type RestoreResponse,
  RestoreResponseSchema,
  type VersionContentResponse,
  VersionContentResponseSchema,
  type VersionInfo,
  VersionInfoSchema,
  type VersionListResponse,
  VersionListResponseSchema,
  VersionParamsSchema,
} from '../../shared/historyApi.ts'
import { ROUTES } from '../../shared/routes.ts'
import { validateVersionName } from '../../shared/versions.ts'
import { type ReplayCursors, seqAtTime } from '../history/replay.ts'
import { docOf, recordsOf, restoreVersion, saveVersionOf } from '../history/versions.ts'
import type { VersionRow } from '../store/types.ts'
import { accessOf, type HttpContext, readDocument, requireRole } from './context.ts'
import { ERRORS, HttpError } from './errors.ts'
import { BEARER } from './openapi.ts'
import { CallBudget, refusal, tokenHashOf } from './paths.ts'

/** Frames a second one token may ask of the replay: playback's fastest pace, with room to spare. */
export const REPLAY_FRAMES_PER_SECOND = 30

function infoOf(row: VersionRow): VersionInfo {
  const { id, name, kind, trigger, created, createdByRole, bytes } = row
  return { id, name, kind, trigger, created, createdByRole, bytes }
}

/** Up to `count` of `times`, evenly spread over their order, the first and last included. */
export function momentsOf<T>(times: readonly T[], count: number): T[] {
  if (times.length <= count) return [...times]
  const picked: T[] = []
  for (let i = 0; i < count; i++) picked.push(times[Math.round((i * (times.length - 1)) / (count - 1))])
  return picked
}

export function versionRoutes(cursors: ReplayCursors): FastifyPluginAsyncTypebox<HttpContext> {
  return async (app, context) => {
    const facilitator = requireRole(context, ['facilitator'])
    // Saving, restoring and seeking copy or replay a board's document: a script in a loop
    // must not cost the server what a room's worth of sockets would.
    const writeBudget = new CallBudget()
    // Playback asks for a frame every 50 ms at most (`HistoryPages.tsx`).
    const readBudget = new CallBudget(REPLAY_FRAMES_PER_SECOND, 2 * REPLAY_FRAMES_PER_SECOND)

    app.get(
      ROUTES.versions,
      {
        schema: {
          tags: ['versions'],
          summary: 'The board’s versions, oldest first (facilitator)',
          security: BEARER,
          params: BoardParamsSchema,
          response: { 200: VersionListResponseSchema, ...ERRORS },
        },
        onRequest: facilitator,
      },
      async (request): Promise<VersionListResponse> => {
        const { board } = accessOf(request)
        return { versions: context.store.listVersions(board.id).map(infoOf) }
      },
    )

    app.post(
      ROUTES.versions,
      {
        schema: {
          tags: ['versions'],
          summary: 'Save the board as it is now as a named version (facilitator)',
          security: BEARER,
          params: BoardParamsSchema,
          body: CreateVersionRequestSchema,
          response: { 201: VersionInfoSchema, ...ERRORS },
        },
        onRequest: facilitator,
      },
      async (request, reply) => {
        const { board, grant } = accessOf(request)
        writeBudget.take(tokenHashOf(request), reply)
        const name = validateVersionName(request.body.name)
        if (!name.ok) throw new HttpError(400, name.code, name.message)
        const live = context.rooms.rooms.get(board.id)
        live?.flush()
        const row = readDocument(context, board.id, (doc) =>
          saveVersionOf(context.store, board.id, doc, { name: name.name, kind: 'named', role: grant.role }),
        )
        context.log.info('version saved', { board: board.id, kind: 'named', role: grant.role })
        return reply.code(201).send(infoOf(row))
      },
    )

    app.get(
      ROUTES.version,
      {
        schema: {
          tags: ['versions'],
          summary: 'One version’s records, to show it read-only (facilitator)',
          security: BEARER,
          params: VersionParamsSchema,
          response: { 200: VersionContentResponseSchema, ...ERRORS },
        },
        onRequest: facilitator,
      },
      async (request): Promise<VersionContentResponse> => {
        const { board } = accessOf(request)
        const found = context.store.loadVersion(board.id, request.params.versionId)
        if (!found) throw new HttpError(404, ApiErrorCode.VersionNotFound, 'No version with this id on this board.')
        const doc = docOf(found.state)
        try {
          return {
            version: infoOf(found.row),
            records: recordsOf(doc).map(({ record }) => record as VersionContentResponse['records'][number]),
            meta: Object.fromEntries(getMetaMap(doc).entries()),
          }
        } finally {
          doc.destroy()
        }
      },
    )

    app.post(
      ROUTES.restoreVersion,
      {
        schema: {
          tags: ['versions'],
          summary: 'Restore a version: a forward change, the board before saved first (facilitator)',
          description:
            'Records are set and deleted to match the version, through the same gate as any change, so every client converges and nothing the version lacks comes back from a cached copy.',
          security: BEARER,
          params: VersionParamsSchema,
          response: { 200: RestoreResponseSchema, ...ERRORS },
        },
        onRequest: facilitator,
      },
      async (request, reply): Promise<RestoreResponse> => {
        const { board, grant } = accessOf(request)
        writeBudget.take(tokenHashOf(request), reply)
        const live = context.rooms.rooms.get(board.id)
        const room = live ?? context.rooms.get(board.id)
        let response: RestoreResponse
        let durable: Promise<void> = Promise.resolve()
        try {
          const restored = context.store.loadVersion(board.id, request.params.versionId)?.row
          if (!restored)
            throw new HttpError(404, ApiErrorCode.VersionNotFound, 'No version with this id on this board.')
          const result = await restoreVersion(context.store, room, restored.id, grant.role)
          if (!result.ok && result.reason === 'unchanged')
            response = { restored: infoOf(restored), preRestore: null, changed: 0 }
          else if (!result.ok && result.reason === 'not-found')
            throw new HttpError(404, ApiErrorCode.VersionNotFound, 'No version with this id on this board.')
          else if (!result.ok) throw refusal(result)
          else {
            durable = result.durable
            response = { restored: infoOf(restored), preRestore: infoOf(result.preRestore), changed: result.changed }
          }
        } finally {
          if (!live) context.rooms.releaseIfIdle(room)
        }
        try {
          await durable
        } catch {
          throw new HttpError(
            503,
            ApiErrorCode.StoreUnavailable,
            'The change could not be stored; nothing was changed.',
          )
        }
        cursors.forget(board.id)
        context.store.appendAudit({ action: 'version-restored', actor: grant.role, boardId: board.id })
        context.log.info('version restored', { board: board.id, role: grant.role, changed: response.changed })
        return response
      },
    )

    app.get(
      ROUTES.history,
      {
        schema: {
          tags: ['versions'],
          summary: 'The history’s extent and moments, for the replay (facilitator)',
          security: BEARER,
          params: BoardParamsSchema,
          response: { 200: HistoryInfoResponseSchema, ...ERRORS },
        },
        onRequest: facilitator,
      },
      async (request): Promise<HistoryInfoResponse> => {
        const { board } = accessOf(request)
        context.rooms.rooms.get(board.id)?.flush()
        const info = context.store.historyInfo(board.id)
        // Pruned days are checkpoints without rows: they are moments too.
        const rows = context.store.historyTimes(board.id)
        const first = rows[0]?.seq ?? Number.POSITIVE_INFINITY
        const older = context.store
          .listCheckpoints(board.id)
          .filter((checkpoint) => checkpoint.seq < first && checkpoint.seq > 0)
          .map(({ seq, at }) => ({ seq, at }))
        const moments = momentsOf([...older, ...rows], HISTORY_MOMENTS)
        return {
          firstAt: moments[0]?.at ?? info.firstAt,
          lastAt: info.lastAt,
          updates: info.rows,
          checkpoints: info.checkpoints,
          moments,
        }
      },
    )

    app.get(
      ROUTES.historyState,
      {
        schema: {
          tags: ['versions'],
          summary: 'The board at one moment of its history, as a Yjs update (facilitator)',
          description:
            'Apply it to an empty Y.Doc (or, with `from`, to the doc of that moment). `seq` or `at` names the moment; neither: the last.',
          security: BEARER,
          params: BoardParamsSchema,
          querystring: HistoryStateQuerySchema,
          response: {
            200: {
              description: 'A Yjs update (v1).',
              content: { 'application/octet-stream': { schema: Type.String({ format: 'binary' }) } },
            },
            ...ERRORS,
          },
        },
        onRequest: facilitator,
      },
      async (request, reply) => {
        const { board } = accessOf(request)
        readBudget.take(tokenHashOf(request), reply)
        context.rooms.rooms.get(board.id)?.flush()
        const number = (text: string | undefined) => (text === undefined ? undefined : Number(text))
        const [seq, at, from] = [number(request.query.seq), number(request.query.at), number(request.query.from)]
        const target =
          seq ??
          (at !== undefined ? seqAtTime(context.store, board.id, at) : context.store.historyInfo(board.id).lastSeq)
        const update = cursors.update(board.id, target, from)
        reply.header('cache-control', 'no-store').header('x-stip-seq', String(target))
        // Bytes, not the JSON the typed reply expects: the schema above documents them as binary.
        return reply.type('application/octet-stream').send(Buffer.from(update) as unknown as string)
      },
    )
  }
}
