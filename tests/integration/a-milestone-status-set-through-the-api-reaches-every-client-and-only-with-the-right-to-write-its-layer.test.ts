/**
 * `POST /api/boards/:id/milestones/:milestoneId/status` changes a milestone the way a
 * client's change would: a participant scoped to Sociaal domein marks its milestone done,
 * and a connected participant's Y.Doc sees status done with the server's `doneAt`; the
 * change is stored (it survives a restart) and also works on a board nobody has open.
 * A token that may not write the milestone's layer — scoped to another layer, a locked
 * layer, a display — is refused with a named 403 and the record stays as it was; bad input
 * gets 400 or 404; a script in a loop is slowed down with 429.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { CreateLinkResponse, MilestoneReport } from '../../shared/api.ts'
import { today } from '../../shared/dates.ts'
import { getRecord, getRecordsMap, type StoredRecord } from '../../shared/doc.ts'
import { MessageType, SyncStep } from '../../shared/protocol.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { BESLOTEN, type LayeredBoard, PUBLIEK, SHAPE_IN, SOCIAAL, startLayeredBoard } from '../helpers/layers.ts'
import { fetchPaths, milestoneRecord, pathRecords, setStatus } from '../helpers/paths.ts'
import type { RawClient } from '../helpers/raw-client.ts'
import { putRecords } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

const DAY = today()
const SOCIAAL_STEP = 'shape:sociaal-m1'
const PUBLIEK_STEP = 'shape:publiek-m1'
const LOCKED_STEP = 'shape:besloten-step'

const propsOf = (client: RawClient, id: string) =>
  (getRecord(getRecordsMap(client.doc), id) as StoredRecord & { props: Record<string, unknown> }).props

describe('setting a milestone’s status through the API', () => {
  let env: LayeredBoard

  beforeEach(async () => {
    env = await startLayeredBoard()
    const facilitator = await env.connect(env.board.tokens.facilitator)
    putRecords(facilitator.doc, [
      ...pathRecords('sociaal', SOCIAAL, [
        { title: 'Eén loket', start: DAY, end: DAY },
        { title: 'Daarna', start: DAY, end: DAY },
      ]).records,
      ...pathRecords('publiek', PUBLIEK, [{ title: 'Balie', start: DAY, end: DAY }]).records,
      milestoneRecord(LOCKED_STEP, BESLOTEN, { title: 'Besloten stap', start: DAY, end: DAY }, 'c001'),
    ])
    await facilitator.roundTrip()
    expect(facilitator.closeInfo).toBeNull()
    await env.closeClients()
  })

  afterEach(async () => {
    await env.stop()
  })

  it('reaches a connected client with status done and the server’s doneAt, and is stored', async () => {
    const watcher = await env.connect(env.sociaalToken)
    expect(propsOf(watcher, SOCIAAL_STEP)).toMatchObject({ status: 'planned', doneAt: null })
    const before = Date.now()
    const response = await setStatus(env.server.url, env.board.id, SOCIAAL_STEP, env.sociaalToken, 'done')
    const after = Date.now()
    expect(response.status).toBe(200)
    const body = response.body as MilestoneReport
    expect(body).toMatchObject({ id: SOCIAAL_STEP, layerId: SOCIAAL, title: 'Eén loket', status: 'done' })
    const doneAt = Date.parse(body.doneAt ?? '')
    expect(doneAt).toBeGreaterThanOrEqual(before)
    expect(doneAt).toBeLessThanOrEqual(after)

    await waitFor(() => propsOf(watcher, SOCIAAL_STEP).status === 'done', {
      message: 'the watcher to see the milestone done',
    })
    expect(propsOf(watcher, SOCIAAL_STEP).doneAt).toBe(doneAt)
    expect(watcher.closeInfo).toBeNull()
    // The paths API, read from the live room, agrees.
    const report = await fetchPaths(env.server.url, env.board.id, env.board.tokens.display)
    const path = report.layers.find((layer) => layer.id === SOCIAAL)?.paths[0]
    expect(path?.progress).toEqual({ done: 1, total: 2, overdue: 0 })

    await env.closeClients()
    await env.server.restart()
    const fresh = await env.connect(env.board.tokens.facilitator)
    expect(propsOf(fresh, SOCIAAL_STEP)).toMatchObject({ status: 'done', doneAt })
  })

  it('works on a board nobody has open, and clears doneAt when the status goes back', async () => {
    expect(env.server.server.rooms.rooms.has(env.board.id)).toBe(false)
    const done = await setStatus(env.server.url, env.board.id, SOCIAAL_STEP, env.board.tokens.facilitator, 'done')
    expect(done.status).toBe(200)
    const doneAt = (done.body as MilestoneReport).doneAt
    // The same status again changes nothing: doneAt stays the first one.
    const again = await setStatus(env.server.url, env.board.id, SOCIAAL_STEP, env.board.tokens.facilitator, 'done')
    expect((again.body as MilestoneReport).doneAt).toBe(doneAt)
    const back = await setStatus(env.server.url, env.board.id, SOCIAAL_STEP, env.sociaalToken, 'in-progress')
    expect(back.status).toBe(200)
    expect(back.body).toMatchObject({ status: 'in-progress', doneAt: null })
    const client = await env.connect(env.board.tokens.facilitator)
    expect(propsOf(client, SOCIAAL_STEP)).toMatchObject({ status: 'in-progress', doneAt: null })
  })

  it('is refused with 403 for a link scoped to another layer, and the record stays as it was', async () => {
    const link = await api<CreateLinkResponse>(env.server.url, routePath(ROUTES.links, { boardId: env.board.id }), {
      token: env.board.tokens.facilitator,
      json: { role: 'participant', layerId: PUBLIEK },
    })
    const publiekToken = tokenFromLink(link.body.link)
    const watcher = await env.connect(env.board.tokens.facilitator)
    const before = getRecord(getRecordsMap(watcher.doc), SOCIAAL_STEP)
    const framesBefore = watcher.frames.length

    const refused = await setStatus(env.server.url, env.board.id, SOCIAAL_STEP, publiekToken, 'done')
    expect(refused.status).toBe(403)
    expect(refused.body).toMatchObject({ error: { code: 'layer_forbidden' } })
    // …while its own layer's milestone is fine.
    expect((await setStatus(env.server.url, env.board.id, PUBLIEK_STEP, publiekToken, 'done')).status).toBe(200)

    await watcher.roundTrip()
    expect(getRecord(getRecordsMap(watcher.doc), SOCIAAL_STEP)).toEqual(before)
    const updates = watcher.frames
      .slice(framesBefore)
      .filter((frame) => frame.type === MessageType.Sync && frame.step === SyncStep.Update)
    expect(updates).toHaveLength(1) // the Publiekszaken one only
    await env.closeClients()
    await env.server.restart()
    const fresh = await env.connect(env.board.tokens.facilitator)
    expect(getRecord(getRecordsMap(fresh.doc), SOCIAAL_STEP)).toEqual(before)
  })

  it('is refused with 403 in a locked layer and for a display, but a facilitator may', async () => {
    const locked = await setStatus(env.server.url, env.board.id, LOCKED_STEP, env.sociaalToken, 'done')
    expect(locked.status).toBe(403)
    expect(locked.body).toMatchObject({ error: { code: 'layer_locked' } })
    const display = await setStatus(env.server.url, env.board.id, SOCIAAL_STEP, env.board.tokens.display, 'done')
    expect(display.status).toBe(403)
    expect(display.body).toMatchObject({ error: { code: 'role_forbidden' } })
    const facilitator = await setStatus(env.server.url, env.board.id, LOCKED_STEP, env.board.tokens.facilitator, 'done')
    expect(facilitator.status).toBe(200)
  })

  it('answers bad input with 400 and unknown milestones with 404', async () => {
    const url = env.server.url
    const id = env.board.id
    const token = env.sociaalToken
    for (const status of ['finished', '', null, 1]) {
      const response = await setStatus(url, id, SOCIAAL_STEP, token, status)
      expect(response.status, String(status)).toBe(400)
      expect(response.body).toMatchObject({ error: { code: 'status_invalid' } })
    }
    const noBody = await api(url, routePath(ROUTES.milestoneStatus, { boardId: id, milestoneId: SOCIAAL_STEP }), {
      token,
      json: {},
    })
    expect(noBody.body).toMatchObject({ error: { code: 'status_invalid' } })
    for (const milestoneId of ['shape:nothing', SHAPE_IN[SOCIAAL], 'layer:sociaal', 'not even an id']) {
      const response = await setStatus(url, id, milestoneId, token, 'done')
      expect(response.status, milestoneId).toBe(404)
      expect(response.body).toMatchObject({ error: { code: 'milestone_not_found' } })
    }
  })

  it('slows a token down with 429 once it calls faster than the API takes', async () => {
    const token = env.board.tokens.participant
    const answers = await Promise.all(
      Array.from({ length: 120 }, () => setStatus(env.server.url, env.board.id, SOCIAAL_STEP, token, 'planned')),
    )
    const limited = answers.filter((answer) => answer.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    expect(limited[0].headers.get('retry-after')).toBe('1')
    expect(limited[0].body).toMatchObject({ error: { code: 'rate_limited' } })
    expect(answers.every((answer) => answer.status === 200 || answer.status === 429)).toBe(true)
  })
})
