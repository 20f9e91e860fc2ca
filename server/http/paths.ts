/**
 * Development paths over HTTP, for a municipality's own planning tools and council reports:
 * - `GET /api/boards/:id/paths` (any token of the board): every layer with its paths,
 *   milestones and progress (`shared/pathReport.ts`), as JSON, or with `Accept: text/csv`
 *   as one CSV row per milestone — UTF-8 with a byte order mark and `;` between fields, so
 *   a Dutch Excel opens it in columns with its accents right, and every cell that starts
 *   like a formula (= + - @) prefixed with a quote, so a milestone titled "=HYPERLINK(…)"
 *   stays text. csv-stringify writes it: quoting, escaping and the formula guard are its
 *   tested options, not code of ours (loaded on the first CSV, not at every start).
 * - `POST /api/boards/:id/milestones/:milestoneId/status` (a token that may write that
 *   milestone's layer): sets its status, stamping `doneAt` with the server's clock for
 *   `done` and clearing it otherwise. The change is built as a Yjs update against the
 *   board's live document and goes through the room's gate with the token's role, scope and
 *   an identity of its own (`Room.applyServerChange`): the same rules as a client's change,
 *   stored before it is broadcast to every screen, which then celebrates it.
 *
 * Reading uses the live room's document when the board is open, else the stored one without
 * making a room (`readDocument`); setting a status needs the room (loaded, then released).
 * Each token may make `API_CALLS_PER_SECOND` calls per second to each route, in bursts of
 * `API_CALL_BURST` (429 `rate_limited` above): a status change copies the board's document,
 * so a script in a loop must not cost the server what 200 updates a second from a socket do.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import * as Y from 'yjs'
import {
  ApiErrorCode,
  BoardParamsSchema,
  type CsvSeparator,
  MilestoneParamsSchema,
  type MilestoneReport,
  MilestoneReportSchema,
  MilestoneStatusRequestSchema,
  PathsQuerySchema,
  type PathsResponse,
  PathsResponseSchema,
} from '../../shared/api.ts'
import { today } from '../../shared/dates.ts'
import { decodeRecord, getMetaMap, getRecord, getRecordsMap, type StoredRecord, setRecord } from '../../shared/doc.ts'
import { effectiveRhythm, META_ITERATIONS_KEY, readRhythm } from '../../shared/iterations.ts'
import { canWriteInLayer, isLayerId, isLockedWithin, type LayerRecord, layerOfShape } from '../../shared/layers.ts'
import { csvRows, milestoneReport, pathsReport } from '../../shared/pathReport.ts'
import { readPaths } from '../../shared/paths.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { canWriteDocument } from '../../shared/roles.ts'
import { ROUTES } from '../../shared/routes.ts'
import { MILESTONE_TYPE, type MilestoneStatus } from '../../shared/schema/index.ts'
import { unknownBrowser } from '../room/identity.ts'
import { TokenBucket } from '../room/limits.ts'
import type { Room } from '../room/room.ts'
import { hashToken } from '../tokens.ts'
import { accessOf, bearerToken, type HttpContext, readDocument, requireToken } from './context.ts'
import { ERRORS, HttpError } from './errors.ts'
import { BEARER } from './openapi.ts'

/** Calls per second one token may make to each of these routes, and in one burst. */
export const API_CALLS_PER_SECOND = 5
export const API_CALL_BURST = 20
/** Tokens whose buckets are kept; beyond it, the full (idle) ones are forgotten. */
const MAX_TRACKED_TOKENS = 10_000

const CSV_TYPE = 'text/csv'

/** One token bucket per token (by its hash), for one route. */
export class CallBudget {
  private readonly buckets = new Map<string, TokenBucket>()

  constructor(
    private readonly perSecond = API_CALLS_PER_SECOND,
    private readonly burst = API_CALL_BURST,
  ) {}

  /** Takes one call from the token's bucket; throws 429 when it is empty. */
  take(tokenHash: string, reply: FastifyReply): void {
    let bucket = this.buckets.get(tokenHash)
    if (!bucket) {
      if (this.buckets.size >= MAX_TRACKED_TOKENS) this.buckets.clear()
      bucket = new TokenBucket(this.burst, this.perSecond)
      this.buckets.set(tokenHash, bucket)
    }
    if (bucket.take()) return
    reply.header('retry-after', '1')
    throw new HttpError(
      429,
      ApiErrorCode.RateLimited,
      `At most ${this.perSecond} calls per second with one token (bursts of ${this.burst}).`,
    )
  }
}

