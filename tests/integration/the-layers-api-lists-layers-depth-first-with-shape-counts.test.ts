/**
 * `GET /api/boards/:id/layers` gives the facilitator every layer depth-first, the root
 * first, children in their order, each with its depth and how many shapes it holds —
 * from the live room while people are on the board, and from the store when nobody is.
 * Other roles get 403, no token 401, an unknown board 404.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiError, LayerListResponse } from '../../shared/api.ts'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { api, createBoard, UNKNOWN_BOARD_ID } from '../helpers/api.ts'
import {
  BESLOTEN,
  JEUGD,
  type LayeredBoard,
  PUBLIEK,
  SOCIAAL,
  shapeInLayer,
  startLayeredBoard,
  WERKGROEP,
} from '../helpers/layers.ts'
import { putRecords } from '../helpers/records.ts'

describe('the layers API', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  const list = (token: string, boardId = env.board.id) =>
    api<LayerListResponse>(env.server.url, `/api/boards/${boardId}/layers`, { token })

  it('lists the layers depth-first, root first, with depth and shape counts', async () => {
    const response = await list(env.board.tokens.facilitator)
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      layers: [
        {
          id: ROOT_LAYER_ID,
          name: 'Missie & strategie',
          parentId: null,
          depth: 0,
          color: 'blue',
          visible: true,
          locked: false,
          shapeCount: 2, // the north star and a shape without a layer
        },
        {
          id: SOCIAAL,
          name: 'Sociaal domein',
          parentId: ROOT_LAYER_ID,
          depth: 1,
          color: 'green',
          visible: true,
          locked: false,
          shapeCount: 1,
        },
        {
          id: JEUGD,
          name: 'Team Jeugd',
          parentId: SOCIAAL,
          depth: 2,
          color: 'light-green',
          visible: true,
          locked: false,
          shapeCount: 1,
        },
        {
          id: BESLOTEN,
          name: 'Besloten',
          parentId: SOCIAAL,
          depth: 2,
          color: 'grey',
          visible: true,
          locked: true,
          shapeCount: 1,
        },
        {
          id: WERKGROEP,
          name: 'Werkgroep',
          parentId: BESLOTEN,
          depth: 3,
          color: 'violet',
          visible: true,
          locked: false,
          shapeCount: 1,
        },
        {
          id: PUBLIEK,
          name: 'Publiekszaken',
          parentId: ROOT_LAYER_ID,
          depth: 1,
          color: 'orange',
          visible: true,
          locked: false,
          shapeCount: 1,
        },
      ],
    })
  })

  it('follows the live board: new shapes, reordered and deleted layers', async () => {
    const facilitator = await env.connect(env.board.tokens.facilitator)
    const records = getRecordsMap(facilitator.doc)
    putRecords(facilitator.doc, [
      shapeInLayer('shape:a', JEUGD),
      shapeInLayer('shape:b', JEUGD),
      { ...(getRecord(records, PUBLIEK) as object), index: 0 } as never, // Publiekszaken before Sociaal domein
    ])
    records.delete(WERKGROEP)
    await facilitator.roundTrip()

    const response = await list(env.board.tokens.facilitator)
    expect(response.status).toBe(200)
    expect(response.body.layers.map((layer) => [layer.id, layer.depth, layer.shapeCount])).toEqual([
      [ROOT_LAYER_ID, 0, 2],
      [PUBLIEK, 1, 1],
      [SOCIAAL, 1, 1],
      [JEUGD, 2, 3],
      [BESLOTEN, 2, 1],
    ])
  })

  it('lists only the root layer, holding the north star, on a new board', async () => {
    const fresh = await createBoard(env.server.url, 'Leeg')
    const response = await list(fresh.tokens.facilitator, fresh.id)
    expect(response.status).toBe(200)
    expect(response.body.layers).toEqual([expect.objectContaining({ id: ROOT_LAYER_ID, depth: 0, shapeCount: 1 })])
  })

  it('answers 403 to other roles, 401 without a token and 404 for an unknown board', async () => {
    for (const token of [env.board.tokens.participant, env.board.tokens.display, env.sociaalToken]) {
      const response = await list(token)
      expect(response.status).toBe(403)
      expect((response.body as unknown as ApiError).error.code).toEqual(expect.any(String))
    }
    const other = await createBoard(env.server.url, 'Ander bord')
    expect((await list(other.tokens.facilitator)).status).toBe(403)
    const anonymous = await api(env.server.url, `/api/boards/${env.board.id}/layers`)
    expect(anonymous.status).toBe(401)
    expect((await list(env.board.tokens.facilitator, UNKNOWN_BOARD_ID)).status).toBe(404)
  })
})
