/**
 * The JSON API's request and response shapes, as JSON schemas (TypeBox) with the TypeScript
 * types derived from them: the server validates and serializes with the schemas, the
 * OpenAPI document (`/api/openapi.json`) is generated from them, and the client uses the
 * types, so the three cannot drift apart. Calls that need a role send its token as
 * `Authorization: Bearer <token>`. Errors are `{ "error": { "code", "message" } }`, the
 * codes listed once in `ApiErrorCode`.
 */
import { type Static, Type } from 'typebox'
import {
  BOARD_LANGUAGES,
  BOARD_NAME_MISSING_MESSAGE,
  BOARD_TEMPLATES,
  DEFAULT_BOARD_TEMPLATE,
  MAX_BOARD_NAME_LENGTH,
  MAX_TEMPLATE_DEPARTMENTS,
} from './board.ts'
import { MAX_LAYER_NAME_LENGTH } from './layers.ts'
import { ROLES } from './roles.ts'
import { MILESTONE_STATUSES } from './schema/milestone.ts'

/** Every `error.code` the API answers with; clients translate by code, not by message. */
export const ApiErrorCode = {
  NameMissing: 'name_missing',
  NameTooLong: 'name_too_long',
  TokenMissing: 'token_missing',
  TokenInvalid: 'token_invalid',
  RoleForbidden: 'role_forbidden',
  UnknownRole: 'unknown_role',
  LayerMissing: 'layer_missing',
  LayerNotFound: 'layer_not_found',
  /** No scoped or join link with this id on this board (never was, or already revoked). */
  LinkNotFound: 'link_not_found',
  BoardNotFound: 'board_not_found',
  UnknownTemplate: 'unknown_template',
  DepartmentNameInvalid: 'department_name_invalid',
  TooManyDepartments: 'too_many_departments',
  DuplicateDepartment: 'duplicate_department',
  /** Departments were named for a template without paths (`empty`). */
  DepartmentsNeedTemplate: 'departments_need_template',
  /** No milestone with this id on this board. */
  MilestoneNotFound: 'milestone_not_found',
  StatusInvalid: 'status_invalid',
  /** The token's link may not write the milestone's layer (another layer's scope). */
  LayerForbidden: 'layer_forbidden',
  /** The milestone's layer (or one above it) is locked: only facilitators change it. */
  LayerLocked: 'layer_locked',
  /** The change was refused by the same rules a client's change meets; the message says why. */
  ChangeForbidden: 'change_forbidden',
  /** The change was refused for another reason than rights (an invalid record, a full board). */
  ChangeRefused: 'change_refused',
  /** The board's stored document could not be read whole; it takes no changes (as 4423). */
  BoardReadOnly: 'board_read_only',
  /** The server could not store the change (disk full…); nothing was changed (as 4503). */
  StoreUnavailable: 'store_unavailable',
  /** The board is moving to another Stip process (failover, upgrade): try again in a moment. */
  BoardMoving: 'board_moving',
  /** More calls per second with this token than the API takes; `Retry-After` says when. */
  RateLimited: 'rate_limited',
  /** No version with this id on this board (never was, or pruned). */
  VersionNotFound: 'version_not_found',
  /** The administrator's API is off: `STIP_ADMIN_TOKEN` is not set. */
  AdminDisabled: 'admin_disabled',
  /** Erasing a board needs its exact name typed as `confirm`. */
  ConfirmationMismatch: 'confirmation_mismatch',
  /** An uploaded archive is not one Stip wrote, or is damaged; nothing was imported. */
  ArchiveInvalid: 'archive_invalid',
  NotFound: 'not_found',
  InvalidJson: 'invalid_json',
  /** Input that fails the endpoint's schema in a way no more specific code names. */
  InvalidRequest: 'invalid_request',
  BodyTooLarge: 'body_too_large',
  Internal: 'internal',
} as const
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode]

/** A request body is at most this many bytes (413 `body_too_large` above). */
export const MAX_BODY_BYTES = 64 * 1024

