/**
 * How long an archive takes with its PDF (`server/admin/pdf.ts`): a board made from the
 * horizon template with four departments' paths, plus `extra` labelled rectangles spread
 * over the canvas, archived through a real server that renders the PDF in the system's
 * Chromium. Prints the archive's time and sizes; asserts nothing.
 *
 * Run: npx tsx bench/archive-pdf.ts [extra shapes, default 0] [runs, default 3]
 */
import { getIndices } from '@tldraw/utils'
import { unzipSync } from 'fflate'
import * as Y from 'yjs'
import { startServer } from '../server/app.ts'
import { silentLogger } from '../server/log.ts'
import type { CreateBoardResponse } from '../shared/api.ts'
import { ARCHIVE_PDF_FILE, ARCHIVE_PDF_HEADER } from '../shared/archivePdf.ts'
import { getRecordsMap, setRecord } from '../shared/doc.ts'
import { authorizationHeader, ROUTES, routePath } from '../shared/routes.ts'
import { tokenFromLink } from '../tests/helpers/api.ts'
import { connectProvider } from '../tests/helpers/provider.ts'
import { createRandom } from '../tests/helpers/random.ts'
import { shapeRecord } from '../tests/helpers/records.ts'

const EXTRA = Number(process.argv[2] ?? 0)
const RUNS = Number(process.argv[3] ?? 3)
const ADMIN = `${'a'.repeat(32)}-bench`

const server = await startServer({
  port: 0,
  host: '127.0.0.1',
  log: silentLogger,
  adminToken: ADMIN,
  chromium: process.env.STIP_CHROMIUM ?? '/usr/bin/chromium',
})
try {
  const created = await fetch(`${server.url}${ROUTES.boards}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Voorbeeld Digitaal 2030',
      template: 'horizon',
      departments: ['Sociaal domein', 'Publiekszaken', 'Ruimte', 'Bedrijfsvoering'],
    }),
  })
  const board = (await created.json()) as CreateBoardResponse
  if (EXTRA > 0) {
    const client = await connectProvider(
      server.url.replace(/^http/, 'ws'),
      board.id,
      tokenFromLink(board.links.facilitator),
      {
        doc: new Y.Doc(),
      },
    )
    const random = createRandom(7)
    // Each its own place in the stacking order.
    const indices = getIndices(EXTRA + 1).slice(1)
    for (let start = 0; start < EXTRA; start += 200) {
      client.doc.transact(() => {
        for (let i = start; i < Math.min(EXTRA, start + 200); i++) {
          const shape = shapeRecord(`shape:extra-${i}`, random)
          const text = `Stap ${i + 1}`
          setRecord(getRecordsMap(client.doc), {
            ...shape,
            index: indices[i],
            props: {
              ...(shape.props as object),
              richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] },
            },
          })
        }
      })
      await new Promise((resolve) => setTimeout(resolve, 300))
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
    client.destroy()
  }
  for (let run = 1; run <= RUNS; run++) {
    const started = Date.now()
    const response = await fetch(`${server.url}${routePath(ROUTES.adminArchive, { boardId: board.id })}`, {
      headers: { authorization: authorizationHeader(ADMIN) },
    })
    const zip = new Uint8Array(await response.arrayBuffer())
    const seconds = (Date.now() - started) / 1000
    const pdf = unzipSync(zip)[ARCHIVE_PDF_FILE]
    console.log(
      `run ${run}: ${EXTRA} extra shapes: archive ${seconds.toFixed(1)} s, ${response.headers.get(ARCHIVE_PDF_HEADER)}, ` +
        `zip ${(zip.length / 1024).toFixed(0)} KB, pdf ${pdf ? (pdf.length / 1024).toFixed(0) : '-'} KB`,
    )
  }
} finally {
  await server.close()
}
