/**
 * The board's PDF in its archive: the administrator downloads a board's archive and the
 * server, with Chromium installed, renders the board in its own headless browser through
 * Stip's internal page and adds it as `board.pdf` — a PDF that pdf.js reads, one A3 page
 * whose text holds the mission. The answer's `x-stip-archive-pdf` header says `included`,
 * the manifest names the file; the internal page's data route refuses every link's token;
 * the archive still imports as a new board equal record for record (the importer leaves
 * the PDF be). Two archives asked at once both get their PDF (one Chromium at a time).
 * Without Chromium, or when the render takes longer than allowed, the archive is made all
 * the same, without the PDF, and both the header and `LEESMIJ.txt` say so. After every
 * archive no Chromium of the server's is left running.
 */
import fs from 'node:fs/promises'
import { strFromU8, unzipSync } from 'fflate'
import { getDocument, OPS } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { ARCHIVE_PDF_FILE, ARCHIVE_PDF_HEADER } from '../../shared/archivePdf.ts'
import { getRecord, getRecordsMap, setRecord } from '../../shared/doc.ts'
import type { ImportResponse } from '../../shared/historyApi.ts'
import { authorizationHeader, ROUTES, routePath } from '../../shared/routes.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'
import { tokenFromLink } from '../helpers/api.ts'
import { CHROMIUM_PATH } from '../helpers/browser.ts'
import { type BoardServer, startBoardServer } from '../helpers/browser-server.ts'
import { readPdf } from '../helpers/export.ts'
import { connectProvider } from '../helpers/provider.ts'
import { putRecords, recordsSnapshot, shapeRecord } from '../helpers/records.ts'
import { waitFor } from '../helpers/wait.ts'

const ADMIN = `${'c'.repeat(32)}-archive-pdf-test`
const MISSION = 'Elke inwoner vindt zijn weg, digitaal of aan de balie'
const A3 = { short: 842, long: 1191 }

const richText = (text: string) => ({
  type: 'doc',
  content: [{ type: 'paragraph', content: [{ type: 'text', text }] }],
})

/** Writes the mission into the north star and two shapes onto the board, over sync, as its facilitator. */
async function drawBoard(env: BoardServer): Promise<void> {
  const token = tokenFromLink(env.board.links.facilitator)
  const client = await connectProvider(env.server.wsUrl, env.board.id, token)
  const records = getRecordsMap(client.doc)
  const star = getRecord(records, NORTH_STAR_ID)
  if (!star) throw new Error('the board has no north star')
  const before = env.server.server.store.historyInfo(env.board.id).rows
  client.doc.transact(() => {
    setRecord(records, { ...star, props: { ...(star.props as object), mission: richText(MISSION) } })
    putRecords(client.doc, [shapeRecord('shape:loket'), shapeRecord('shape:portaal')])
  })
  await waitFor(() => env.server.server.store.historyInfo(env.board.id).rows > before, {
    message: 'the mission and shapes stored',
  })
  expect(client.closeCodes).toEqual([])
  client.destroy()
}

/** How many raster images page 1 paints: the drawing is rendered as tiles of one. */
async function imagesPainted(bytes: Uint8Array): Promise<number> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0 }).promise
  try {
    const operators = await (await pdf.getPage(1)).getOperatorList()
    return operators.fnArray.filter((op) => op === OPS.paintImageXObject).length
  } finally {
    await pdf.destroy()
  }
}

/** Chromium processes this test process (and so its in-process server) started and that still run. */
async function ourChromiums(): Promise<number> {
  let count = 0
  for (const pid of await fs.readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')
    const match = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat)
    if (match?.[1].startsWith('chromium') && Number(match[2]) === process.pid) count++
  }
  return count
}

const noChromiumLeft = () =>
  waitFor(async () => (await ourChromiums()) === 0, { timeoutMs: 30_000, message: 'the server’s Chromium closed' })

const archive = (env: BoardServer) =>
  fetch(new URL(routePath(ROUTES.adminArchive, { boardId: env.board.id }), env.server.url), {
    headers: { authorization: authorizationHeader(ADMIN) },
  })