/**
 * The schema extension that names the error a failed validation answers with [1]: put on a
 * property (or on the whole body), it turns "does not match the schema" into the same
 * `{ code, message }` the API has always given for that input.
 *
 * [1] Specification extensions (`x-…`) are allowed in OpenAPI schema objects, so the codes
 *     also show up in the OpenAPI document, next to the field they are about.
 */
export const SCHEMA_ERROR_KEYWORD = 'x-error'
export interface SchemaError {
  code: ApiErrorCode
  message: string
}
const failsWith = (code: ApiErrorCode, message: string) => ({ [SCHEMA_ERROR_KEYWORD]: { code, message } })

export const ApiErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, machine-readable; one of the documented codes.' }),
      message: Type.String({ description: 'English explanation for a person; may change.' }),
    }),
  },
  { description: 'Every error the API answers with.' },
)
export type ApiError = Static<typeof ApiErrorSchema>

export const RoleSchema = Type.Enum(ROLES, { description: 'The role a capability link grants.' })

const BOARD_ID_DESCRIPTION = 'The board id, 22 url-safe characters.'
const LAYER_ID = { description: 'A layer id, `layer:…` (`layer:root`: the whole board).' }

export const BoardParamsSchema = Type.Object({ boardId: Type.String({ description: BOARD_ID_DESCRIPTION }) })

export const RotateLinkParamsSchema = Type.Object({
  boardId: Type.String({ description: BOARD_ID_DESCRIPTION }),
  role: Type.Enum(ROLES, {
    description: 'The role whose link gets a new token.',
    ...failsWith(ApiErrorCode.UnknownRole, `Role must be one of ${ROLES.join(', ')}.`),
  }),
})

export const JoinParamsSchema = Type.Object({ token: Type.String({ description: 'The short join token.' }) })

const NAME_MISSING = failsWith(ApiErrorCode.NameMissing, BOARD_NAME_MISSING_MESSAGE)

export const CreateBoardRequestSchema = Type.Object(
  {
    name: Type.String({
      description: `1–${MAX_BOARD_NAME_LENGTH} characters once trimmed.`,
      ...NAME_MISSING,
    }),
    template: Type.Optional(
      Type.Enum(BOARD_TEMPLATES, {
        description: `What the board starts with (default \`${DEFAULT_BOARD_TEMPLATE}\`): \`empty\`, the north star alone; \`horizon\`, "Stip op de horizon": a horizon line, the north star with a mission to replace, a strategy area, two-week iterations from this week, and a layer with an empty path per department.`,
        ...failsWith(ApiErrorCode.UnknownTemplate, `The template is one of ${BOARD_TEMPLATES.join(', ')}.`),
      }),
    ),
    departments: Type.Optional(
      Type.Array(
        Type.String({
          description: `A department's name, 1–${MAX_LAYER_NAME_LENGTH} characters once trimmed.`,
          ...failsWith(ApiErrorCode.DepartmentNameInvalid, 'Each department is a name (a string).'),
        }),
        {
          description: `With \`horizon\`: a layer under the root per name, each with an empty path to the north star (at most ${MAX_TEMPLATE_DEPARTMENTS}: \`too_many_departments\`; no name twice: \`duplicate_department\`; each 1–${MAX_LAYER_NAME_LENGTH} characters: \`department_name_invalid\`).`,
          // More than the maximum is `too_many_departments`, checked with the names themselves.
          ...failsWith(ApiErrorCode.InvalidRequest, '"departments" is a list of names.'),
        },
      ),
    ),
    language: Type.Optional(
      Type.Enum(BOARD_LANGUAGES, {
        description: 'The language of the template’s words (default `nl`).',
        ...failsWith(ApiErrorCode.InvalidRequest, `The language is one of ${BOARD_LANGUAGES.join(', ')}.`),
      }),
    ),
  },
  NAME_MISSING,
)
export type CreateBoardRequest = Static<typeof CreateBoardRequestSchema>

export const BoardLinksSchema = Type.Object({
  facilitator: Type.String(),
  participant: Type.String(),
  display: Type.String(),
})
export type BoardLinks = Static<typeof BoardLinksSchema>

