/**
 * `POST /api/boards/:id/links` with `{ role: "participant", layerId }` gives a facilitator
 * a new participant link scoped to that layer: `201 { link, role, layerId }`, the link
 * opening the layer's own URL (`/b/<id>/l/<layer>#token=…`). Each call makes a new token.
 * An unknown layer is 404, another role or no layer 400; only a facilitator may ask (401
 * without a token, 403 for other tokens).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiError, CreateLinkResponse } from '../../shared/api.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { api, createBoard, tokenFromLink, UNKNOWN_BOARD_ID } from '../helpers/api.ts'
import { JEUGD, type LayeredBoard, SOCIAAL, startLayeredBoard } from '../helpers/layers.ts'

describe('creating a link scoped to a layer', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
  })

  afterEach(async () => {
    await env.stop()
  })

  /** `token: null` sends none. */
  const create = (json: unknown, token: string | null = env.board.tokens.facilitator, boardId = env.board.id) =>
    api<CreateLinkResponse & ApiError>(env.server.url, `/api/boards/${boardId}/links`, {
      method: 'POST',
      token: token ?? undefined,
      json,
    })

  it('answers 201 with a link to the layer’s own URL and a new token each time', async () => {
    const first = await create({ role: 'participant', layerId: JEUGD })
    expect(first.status).toBe(201)
    expect(first.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      link: expect.any(String),
      role: 'participant',
      layerId: JEUGD,
    })
    const url = new URL(first.body.link)
    expect(url.origin).toBe(env.server.url)
    expect(url.pathname).toBe(`/b/${env.board.id}/l/jeugd`)
    const token = tokenFromLink(first.body.link)
    expect(Object.values(env.board.tokens)).not.toContain(token)

    const second = await create({ role: 'participant', layerId: JEUGD })
    expect(second.status).toBe(201)
    expect(tokenFromLink(second.body.link)).not.toBe(token)

    const root = await create({ role: 'participant', layerId: ROOT_LAYER_ID })
    expect(root.status).toBe(201)
    expect(new URL(root.body.link).pathname).toBe(`/b/${env.board.id}/l/root`)
  })

  it('answers 404 for a layer that is not on the board', async () => {
    for (const layerId of ['layer:nergens', 'layer:Sociaal']) {
      const response = await create({ role: 'participant', layerId })
      expect(response.status, layerId).toBe(404)
      expect(response.body.error.code).toEqual(expect.any(String))
    }
    const other = await createBoard(env.server.url, 'Ander bord')
    // A layer of another board is unknown here too.
    expect((await create({ role: 'participant', layerId: SOCIAAL }, other.tokens.facilitator, other.id)).status).toBe(
      404,
    )
  })

  it('answers 400 for another role, a missing role or a missing layer', async () => {
    for (const body of [
      { role: 'facilitator', layerId: SOCIAAL },
      { role: 'display', layerId: SOCIAAL },
      { role: 'admin', layerId: SOCIAAL },
      { layerId: SOCIAAL },
      { role: 'participant' },
      { role: 'participant', layerId: 'sociaal' },
      { role: 'participant', layerId: 42 },
      null,
    ]) {
      const response = await create(body)
      expect(response.status, JSON.stringify(body)).toBe(400)
      expect(response.body.error.code).toEqual(expect.any(String))
    }
    const notJson = await api(env.server.url, `/api/boards/${env.board.id}/links`, {
      method: 'POST',
      token: env.board.tokens.facilitator,
      rawBody: '{role:',
    })
    expect(notJson.status).toBe(400)
  })

  it('answers 401 without a token, 403 to any other token and 404 for an unknown board', async () => {
    const body = { role: 'participant', layerId: SOCIAAL }
    expect((await create(body, null)).status).toBe(401)
    const other = await createBoard(env.server.url, 'Ander bord')
    for (const token of [
      env.board.tokens.participant,
      env.board.tokens.display,
      env.sociaalToken,
      other.tokens.facilitator,
      'notARealTokenButTokenShaped0000000000000000',
    ]) {
      const response = await create(body, token)
      expect(response.status).toBe(403)
      expect(response.body.error.code).toEqual(expect.any(String))
    }
    expect((await create(body, env.board.tokens.facilitator, UNKNOWN_BOARD_ID)).status).toBe(404)
  })
})
