/**
 * `POST /api/boards` with `"template": "horizon"` and department names makes a board whose
 * paths API lists each department as a layer under the root with one path, from "now"
 * through one milestone in the current iteration to the north star; a client syncs it
 * without being refused anything. Without a template the board is empty as it always was;
 * bad departments or templates get named 400s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CreateBoardResponse } from '../../shared/api.ts'
import { MAX_TEMPLATE_DEPARTMENTS } from '../../shared/board.ts'
import { mondayOf, today } from '../../shared/dates.ts'
import { getRecord, getRecordsMap } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { ROUTES } from '../../shared/routes.ts'
import { MILESTONE_TYPE } from '../../shared/schema/index.ts'
import { api, tokenFromLink } from '../helpers/api.ts'
import { fetchPaths } from '../helpers/paths.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { NEW_BOARD_RECORDS, putRecords } from '../helpers/records.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

const DEPARTMENTS = ['Sociaal domein', 'Publiekszaken', 'Ruimte', 'Bedrijfsvoering']

describe('a board made from the horizon template', () => {
  let server: TestServer

  beforeAll(async () => {
    server = await startTestServer()
  })

  afterAll(async () => {
    await server?.stop()
  })

  const create = (json: unknown) => api<CreateBoardResponse>(server.url, ROUTES.boards, { json })

  it('has one path per department, each reaching the north star through a milestone of this iteration', async () => {
    const created = await create({ name: 'Voorbeeld Digitaal 2030', template: 'horizon', departments: DEPARTMENTS })
    expect(created.status).toBe(201)
    const token = tokenFromLink(created.body.links.participant)
    const report = await fetchPaths(server.url, created.body.id, token)

    expect(report.rhythm).toEqual({ weeks: 2, firstStart: mondayOf(today()), chosen: true })
    expect(report.currentIteration.number).toBe(1)
    const departments = report.layers.filter((layer) => layer.parentId === ROOT_LAYER_ID)
    expect(departments.map((layer) => layer.name)).toEqual(DEPARTMENTS)
    for (const department of departments) {
      expect(department.paths).toHaveLength(1)
      const [path] = department.paths
      expect(path.reachesNorthStar).toBe(true)
      expect(path.milestones).toHaveLength(1)
      expect(path.milestones[0]).toMatchObject({
        layerId: department.id,
        status: 'planned',
        iterations: [1],
        start: report.currentIteration.start,
        end: report.currentIteration.end,
        overdue: false,
      })
      expect(department.progress).toMatchObject({ done: 0, total: 1, paths: 1, brokenPaths: 0 })
    }
    expect(report.layers[0].progress).toMatchObject({ total: DEPARTMENTS.length, paths: DEPARTMENTS.length })
  })

  it('syncs to a participant, who can move the department’s milestone without being refused', async () => {
    const created = await create({ name: 'B', template: 'horizon', departments: ['Ruimte'] })
    const client = await RawClient.connect(server.wsUrl, created.body.id, tokenFromLink(created.body.links.participant))
    try {
      await client.waitForSync()
      const records = getRecordsMap(client.doc)
      // document, page, root, north star, horizon, strategy; layer, start, milestone, 2 arrows, 4 bindings
      expect(records.size).toBe(NEW_BOARD_RECORDS + 2 + 9)
      const milestone = [...records.keys()]
        .map((id) => getRecord(records, id))
        .find((record) => record?.type === MILESTONE_TYPE)
      if (!milestone) throw new Error('no milestone')
      putRecords(client.doc, [{ ...milestone, x: (milestone.x as number) + 40 }])
      await client.roundTrip()
      expect(client.closeInfo).toBeNull()
      const report = await fetchPaths(server.url, created.body.id, tokenFromLink(created.body.links.display))
      expect(report.layers[1].paths[0].reachesNorthStar).toBe(true)
    } finally {
      await client.close()
    }
  })

  it('without departments has the picture but no paths; without a template is empty as before', async () => {
    const bare = await create({ name: 'B', template: 'horizon' })
    const bareReport = await fetchPaths(server.url, bare.body.id, tokenFromLink(bare.body.links.display))
    expect(bareReport.layers.map((layer) => layer.id)).toEqual([ROOT_LAYER_ID])
    expect(bareReport.layers[0].paths).toEqual([])

    const empty = await create({ name: 'B' })
    expect(empty.status).toBe(201)
    const emptyReport = await fetchPaths(server.url, empty.body.id, tokenFromLink(empty.body.links.display))
    expect(emptyReport.rhythm.chosen).toBe(false)
    const client = await RawClient.connect(server.wsUrl, empty.body.id, tokenFromLink(empty.body.links.display))
    try {
      await client.waitForSync()
      expect(client.doc.getMap('records').size).toBe(NEW_BOARD_RECORDS)
    } finally {
      await client.close()
    }
  })

  it('refuses bad templates and departments with named errors', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'B', template: 'circle' }, 'unknown_template'],
      [{ name: 'B', template: 'horizon', departments: 'Ruimte' }, 'invalid_request'],
      [{ name: 'B', template: 'horizon', departments: [42] }, 'department_name_invalid'],
      [{ name: 'B', template: 'horizon', departments: ['Ruimte', '  '] }, 'department_name_invalid'],
      [{ name: 'B', template: 'horizon', departments: ['x'.repeat(81)] }, 'department_name_invalid'],
      [{ name: 'B', template: 'horizon', departments: ['Ruimte', 'ruimte'] }, 'duplicate_department'],
      [
        {
          name: 'B',
          template: 'horizon',
          departments: Array.from({ length: MAX_TEMPLATE_DEPARTMENTS + 1 }, (_, i) => `D${i}`),
        },
        'too_many_departments',
      ],
      [{ name: 'B', departments: ['Ruimte'] }, 'departments_need_template'],
      [{ name: 'B', template: 'empty', departments: ['Ruimte'] }, 'departments_need_template'],
      [{ template: 'horizon' }, 'name_missing'],
    ]
    for (const [json, code] of cases) {
      const response = await create(json)
      expect(response.status, JSON.stringify(json)).toBe(400)
      expect(response.body, JSON.stringify(json)).toMatchObject({ error: { code } })
    }
  })
})