export const CreateBoardResponseSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  links: BoardLinksSchema,
})
export type CreateBoardResponse = Static<typeof CreateBoardResponseSchema>

/** `GET /api/boards/:id` (facilitator). */
export const BoardInfoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  created: Type.String({ description: 'ISO 8601 time of creation.' }),
  counts: Type.Object({
    records: Type.Integer({ description: 'Records in the document (shapes, pages, bindings, assets…).' }),
    shapes: Type.Integer(),
    connections: Type.Object(
      { facilitator: Type.Integer(), participant: Type.Integer(), display: Type.Integer() },
      { description: 'Connections open now, by role.' },
    ),
  }),
})
export type BoardInfo = Static<typeof BoardInfoSchema>

/** `GET /api/boards/:id/me` (any valid token): who the caller is on this board. */
export const BoardSessionSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  layerId: Type.Union([Type.String(), Type.Null()], {
    description: 'For a participant link scoped to a layer: that layer (it and its sub-layers are writable).',
  }),
})
export type BoardSession = Static<typeof BoardSessionSchema>

/** `GET /api/boards/:id/layers` (facilitator): every layer, depth-first, the root first. */
export const LayerListResponseSchema = Type.Object({
  layers: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      parentId: Type.Union([Type.String(), Type.Null()]),
      depth: Type.Integer(),
      color: Type.String(),
      visible: Type.Boolean(),
      locked: Type.Boolean(),
      shapeCount: Type.Integer(),
    }),
  ),
})
export type LayerListResponse = Static<typeof LayerListResponseSchema>

const SCOPED_ROLE_ONLY = failsWith(
  ApiErrorCode.UnknownRole,
  'Scoped links are for participants: "role": "participant".',
)
const LAYER_MISSING = failsWith(ApiErrorCode.LayerMissing, 'Name the layer: "layerId": "layer:…".')

/** `POST /api/boards/:id/links` (facilitator). */
export const CreateLinkRequestSchema = Type.Object(
  {
    role: Type.Enum(['participant'], SCOPED_ROLE_ONLY),
    layerId: Type.String({ ...LAYER_ID, ...LAYER_MISSING }),
  },
  SCOPED_ROLE_ONLY,
)
export type CreateLinkRequest = Static<typeof CreateLinkRequestSchema>

const LINK_ID = { description: 'The link’s id (not its token): what listing and revoking name it by.' }

export const CreateLinkResponseSchema = Type.Object({
  id: Type.String(LINK_ID),
  link: Type.String(),
  role: RoleSchema,
  layerId: Type.String(),
})
export type CreateLinkResponse = Static<typeof CreateLinkResponseSchema>

/** `POST /api/boards/:id/join-links` (facilitator): a short participant link for a QR code. */
export const CreateJoinLinkRequestSchema = Type.Object(
  { layerId: Type.String({ ...LAYER_ID, ...LAYER_MISSING }) },
  LAYER_MISSING,
)
export type CreateJoinLinkRequest = Static<typeof CreateJoinLinkRequestSchema>

export const CreateJoinLinkResponseSchema = Type.Object({
  link: Type.String({
    description: '`https://host/j/<token>`: redirects to the board as a participant scoped to `layerId`.',
  }),
  id: Type.String(LINK_ID),
  layerId: Type.String(),
})
export type CreateJoinLinkResponse = Static<typeof CreateJoinLinkResponseSchema>

/**
 * What kind of capability link a token is: a role's `main` link (one per role, rotated, never
 * revoked), a participant link `scoped` to a layer, or a short `join` link for a QR code.
 */
export const LINK_KINDS = ['main', 'scoped', 'join'] as const
export type LinkKind = (typeof LINK_KINDS)[number]

/** `GET /api/boards/:id/links` (facilitator): every scoped and join link, oldest first. */
export const LinkListResponseSchema = Type.Object({
  links: Type.Array(
    Type.Object({
      id: Type.String(LINK_ID),
      kind: Type.Enum(['scoped', 'join'], { description: '`scoped`: a full link; `join`: a short `/j/…` link.' }),
      role: RoleSchema,
      layerId: Type.Union([Type.String(), Type.Null()], LAYER_ID),
      created: Type.String({
        description: 'ISO 8601. For links made before links had times: the board’s creation time.',
      }),
    }),
    { description: 'Never a token or its hash: a link cannot be read back, only revoked.' },
  ),
})
export type LinkListResponse = Static<typeof LinkListResponseSchema>
export type LinkInfo = LinkListResponse['links'][number]

