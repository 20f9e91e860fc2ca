/**
 * The API shapes of versions, history and the administrator's calls (TypeBox, like
 * `shared/api.ts`, whose error format and codes they share): the server validates and
 * serializes with them, the OpenAPI document lists them, the client uses their types.
 */
import { type Static, Type } from 'typebox'
import { ApiErrorCode, SCHEMA_ERROR_KEYWORD } from './api.ts'
import { ROLES } from './roles.ts'
import { AUDIT_ACTIONS, AUTO_TRIGGERS, MAX_VERSION_NAME_LENGTH, VERSION_KINDS } from './versions.ts'

const BOARD_ID = { description: 'The board id, 22 url-safe characters.' }
const VERSION_ID = { description: 'A version id, 32 hex characters.' }
const failsWith = (code: ApiErrorCode, message: string) => ({ [SCHEMA_ERROR_KEYWORD]: { code, message } })

export const VersionParamsSchema = Type.Object({
  boardId: Type.String(BOARD_ID),
  versionId: Type.String(VERSION_ID),
})

export const VersionInfoSchema = Type.Object({
  id: Type.String(VERSION_ID),
  name: Type.String(),
  kind: Type.Enum(VERSION_KINDS, {
    description:
      '`named`: saved by a facilitator; `auto`: saved by Stip; `pre-restore`: the board just before a restore.',
  }),
  trigger: Type.Union([Type.Enum(AUTO_TRIGGERS), Type.Null()], {
    description:
      'For `auto`: `session` (the last person left after an hour or more) or `iteration` (an iteration ended).',
  }),
  created: Type.String({ description: 'ISO 8601; for an iteration’s version, the boundary it shows the board at.' }),
  createdByRole: Type.Union([Type.Enum(ROLES), Type.Null()], { description: 'Who saved it; null: Stip itself.' }),
  bytes: Type.Integer({ description: 'Size of its stored state.' }),
})
export type VersionInfo = Static<typeof VersionInfoSchema>

/** `GET /api/boards/:id/versions` (facilitator): oldest first. */
export const VersionListResponseSchema = Type.Object({ versions: Type.Array(VersionInfoSchema) })
export type VersionListResponse = Static<typeof VersionListResponseSchema>

/** `POST /api/boards/:id/versions` (facilitator). */
export const CreateVersionRequestSchema = Type.Object(
  {
    name: Type.String({
      description: `1–${MAX_VERSION_NAME_LENGTH} characters once trimmed.`,
      ...failsWith(ApiErrorCode.NameMissing, 'Give the version a name.'),
    }),
  },
  failsWith(ApiErrorCode.NameMissing, 'Give the version a name: {"name": "Iteratie 6 — 9 maart"}.'),
)
export type CreateVersionRequest = Static<typeof CreateVersionRequestSchema>

/** A tldraw record as stored: an object with at least `id` and `typeName`. */
const RecordSchema = Type.Object(
  { id: Type.String(), typeName: Type.String() },
  { additionalProperties: true, description: 'A tldraw record exactly as the board stores it.' },
)

/** `GET /api/boards/:id/versions/:versionId` (facilitator): the version's content, to show read-only. */
export const VersionContentResponseSchema = Type.Object({
  version: VersionInfoSchema,
  records: Type.Array(RecordSchema, { description: 'Every record of the version, sorted by id.' }),
  meta: Type.Record(Type.String(), Type.Unknown(), { description: 'The version’s board-level values (`meta`).' }),
})
export type VersionContentResponse = Static<typeof VersionContentResponseSchema>

/** `POST /api/boards/:id/versions/:versionId/restore` (facilitator). */
export const RestoreResponseSchema = Type.Object({
  restored: VersionInfoSchema,
  preRestore: Type.Union([VersionInfoSchema, Type.Null()], {
    description: 'The board just before, saved as a version; null when the board already was the version.',
  }),
  changed: Type.Integer({ description: 'Records set or deleted to match the version.' }),
})
export type RestoreResponse = Static<typeof RestoreResponseSchema>

