/**
 * `npm start` runs the server bundled (`server/launch.js` → `dist/`), not from the
 * TypeScript sources that every other test runs. So the bundle itself is tested end to end:
 * it builds, listens, creates a board through the API, syncs two clients, refuses an
 * invalid record with the full schema (4422: tldraw's validators made it into the bundle),
 * and stops cleanly on SIGTERM with what it was sent written down.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { createBoard } from '../helpers/api.ts'
import { type ChildServer, startChildServer } from '../helpers/child-server.ts'
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

  it('runs the server as one compiled bundle that syncs, validates and stops cleanly', async () => {
    execFileSync(process.execPath, ['server/launch.js', '--build-server'], { cwd: REPO_ROOT, stdio: 'ignore' })
    dir = await createTempDir()
    server = await startChildServer({ dataDir: dir.path, args: ['dist/main.js'] })
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
    server = await startChildServer({ dataDir: dir.path, args: ['dist/main.js'] })
    const after = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
    await after.waitForSync()
    expect(getRecordsMap(after.doc).has('shape:gebundeld')).toBe(true)
    expect(getRecordsMap(after.doc).has('shape:ongeldig')).toBe(false)
    await after.close()
  })
})
