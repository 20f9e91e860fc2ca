/**
 * `npm start` runs the server bundled (`server/launch.js` → `dist/`), not from the
 * TypeScript sources that every other test runs. So the bundle itself is tested end to end:
 * it builds, listens, creates a board through the API, syncs two clients, refuses an
 * invalid record with the full schema (4422: tldraw's validators made it into the bundle),
 * and stops cleanly on SIGTERM with what it was sent written down — on SQLite, and on
 * PostgreSQL, whose store runs a worker thread from a file beside the bundle.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard } from '../helpers/api.ts'
import { type ChildServer, startChildServer } from '../helpers/child-server.ts'
import { DATABASE_URL } from '../helpers/cluster.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'
import { waitFor } from '../helpers/wait.ts'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

describe('npm start', () => {
  let dir: TempDir | undefined
  let server: ChildServer | undefined

  afterEach(async () => {
    await server?.kill9()
    await dir?.remove()
  })

  for (const store of ['SQLite', 'PostgreSQL'] as const) {
    it(`runs the server as one compiled bundle that syncs, validates and stops cleanly (${store})`, async () => {
      execFileSync(process.execPath, ['server/launch.js', '--build-server'], { cwd: REPO_ROOT, stdio: 'ignore' })
      dir = await createTempDir()
      const env: Record<string, string> =
        store === 'SQLite'
          ? {}
          : {
              DATABASE_URL,
              STIP_DATABASE_SCHEMA: `stip_bundle_${randomBytes(6).toString('hex')}`,
              STIP_CLUSTER_SECRET: randomBytes(32).toString('hex'),
            }
      server = await startChildServer({ dataDir: dir.path, args: ['dist/main.js'], env })
      const board = await createBoard(server.url, 'Gebundeld')

      const writer = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
      const reader = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
      putRecords(writer.doc, [shapeRecord('shape:gebundeld')])
      await waitFor(() => getRecordsMap(reader.doc).has('shape:gebundeld'), { message: 'the reader to see the shape' })

      getRecordsMap(writer.doc).set('shape:ongeldig', JSON.stringify({ ...shapeRecord('shape:ongeldig'), x: 'links' }))
      expect((await writer.waitForClose()).code).toBe(CloseCode.InvalidRecord)
      await reader.close()

      const exit = await server.terminate()
      expect(exit).toEqual({ code: 0, signal: null })
      server = await startChildServer({ dataDir: dir.path, args: ['dist/main.js'], env })
      const after = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
      await after.waitForSync()
      expect(getRecordsMap(after.doc).has('shape:gebundeld')).toBe(true)
      expect(getRecordsMap(after.doc).has('shape:ongeldig')).toBe(false)
      await after.close()
    })
  }
})
