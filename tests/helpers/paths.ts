/**
 * Development paths as a client draws them, for the paths API tests: a start point, its
 * milestones and the arrows between them, each arrow with its two arrow bindings — the
 * records tldraw's store holds after "Start a path" and "Next milestone", every one valid
 * for the full schema. `drawPath` writes one into a raw client's document.
 */

import type { PathsResponse } from '../../shared/api.ts'
import type { StoredRecord } from '../../shared/doc.ts'
import { boundArrowRecords } from '../../shared/pathRecords.ts'
import { authorizationHeader, ROUTES, routePath } from '../../shared/routes.ts'
import type { MilestoneProps } from '../../shared/schema/index.ts'
import {
  checkRecord,
  MILESTONE_SIZE,
  MILESTONE_TYPE,
  NORTH_STAR_ID,
  PAGE_ID,
  PATH_START_SIZE,
  PATH_START_TYPE,
  stipSchema,
} from '../../shared/schema/index.ts'
import { api } from './api.ts'

const valid = (record: unknown): StoredRecord => {
  const check = checkRecord(record)
  if (!check.ok) throw new Error(`test record is ${check.reason}: ${check.message}`)
  return record as StoredRecord
}

export function pathStartRecord(id: string, layerId: string, index = 'b1'): StoredRecord {
  return valid(
    stipSchema.types.shape.create({
      id: id as never,
      type: PATH_START_TYPE,
      parentId: PAGE_ID,
      index: index as never,
      x: 0,
      y: 1500,
      props: { ...PATH_START_SIZE },
      meta: { layerId },
    }),
  )
}

export function milestoneRecord(
  id: string,
  layerId: string,
  props: Partial<MilestoneProps> & Pick<MilestoneProps, 'start' | 'end'>,
  index = 'b2',
): StoredRecord {
  return valid(
    stipSchema.types.shape.create({
      id: id as never,
      type: MILESTONE_TYPE,
      parentId: PAGE_ID,
      index: index as never,
      x: 0,
      y: 1000,
      props: {
        ...MILESTONE_SIZE,
        title: '',
        description: '',
        owner: '',
        status: 'planned',
        doneAt: null,
        ...props,
      },
      meta: { layerId },
    }),
  )
}

/** An arrow from `fromId` to `toId` in `layerId`, and its two bindings. */
export function arrowRecords(id: string, fromId: string, toId: string, layerId: string, index = 'b3'): StoredRecord[] {
  const name = id.replace(/^shape:/, '')
  return boundArrowRecords({
    arrowId: id,
    bindingIds: { start: `binding:${name}-start`, end: `binding:${name}-end` },
    from: { id: fromId, x: 0, y: 0 },
    to: { id: toId, x: 0, y: -500 },
    index,
    layerId,
    size: 'm',
  }).map((record) => valid(record))
}

export interface DrawnPath {
  startId: string
  milestoneIds: string[]
  records: StoredRecord[]
}

/**
 * A whole path in `layerId`: start `shape:<name>-start`, milestones `shape:<name>-m1`, …
 * with the given props, arrows between them and, if `reachesNorthStar`, one to it.
 */
export function pathRecords(
  name: string,
  layerId: string,
  milestones: (Partial<MilestoneProps> & Pick<MilestoneProps, 'start' | 'end'>)[],
  { reachesNorthStar = true, index = 'b' }: { reachesNorthStar?: boolean; index?: string } = {},
): DrawnPath {
  const startId = `shape:${name}-start`
  const milestoneIds = milestones.map((_, i) => `shape:${name}-m${i + 1}`)
  const nodes = [startId, ...milestoneIds, ...(reachesNorthStar ? [NORTH_STAR_ID] : [])]
  // Indices in drawing order: `<index>1`, `<index>2`, … (readPaths orders paths by their start's).
  let n = 0
  const next = () => `${index}${String(++n).padStart(2, '0')}`
  const records = [
    pathStartRecord(startId, layerId, next()),
    ...milestones.map((props, i) => milestoneRecord(milestoneIds[i], layerId, props, next())),
  ]
  for (let i = 0; i + 1 < nodes.length; i++) {
    records.push(...arrowRecords(`shape:${name}-a${i + 1}`, nodes[i], nodes[i + 1], layerId, next()))
  }
  return { startId, milestoneIds, records }
}

/** `GET /api/boards/:id/paths` as JSON; fails the test on anything but 200. */
export async function fetchPaths(baseUrl: string, boardId: string, token: string): Promise<PathsResponse> {
  const response = await api<PathsResponse>(baseUrl, routePath(ROUTES.paths, { boardId }), { token })
  if (response.status !== 200) throw new Error(`GET paths: ${response.status} ${response.text}`)
  return response.body
}

/** `GET /api/boards/:id/paths` as CSV: the raw bytes and the response. */
export async function fetchPathsCsv(
  baseUrl: string,
  boardId: string,
  token: string,
  query = '',
): Promise<{ status: number; contentType: string | null; bytes: Uint8Array; text: string }> {
  const response = await fetch(new URL(`${routePath(ROUTES.paths, { boardId })}${query}`, baseUrl), {
    headers: { authorization: authorizationHeader(token), accept: 'text/csv' },
  })
  const bytes = new Uint8Array(await response.arrayBuffer())
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    bytes,
    text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
  }
}

/** `POST /api/boards/:id/milestones/:milestoneId/status`. */
export function setStatus(baseUrl: string, boardId: string, milestoneId: string, token: string, status: unknown) {
  return api(baseUrl, routePath(ROUTES.milestoneStatus, { boardId, milestoneId }), {
    token,
    json: { status },
  })
}
