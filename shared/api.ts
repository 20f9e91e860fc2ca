/**
 * The JSON API's request and response shapes. Calls that need a role send its token as
 * `Authorization: Bearer <token>`. Errors are `{ "error": { "code", "message" } }`.
 */
import type { Role } from './roles.ts'

export interface CreateBoardRequest {
  name: string
}

export interface BoardLinks {
  facilitator: string
  participant: string
  display: string
}

export interface CreateBoardResponse {
  id: string
  name: string
  links: BoardLinks
}

/** `GET /api/boards/:id` (facilitator). */
export interface BoardInfo {
  id: string
  name: string
  created: string
  counts: {
    /** Records in the document (shapes, pages, bindings, assets…). */
    records: number
    shapes: number
    /** Connections open now, by role. */
    connections: Record<Role, number>
  }
}

/** `GET /api/boards/:id/me` (any valid token): who the caller is on this board. */
export interface BoardSession {
  id: string
  name: string
  role: Role
  /** For a participant link scoped to a layer: that layer (it and its sub-layers are writable). */
  layerId: string | null
}

/** `GET /api/boards/:id/layers` (facilitator): every layer, depth-first, the root first. */
export interface LayerListResponse {
  layers: {
    id: string
    name: string
    parentId: string | null
    depth: number
    color: string
    visible: boolean
    locked: boolean
    shapeCount: number
  }[]
}

/** `POST /api/boards/:id/links` (facilitator). */
export interface CreateLinkRequest {
  role: 'participant'
  layerId: string
}

/** `POST /api/boards/:id/join-links` (facilitator): a short participant link for a QR code. */
export interface CreateJoinLinkRequest {
  layerId: string
}

export interface CreateJoinLinkResponse {
  /** `https://host/j/<token>`: redirects to the board as a participant scoped to `layerId`. */
  link: string
  layerId: string
}

export interface CreateLinkResponse {
  link: string
  role: Role
  layerId: string
}

/** `POST /api/boards/:id/links/:role/rotate` (facilitator). */
export interface RotateLinkResponse {
  role: Role
  link: string
}

/** `GET /api/config`: runtime configuration the client reads before it mounts the editor. */
export interface ClientConfig {
  /** tldraw licence key (`STIP_TLDRAW_LICENSE_KEY`), or null in development. */
  tldrawLicenseKey: string | null
  /** Whether creating a board needs the creation token (`STIP_CREATE_TOKEN`). */
  createTokenRequired: boolean
  /** Stip's version; a client built for another version asks to reload. */
  version: string
}

export interface ApiError {
  error: { code: string; message: string }
}

export interface HealthResponse {
  ok: boolean
  store: { ok: boolean; detail: string }
  rooms: number
  connections: number
  uptimeSeconds: number
}