export const LinkParamsSchema = Type.Object({
  boardId: Type.String({ description: BOARD_ID_DESCRIPTION }),
  linkId: Type.String(LINK_ID),
})

/** `DELETE /api/boards/:id/links/:linkId` (facilitator). */
export const RevokeLinkResponseSchema = Type.Object({
  id: Type.String(LINK_ID),
  closedConnections: Type.Integer({ description: 'Sockets open with the link, closed now (4401).' }),
})
export type RevokeLinkResponse = Static<typeof RevokeLinkResponseSchema>

/** `POST /api/boards/:id/links/:role/rotate` (facilitator). */
export const RotateLinkResponseSchema = Type.Object({ role: RoleSchema, link: Type.String() })
export type RotateLinkResponse = Static<typeof RotateLinkResponseSchema>

/** `GET /api/config`: runtime configuration the client reads before it mounts the editor. */
export const ClientConfigSchema = Type.Object({
  tldrawLicenseKey: Type.Union([Type.String(), Type.Null()], {
    description: 'tldraw licence key (`STIP_TLDRAW_LICENSE_KEY`), or null in development.',
  }),
  createTokenRequired: Type.Boolean({
    description: 'Whether creating a board needs the creation token (`STIP_CREATE_TOKEN`).',
  }),
  version: Type.String({ description: 'Stip’s version; a client built for another version asks to reload.' }),
  maxImageBytes: Type.Integer({
    minimum: 0,
    description:
      'Bytes of the largest picture file the editor takes, from the asset limit (`STIP_MAX_ASSET_BYTES`, `shared/images.ts`).',
  }),
})
export type ClientConfig = Static<typeof ClientConfigSchema>

export const HealthResponseSchema = Type.Object({
  ok: Type.Boolean(),
  store: Type.Object({ ok: Type.Boolean(), detail: Type.String() }),
  rooms: Type.Integer(),
  connections: Type.Integer(),
  /**
   * How many open boards have a stored row that does not decode: shown read-only, their
   * bytes kept untouched. The log names the board and the row (this answer needs no token,
   * so it names no board). The server itself is healthy.
   */
  readOnlyBoards: Type.Integer(),
  uptimeSeconds: Type.Integer(),
})
export type HealthResponse = Static<typeof HealthResponseSchema>

/** `GET /readyz`: whether a load balancer should send this process new connections. */
export const ReadyResponseSchema = Type.Object({
  ready: Type.Boolean(),
  /** Why not, or what it is (`one process`, `one of several, owning 3 boards`). */
  detail: Type.String(),
})
export type ReadyResponse = Static<typeof ReadyResponseSchema>

// --- Development paths: `GET /api/boards/:id/paths`, `POST …/milestones/:milestoneId/status`.

const DAY = { description: 'A calendar day, `YYYY-MM-DD`.' }

export const IterationSchema = Type.Object({
  number: Type.Integer({ description: '1 for the iteration starting at the rhythm’s `firstStart`.' }),
  start: Type.String(DAY),
  end: Type.String({ description: 'Its last day (inclusive), `YYYY-MM-DD`.' }),
})

export const MilestoneReportSchema = Type.Object({
  id: Type.String({ description: 'The milestone shape’s id, `shape:…`.' }),
  layerId: Type.String(LAYER_ID),
  title: Type.String(),
  description: Type.String(),
  owner: Type.String({ description: 'A team or a person, free text.' }),
  start: Type.String({ description: 'First day, `YYYY-MM-DD` (empty if never set).' }),
  end: Type.String({ description: 'Last day (inclusive), `YYYY-MM-DD` (empty if never set).' }),
  iterations: Type.Array(Type.Integer(), {
    description: 'The numbers of the board’s iterations its days fall in, in order (usually one).',
  }),
  status: Type.Enum(MILESTONE_STATUSES),
  doneAt: Type.Union([Type.String(), Type.Null()], { description: 'When it was set to done, ISO 8601; else null.' }),
  overdue: Type.Boolean({ description: 'Its last day has passed and it is not done.' }),
})
export type MilestoneReport = Static<typeof MilestoneReportSchema>

