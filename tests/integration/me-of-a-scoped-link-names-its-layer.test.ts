/**
 * `GET /api/boards/:id/me` with the token of a link scoped to a layer says who it is: a
 * participant, and which layer it may write. The main links say `layerId: null`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BoardSession, CreateLinkResponse } from '../../shared/api.ts'
import { ROLES } from '../../shared/roles.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { JEUGD, type LayeredBoard, SOCIAAL, startLayeredBoard } from '../helpers/layers.ts'

describe('/me of a scoped link', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard('Gemeente Voorbeeld')
  })

  afterEach(async () => {
    await env.stop()
  })

  const me = (token: string) => api<BoardSession>(env.server.url, `/api/boards/${env.board.id}/me`, { token })

  it('names its layer, and the main links name none', async () => {
    const sociaal = await me(env.sociaalToken)
    expect(sociaal.status).toBe(200)
    expect(sociaal.body).toEqual({
      id: env.board.id,
      name: 'Gemeente Voorbeeld',
      role: 'participant',
      layerId: SOCIAAL,
    })

    const created = await api<CreateLinkResponse>(env.server.url, `/api/boards/${env.board.id}/links`, {
      token: env.board.tokens.facilitator,
      json: { role: 'participant', layerId: JEUGD },
    })
    expect(created.status).toBe(201)
    const jeugd = await me(tokenFromLink(created.body.link))
    expect(jeugd.body).toEqual({ id: env.board.id, name: 'Gemeente Voorbeeld', role: 'participant', layerId: JEUGD })

    for (const role of ROLES) {
      expect((await me(env.board.tokens[role])).body).toMatchObject({ role, layerId: null })
    }

    // It still says so after a restart: the scope is stored with the token.
    await env.server.restart()
    expect((await me(env.sociaalToken)).body).toMatchObject({ role: 'participant', layerId: SOCIAAL })
  })
})
