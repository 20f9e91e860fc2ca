/**
 * `GET /api/boards/:id/paths` reflects what clients drew over the sync socket: a facilitator
 * draws a three-milestone path in Sociaal domein (one done, one overdue, one ahead), a broken
 * path and a loose milestone in Publiekszaken; the API lists each layer with its paths in
 * order, iterations, overdue flags and progress rolled up the tree, to every role's token,
 * as JSON and as CSV (BOM, `;`, Dutch characters intact, formulas defused).
 */
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PathsResponse } from '../../shared/api.ts'
import { addDays, mondayOf, today } from '../../shared/dates.ts'
import { getMetaMap } from '../../shared/doc.ts'
import { META_ITERATIONS_KEY } from '../../shared/iterations.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { ROUTES, routePath } from '../../shared/routes.ts'
import { api, UNKNOWN_TOKEN } from '../helpers/api.ts'
import { type LayeredBoard, PUBLIEK, SOCIAAL, startLayeredBoard } from '../helpers/layers.ts'
import { fetchPaths, fetchPathsCsv, milestoneRecord, pathRecords } from '../helpers/paths.ts'
import { putRecords } from '../helpers/records.ts'

const TODAY = today()
const FIRST_START = addDays(mondayOf(TODAY), -28) // iteration 3 is the current one
const DONE_AT = Date.UTC(2026, 0, 15, 9, 30)