const PROGRESS_FIELDS = {
  done: Type.Integer({ description: 'Milestones done.' }),
  total: Type.Integer({ description: 'Milestones.' }),
  overdue: Type.Integer({ description: 'Milestones whose last day has passed without being done.' }),
}

export const PathReportSchema = Type.Object({
  id: Type.String({ description: 'The path’s start point ("Nu"), `shape:…`: a path is known by where it starts.' }),
  number: Type.Integer({ description: '1, 2, … within its layer, in drawing order.' }),
  reachesNorthStar: Type.Boolean({ description: 'Whether its chain of arrows ends at the north star.' }),
  progress: Type.Object(PROGRESS_FIELDS),
  milestones: Type.Array(MilestoneReportSchema, { description: 'From "now" toward the north star.' }),
})
export type PathReport = Static<typeof PathReportSchema>

export const LayerReportSchema = Type.Object({
  id: Type.String(LAYER_ID),
  name: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  depth: Type.Integer({ description: '0 for the root, 1 for a department, 2 for a team…' }),
  progress: Type.Object(
    {
      ...PROGRESS_FIELDS,
      paths: Type.Integer(),
      brokenPaths: Type.Integer({ description: 'Paths that do not reach the north star.' }),
      currentIteration: Type.Integer({ description: 'The board’s current iteration number.' }),
    },
    { description: 'This layer and every layer below it.' },
  ),
  paths: Type.Array(PathReportSchema, { description: 'The paths that start in this layer.' }),
  looseMilestones: Type.Array(MilestoneReportSchema, { description: 'Its milestones on no path.' }),
})
export type LayerReport = Static<typeof LayerReportSchema>

export const PathsResponseSchema = Type.Object({
  boardId: Type.String(),
  name: Type.String(),
  today: Type.String({ description: 'The server’s calendar day the progress and overdue flags are counted on.' }),
  rhythm: Type.Object({
    weeks: Type.Integer({ description: '2, 3 or 4.' }),
    firstStart: Type.String({ description: 'First day of iteration 1.' }),
    chosen: Type.Boolean({
      description: 'false: no facilitator chose one yet; two-week iterations from this week’s Monday are used.',
    }),
  }),
  currentIteration: IterationSchema,
  layers: Type.Array(LayerReportSchema, { description: 'Depth-first, the root first.' }),
})
export type PathsResponse = Static<typeof PathsResponseSchema>

/** The CSV's field separators: `;` (default) is what Excel expects in a Dutch locale. */
export const CSV_SEPARATORS = [';', ','] as const
export type CsvSeparator = (typeof CSV_SEPARATORS)[number]

export const PathsQuerySchema = Type.Object({
  separator: Type.Optional(
    Type.Enum(CSV_SEPARATORS, {
      description: 'For `Accept: text/csv`: the field separator (default `;`).',
      ...failsWith(ApiErrorCode.InvalidRequest, 'The separator is ";" or ",".'),
    }),
  ),
})

export const MilestoneParamsSchema = Type.Object({
  boardId: Type.String({ description: BOARD_ID_DESCRIPTION }),
  milestoneId: Type.String({ description: 'The milestone shape’s id, `shape:…`.' }),
})

const STATUS_INVALID = failsWith(
  ApiErrorCode.StatusInvalid,
  `Send "status": one of ${MILESTONE_STATUSES.map((status) => `"${status}"`).join(', ')}.`,
)

export const MilestoneStatusRequestSchema = Type.Object(
  { status: Type.Enum(MILESTONE_STATUSES, STATUS_INVALID) },
  STATUS_INVALID,
)
export type MilestoneStatusRequest = Static<typeof MilestoneStatusRequestSchema>