/** `GET /api/boards/:id/history` (facilitator). */
export const HistoryInfoResponseSchema = Type.Object({
  firstAt: Type.Union([Type.Integer(), Type.Null()], { description: 'ms since the epoch of the first moment kept.' }),
  lastAt: Type.Union([Type.Integer(), Type.Null()]),
  updates: Type.Integer({ description: 'Stored updates kept (older history keeps one checkpoint a day).' }),
  checkpoints: Type.Integer(),
  moments: Type.Array(
    Type.Object({
      seq: Type.Integer({ description: 'Ask `history/state?seq=` for the board at this moment.' }),
      at: Type.Integer({ description: 'ms since the epoch.' }),
    }),
    {
      description:
        'Up to `HISTORY_MOMENTS` moments spread evenly over the history’s changes (not its clock), the first and last included: what the replay slider steps through.',
    },
  ),
})
export type HistoryInfoResponse = Static<typeof HistoryInfoResponseSchema>

/** How many moments `GET …/history` lists at most: a 60-second replay at 10 frames a second. */
export const HISTORY_MOMENTS = 600

/** A whole number in a query string (queries are strings: the API coerces nothing). */
const COUNT = (description: string) =>
  Type.String({
    pattern: '^[0-9]{1,15}$',
    description,
    ...failsWith(ApiErrorCode.InvalidRequest, `${description.split(':')[0]} is a whole number.`),
  })

export const HistoryStateQuerySchema = Type.Object({
  seq: Type.Optional(COUNT('seq: the moment (a `moments[].seq`).')),
  at: Type.Optional(COUNT('at: or a time, ms since the epoch: the board as it was then.')),
  from: Type.Optional(
    COUNT('from: a moment before `seq` whose state the caller holds: only what changed since is sent.'),
  ),
})

/** `GET /api/admin/boards` (administrator). */
export const AdminBoardSchema = Type.Object({
  id: Type.String(BOARD_ID),
  name: Type.String(),
  created: Type.String({ description: 'ISO 8601.' }),
  lastActivity: Type.Union([Type.String(), Type.Null()], { description: 'ISO 8601 of the last stored change.' }),
  bytes: Type.Object(
    {
      document: Type.Integer(),
      history: Type.Integer(),
      checkpoints: Type.Integer(),
      versions: Type.Integer(),
      total: Type.Integer(),
    },
    { description: 'Bytes on disk, by part.' },
  ),
  versions: Type.Integer(),
  connections: Type.Integer({ description: 'Sync sockets open now.' }),
})
export type AdminBoard = Static<typeof AdminBoardSchema>
export const AdminBoardListSchema = Type.Object({ boards: Type.Array(AdminBoardSchema) })
export type AdminBoardList = Static<typeof AdminBoardListSchema>

export const EraseQuerySchema = Type.Object({
  confirm: Type.Optional(Type.String({ description: 'The board’s exact name, typed by the administrator.' })),
})
export const EraseResponseSchema = Type.Object({ id: Type.String(BOARD_ID), erased: Type.Literal(true) })

export const AuditResponseSchema = Type.Object({
  entries: Type.Array(
    Type.Object({
      at: Type.String({ description: 'ISO 8601.' }),
      action: Type.Enum(AUDIT_ACTIONS),
      actor: Type.Enum(['facilitator', 'participant', 'display', 'admin']),
      boardId: Type.Union([Type.String(), Type.Null()]),
    }),
    { description: 'Newest first. Time, who and what kind of action: never a token or any of a board’s content.' },
  ),
})
export type AuditResponse = Static<typeof AuditResponseSchema>

export const ImportResponseSchema = Type.Object({
  id: Type.String(BOARD_ID),
  name: Type.String(),
  links: Type.Object({ facilitator: Type.String(), participant: Type.String(), display: Type.String() }),
  versions: Type.Integer({ description: 'Versions imported with it.' }),
})
export type ImportResponse = Static<typeof ImportResponseSchema>