export function tokenHashOf(request: FastifyRequest): string {
  return hashToken(bearerToken(request) ?? '')
}

/**
 * Whether the caller asks for CSV: `text/csv` ranked above JSON in `Accept` (by `q`, then by
 * order). Anything else, `*` included, gets JSON.
 */
export function prefersCsv(accept: string | undefined): boolean {
  let best: { type: string; q: number } | null = null
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';')
    if (type !== CSV_TYPE && type !== 'application/json') continue
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='))
    const q = qParam === undefined ? 1 : Number(qParam.slice(2))
    if (!Number.isFinite(q) || q <= 0) continue
    if (!best || q > best.q) best = { type, q }
  }
  return best?.type === CSV_TYPE
}

/** The records and layers of a document, and its `meta.iterations`. */
export function contentOf(doc: Y.Doc): {
  records: StoredRecord[]
  layers: Map<string, LayerRecord>
  iterations: unknown
} {
  const records: StoredRecord[] = []
  const layers = new Map<string, LayerRecord>()
  for (const [id, value] of getRecordsMap(doc)) {
    const record = decodeRecord(value, id)
    if (!record) continue
    records.push(record)
    if (isLayerId(id)) layers.set(id, record as unknown as LayerRecord)
  }
  return { records, layers, iterations: getMetaMap(doc).get(META_ITERATIONS_KEY) }
}

export async function pathsCsv(report: PathsResponse, separator: CsvSeparator): Promise<string> {
  const { stringify } = await import('csv-stringify/sync')
  return stringify(csvRows(report), {
    bom: true,
    delimiter: separator,
    escape_formulas: true,
    record_delimiter: 'windows',
  })
}

/** A milestone of the room's document as the API shows it. */
function reportOf(room: Room, record: StoredRecord): MilestoneReport {
  const day = today()
  const milestone = readPaths([record]).milestones.get(record.id)
  if (!milestone) throw new Error(`${record.id} is no milestone`)
  const rhythm = effectiveRhythm(readRhythm(getMetaMap(room.doc).get(META_ITERATIONS_KEY)), day)
  return milestoneReport(milestone, rhythm, day)
}

/** `record` with `status`, `doneAt` stamped (done) or cleared (anything else). */
function withStatus(record: StoredRecord, status: MilestoneStatus, now: number): StoredRecord {
  const props = (record.props ?? {}) as Record<string, unknown>
  return { ...record, props: { ...props, status, doneAt: status === 'done' ? now : null } }
}

/** The Yjs update that writes `record` into (a copy of) `doc`, under a client id new to the board. */
function updateWriting(doc: Y.Doc, record: StoredRecord): Uint8Array {
  const copy = new Y.Doc()
  try {
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    const before = Y.encodeStateVector(copy)
    setRecord(getRecordsMap(copy), record)
    return Y.encodeStateAsUpdate(copy, before)
  } finally {
    copy.destroy()
  }
}

