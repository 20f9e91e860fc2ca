/**
 * The wall display's join code holds a short link, `/j/<token>`: it redirects to the board
 * (or the layer it is scoped to) with the token in the fragment, and that token opens the
 * board as a participant. Only a facilitator makes one; an unknown one is a plain 404.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BoardSession, CreateJoinLinkResponse } from '../../shared/api.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { api } from '../helpers/api.ts'
import { type LayeredBoard, SOCIAAL, startLayeredBoard } from '../helpers/layers.ts'

describe('a short join link', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard('Gemeente Voorbeeld')
  })

  afterEach(async () => {
    await env.stop()
  })

  const make = (layerId: string, token = env.board.tokens.facilitator) =>
    api<CreateJoinLinkResponse>(env.server.url, `/api/boards/${env.board.id}/join-links`, {
      token,
      json: { layerId },
    })

  /** Follows nothing: returns the redirect's status and target. */
  const open = async (link: string) => {
    const response = await fetch(link, { redirect: 'manual' })
    return { status: response.status, location: response.headers.get('location') }
  }

  it('redirects to the board with a token that opens it as a participant', async () => {
    const created = await make(ROOT_LAYER_ID)
    expect(created.status).toBe(201)
    const { pathname } = new URL(created.body.link)
    expect(pathname).toMatch(/^\/j\/[A-Za-z0-9_-]{22}$/)

    const redirect = await open(created.body.link)
    expect(redirect.status).toBe(302)
    const [path, fragment] = (redirect.location ?? '').split('#token=')
    expect(path).toBe(`/b/${env.board.id}`)
    const me = await api<BoardSession>(env.server.url, `/api/boards/${env.board.id}/me`, { token: fragment })
    expect(me.body).toMatchObject({ role: 'participant', layerId: ROOT_LAYER_ID })
  })

  it('leads into the layer it is scoped to', async () => {
    const created = await make(SOCIAAL)
    const redirect = await open(created.body.link)
    expect(redirect.location).toMatch(new RegExp(`^/b/${env.board.id}/l/sociaal#token=`))
  })

  it('is made by facilitators only, for layers that exist', async () => {
    expect((await make(ROOT_LAYER_ID, env.board.tokens.participant)).status).toBe(403)
    expect((await make('layer:nowhere')).status).toBe(404)
  })

  it('answers an unknown link with a 404 and no redirect', async () => {
    expect(await open(`${env.server.url}/j/AAAAAAAAAAAAAAAAAAAAAA`)).toEqual({ status: 404, location: null })
    expect((await open(`${env.server.url}/j/not-a-token`)).status).toBe(404)
  })
})