describe('the paths API', () => {
  let env: LayeredBoard
  let report: PathsResponse

  beforeAll(async () => {
    env = await startLayeredBoard()
    const facilitator = await env.connect(env.board.tokens.facilitator)
    facilitator.doc.transact(() => {
      getMetaMap(facilitator.doc).set(META_ITERATIONS_KEY, { weeks: 2, firstStart: FIRST_START })
    })
    const sociaal = pathRecords('sociaal', SOCIAAL, [
      {
        title: 'Wijkteams één loket',
        owner: 'Team Jeugd',
        start: FIRST_START,
        end: addDays(FIRST_START, 13),
        status: 'done',
        doneAt: DONE_AT,
      },
      { title: '=HYPERLINK("https://evil")', start: addDays(FIRST_START, 14), end: addDays(TODAY, -1) },
      { title: 'Over twee iteraties', start: addDays(FIRST_START, 28), end: addDays(FIRST_START, 55) },
    ])
    const broken = pathRecords('publiek', PUBLIEK, [{ title: 'Balie', start: TODAY, end: TODAY }], {
      reachesNorthStar: false,
    })
    const loose = milestoneRecord('shape:publiek-los', PUBLIEK, { title: 'Los', start: TODAY, end: TODAY }, 'c001')
    putRecords(facilitator.doc, [...sociaal.records, ...broken.records, loose])
    await facilitator.roundTrip()
    expect(facilitator.closeInfo).toBeNull()
    await env.closeClients()
    report = await fetchPaths(env.server.url, env.board.id, env.board.tokens.participant)
  })

  afterAll(async () => {
    await env?.stop()
  })

  const layer = (id: string) => {
    const found = report.layers.find((l) => l.id === id)
    if (!found) throw new Error(`no layer ${id}`)
    return found
  }

  it('lists every layer depth-first with its rhythm and current iteration', () => {
    expect(report.boardId).toBe(env.board.id)
    expect(report.today).toBe(TODAY)
    expect(report.rhythm).toEqual({ weeks: 2, firstStart: FIRST_START, chosen: true })
    expect(report.currentIteration.number).toBe(3)
    expect(report.layers.map((l) => l.name)).toEqual([
      'Missie & strategie',
      'Sociaal domein',
      'Team Jeugd',
      'Besloten',
      'Werkgroep',
      'Publiekszaken',
    ])
  })

  it('gives a path its milestones in order, with iterations, status, done time and overdue flags', () => {
    const [path] = layer(SOCIAAL).paths
    expect(path).toMatchObject({ id: 'shape:sociaal-start', number: 1, reachesNorthStar: true })
    expect(path.progress).toEqual({ done: 1, total: 3, overdue: 1 })
    expect(path.milestones.map((m) => [m.id, m.iterations, m.status, m.overdue])).toEqual([
      ['shape:sociaal-m1', [1], 'done', false],
      ['shape:sociaal-m2', [2, 3], 'planned', true],
      ['shape:sociaal-m3', [3, 4], 'planned', false],
    ])
    expect(path.milestones[0]).toMatchObject({
      title: 'Wijkteams één loket',
      owner: 'Team Jeugd',
      layerId: SOCIAAL,
      doneAt: '2026-01-15T09:30:00.000Z',
    })
    expect(path.milestones[1].doneAt).toBeNull()
  })

  it('flags a path that does not reach the north star and lists loose milestones', () => {
    const publiek = layer(PUBLIEK)
    expect(publiek.paths.map((p) => [p.id, p.reachesNorthStar, p.milestones.length])).toEqual([
      ['shape:publiek-start', false, 1],
    ])
    expect(publiek.looseMilestones.map((m) => m.id)).toEqual(['shape:publiek-los'])
    expect(publiek.progress).toMatchObject({ done: 0, total: 2, paths: 1, brokenPaths: 1, currentIteration: 3 })
  })

  it('rolls progress up the layer tree', () => {
    expect(layer(ROOT_LAYER_ID).progress).toEqual({
      done: 1,
      total: 5,
      overdue: 1,
      paths: 2,
      brokenPaths: 1,
      currentIteration: 3,
    })
    expect(layer(ROOT_LAYER_ID).paths).toEqual([])
  })

  it('answers every role of the board, and nobody else', async () => {
    for (const token of [env.board.tokens.facilitator, env.board.tokens.display, env.sociaalToken]) {
      expect(await fetchPaths(env.server.url, env.board.id, token)).toEqual(report)
    }
    const path = routePath(ROUTES.paths, { boardId: env.board.id })
    expect((await api(env.server.url, path)).status).toBe(401)
    expect((await api(env.server.url, path, { token: UNKNOWN_TOKEN })).status).toBe(403)
  })

  it('answers CSV for Excel: BOM, semicolons, one row per milestone, formulas defused', async () => {
    const csv = await fetchPathsCsv(env.server.url, env.board.id, env.board.tokens.display)
    expect(csv.status).toBe(200)
    expect(csv.contentType).toBe('text/csv; charset=utf-8')
    expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows: string[][] = parse(csv.text, { bom: true, delimiter: ';' })
    expect(rows[0]).toEqual([
      'Laag',
      'Pad',
      'Positie',
      'Mijlpaal',
      'Eigenaar',
      'Begin',
      'Eind',
      'Iteratie',
      'Status',
      'Behaald op',
      'Te laat',
    ])
    expect(rows.slice(1).map((row) => [row[0], row[1], row[2], row[3], row[7], row[8], row[10]])).toEqual([
      ['Missie & strategie › Sociaal domein', '1', '1', 'Wijkteams één loket', '1', 'behaald', 'nee'],
      ['Missie & strategie › Sociaal domein', '1', '2', `'=HYPERLINK("https://evil")`, '2–3', 'gepland', 'ja'],
      ['Missie & strategie › Sociaal domein', '1', '3', 'Over twee iteraties', '3–4', 'gepland', 'nee'],
      ['Missie & strategie › Publiekszaken', '1', '1', 'Balie', '3', 'gepland', 'nee'],
      ['Missie & strategie › Publiekszaken', '', '', 'Los', '3', 'gepland', 'nee'],
    ])
    expect(rows[1][9]).toBe('2026-01-15T09:30:00.000Z')
  })

  it('separates with commas when asked', async () => {
    const csv = await fetchPathsCsv(env.server.url, env.board.id, env.board.tokens.display, '?separator=,')
    const rows: string[][] = parse(csv.text, { bom: true, delimiter: ',' })
    expect(rows).toHaveLength(6)
    expect(rows[1][3]).toBe('Wijkteams één loket')
    const bad = await fetchPathsCsv(env.server.url, env.board.id, env.board.tokens.display, '?separator=x')
    expect(bad.status).toBe(400)
  })
})