export const pathRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  const readBudget = new CallBudget()
  const writeBudget = new CallBudget()

  app.get(
    ROUTES.paths,
    {
      schema: {
        tags: ['paths'],
        summary: 'Every layer’s development paths, milestones and progress (any token)',
        description:
          'JSON, or with `Accept: text/csv` one row per milestone (UTF-8 with BOM, `;`-separated unless `separator` says `,`; cells starting with = + - @ are prefixed with a quote).',
        security: BEARER,
        params: BoardParamsSchema,
        querystring: PathsQuerySchema,
        response: {
          200: {
            description: 'The paths report.',
            content: {
              'application/json': { schema: PathsResponseSchema },
              [CSV_TYPE]: {
                schema: Type.String({
                  description:
                    'Columns: Laag, Pad, Positie, Mijlpaal, Eigenaar, Begin, Eind, Iteratie, Status (gepland, bezig, behaald), Behaald op, Te laat (ja, nee).',
                }),
              },
            },
          },
          ...ERRORS,
        },
      },
      onRequest: requireToken(context),
    },
    async (request, reply) => {
      const { board } = accessOf(request)
      readBudget.take(tokenHashOf(request), reply)
      const report = readDocument(context, board.id, (doc) =>
        pathsReport({ boardId: board.id, name: board.name, ...contentOf(doc), today: today() }),
      )
      reply.header('cache-control', 'no-store')
      if (!prefersCsv(request.headers.accept)) return reply.type('application/json; charset=utf-8').send(report)
      return reply
        .type(`${CSV_TYPE}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="stip-paden-${board.id}.csv"`)
        .send(await pathsCsv(report, request.query.separator ?? ';'))
    },
  )

  app.post(
    ROUTES.milestoneStatus,
    {
      schema: {
        tags: ['paths'],
        summary: 'Set a milestone’s status (a token that may write its layer)',
        description:
          '`done` stamps `doneAt` with the server’s clock, anything else clears it; setting the status it already has changes nothing. Judged by the same rules as a client’s change, stored, and sent to every screen.',
        security: BEARER,
        params: MilestoneParamsSchema,
        body: MilestoneStatusRequestSchema,
        response: { 200: MilestoneReportSchema, ...ERRORS },
      },
      onRequest: requireToken(context),
    },
    async (request, reply): Promise<MilestoneReport> => {
      const { board, grant } = accessOf(request)
      writeBudget.take(tokenHashOf(request), reply)
      if (!canWriteDocument(grant.role))
        throw new HttpError(403, ApiErrorCode.RoleForbidden, 'A display link only watches; it changes nothing.')
      const { milestoneId } = request.params
      const status = request.body.status
      const live = context.rooms.rooms.get(board.id)
      const room = live ?? context.rooms.get(board.id)
      let durable: Promise<void>
      let milestone: MilestoneReport
      try {
        const record = getRecord(getRecordsMap(room.doc), milestoneId)
        if (record?.typeName !== 'shape' || record.type !== MILESTONE_TYPE)
          throw new HttpError(404, ApiErrorCode.MilestoneNotFound, 'No milestone with this id on this board.')
        if (room.isReadOnly)
          throw new HttpError(
            423,
            ApiErrorCode.BoardReadOnly,
            'This board could not be read whole; it takes no changes.',
          )
        const layerId = layerOfShape(record)
        const scope = { role: grant.role, layerId: grant.layerId }
        if (grant.role !== 'facilitator' && isLockedWithin(room.layers, layerId))
          throw new HttpError(
            403,
            ApiErrorCode.LayerLocked,
            'This milestone’s layer is locked; only a facilitator changes it.',
          )
        if (!canWriteInLayer(room.layers, scope, layerId))
          throw new HttpError(403, ApiErrorCode.LayerForbidden, 'This link may not write this milestone’s layer.')
        const current = (record.props as { status?: unknown } | undefined)?.status
        if (current === status) return reportOf(room, record)
        const next = withStatus(record, status, Date.now())
        const result = room.applyServerChange(
          { role: grant.role, layerId: grant.layerId, secretHash: unknownBrowser() },
          updateWriting(room.doc, next),
        )
        if (!result.ok) throw refusal(result)
        durable = result.durable
        milestone = reportOf(room, next)
      } finally {
        if (!live) context.rooms.releaseIfIdle(room)
      }
      try {
        await durable
      } catch {
        throw new HttpError(503, ApiErrorCode.StoreUnavailable, 'The change could not be stored; nothing was changed.')
      }
      context.log.info('milestone status set', { board: board.id, role: grant.role, status })
      return milestone
    },
  )
}

/** The answer to a change the room did not apply. */
export function refusal(result: Exclude<ReturnType<Room['applyServerChange']>, { ok: true }>): HttpError {
  if (result.reason === 'read-only')
    return new HttpError(423, ApiErrorCode.BoardReadOnly, 'This board could not be read whole; it takes no changes.')
  if (result.reason === 'store-failed')
    return new HttpError(503, ApiErrorCode.StoreUnavailable, 'The change could not be stored; nothing was changed.')
  if (result.reason === 'refused' && result.verdict.action === 'refuse') {
    const reason = String(result.verdict.fields.reason ?? result.verdict.log)
    if (result.verdict.code === CloseCode.Forbidden)
      return new HttpError(403, ApiErrorCode.ChangeForbidden, `Refused by the board’s rules: ${reason}.`)
    return new HttpError(409, ApiErrorCode.ChangeRefused, `The board refused the change: ${reason}.`)
  }
  return new HttpError(500, ApiErrorCode.Internal, 'Something went wrong on the server; nothing was changed.')
}