describe('an archive made where Chromium is installed', () => {
  let env: BoardServer

  beforeAll(async () => {
    env = await startBoardServer('Voorbeeld Digitaal 2030', { adminToken: ADMIN, chromium: CHROMIUM_PATH })
    await drawBoard(env)
  })

  afterAll(async () => {
    await env?.server.stop()
  })

  it('holds the board as an A3 PDF whose text has the mission, and imports as before', async () => {
    const started = Date.now()
    const response = await archive(env)
    const seconds = (Date.now() - started) / 1000
    expect(response.status).toBe(200)
    expect(response.headers.get(ARCHIVE_PDF_HEADER)).toBe('included')
    console.log(`[archive] with its PDF in ${seconds.toFixed(1)} s`)
    const zip = new Uint8Array(await response.arrayBuffer())
    const files = unzipSync(zip)
    expect(Object.keys(files)).toContain(ARCHIVE_PDF_FILE)
    const pdf = files[ARCHIVE_PDF_FILE]
    expect(strFromU8(pdf.subarray(0, 5))).toBe('%PDF-')
    const pages = await readPdf(pdf)
    expect(pages).toHaveLength(1)
    const [page] = pages
    expect([page.width, page.height].map(Math.round).sort((a, b) => a - b)).toEqual([A3.short, A3.long])
    expect(page.text.replace(/\s+/g, ' ')).toContain(MISSION)
    expect(page.text).toContain('Voorbeeld Digitaal 2030')
    expect(await imagesPainted(pdf)).toBeGreaterThan(0)
    await noChromiumLeft()
    const manifest = JSON.parse(strFromU8(files['stip-archive.json'])) as Record<string, unknown>
    expect(manifest).toMatchObject({ pdf: ARCHIVE_PDF_FILE, pdfStatus: 'included' })
    expect(strFromU8(files['LEESMIJ.txt'])).toMatch(/board\.pdf\s+de tekening als PDF/)

    const imported = await fetch(new URL(ROUTES.adminImport, env.server.url), {
      method: 'POST',
      headers: { authorization: authorizationHeader(ADMIN), 'content-type': 'application/zip' },
      body: Buffer.from(zip),
    })
    expect(imported.status).toBe(201)
    const copy = (await imported.json()) as ImportResponse
    const recordsOf = async (boardId: string, token: string) => {
      const client = await connectProvider(env.server.wsUrl, boardId, token, { doc: new Y.Doc() })
      const records = recordsSnapshot(client.doc)
      client.destroy()
      return records
    }
    const original = await recordsOf(env.board.id, tokenFromLink(env.board.links.facilitator))
    expect(await recordsOf(copy.id, tokenFromLink(copy.links.facilitator))).toEqual(original)
  })

  it('gives two archives asked at once each its PDF, one render after the other', async () => {
    const answers = await Promise.all([archive(env), archive(env)])
    for (const answer of answers) {
      expect(answer.status).toBe(200)
      expect(answer.headers.get(ARCHIVE_PDF_HEADER)).toBe('included')
      const files = unzipSync(new Uint8Array(await answer.arrayBuffer()))
      expect((await readPdf(files[ARCHIVE_PDF_FILE]))[0].text.replace(/\s+/g, ' ')).toContain(MISSION)
    }
  })

  it('lets no link’s token read the internal page’s data', async () => {
    for (const link of Object.values(env.board.links)) {
      const response = await fetch(new URL(routePath(ROUTES.archiveState, { boardId: env.board.id }), env.server.url), {
        headers: { authorization: authorizationHeader(tokenFromLink(link)) },
      })
      expect(response.status).toBe(403)
    }
  })
})

describe('an archive made where Chromium is missing', () => {
  let env: BoardServer

  beforeAll(async () => {
    env = await startBoardServer('Zonder browser', { adminToken: ADMIN, chromium: '/nonexistent/chromium' })
  })

  afterAll(async () => {
    await env?.server.stop()
  })

  it('is made without the PDF, and says so in its answer and its readme', async () => {
    const response = await archive(env)
    expect(response.status).toBe(200)
    expect(response.headers.get(ARCHIVE_PDF_HEADER)).toBe('no-chromium')
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()))
    expect(Object.keys(files)).not.toContain(ARCHIVE_PDF_FILE)
    expect(Object.keys(files)).toContain('records.json')
    expect(strFromU8(files['LEESMIJ.txt'])).toContain('board.pdf           ontbreekt: de server heeft geen Chromium')
    expect(JSON.parse(strFromU8(files['stip-archive.json']))).toMatchObject({ pdf: null, pdfStatus: 'no-chromium' })
  })
})

describe('an archive whose PDF takes too long', () => {
  let env: BoardServer

  beforeAll(async () => {
    env = await startBoardServer('Te traag', { adminToken: ADMIN, chromium: CHROMIUM_PATH, archivePdfTimeoutMs: 200 })
  })

  afterAll(async () => {
    await env?.server.stop()
  })

  it('is made without the PDF, says so, and leaves no browser running', async () => {
    const response = await archive(env)
    expect(response.status).toBe(200)
    expect(response.headers.get(ARCHIVE_PDF_HEADER)).toBe('timeout')
    const files = unzipSync(new Uint8Array(await response.arrayBuffer()))
    expect(Object.keys(files)).not.toContain(ARCHIVE_PDF_FILE)
    expect(strFromU8(files['LEESMIJ.txt'])).toContain('ontbreekt: het maken van de tekening duurde te lang')
    // A browser still starting when time ran out closes itself once it is up.
    await noChromiumLeft()
  })
})
