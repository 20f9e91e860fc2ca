/**
 * `npm start` runs the server bundled (`server/launch.js` → `dist/`), not from the
 * TypeScript sources that every other test runs. So the bundle itself is tested end to end:
 * it builds, listens, creates a board through the API, syncs two clients, refuses an
 * invalid record with the full schema (4422: tldraw's validators made it into the bundle),
 * and stops cleanly on SIGTERM with what it was sent written down — on SQLite, and on
 * PostgreSQL, whose store runs a worker thread from a file beside the bundle. And a restart
 * runs the bundle compiled, from the V8 code cache the first start kept, never from the cache
 * of another bundle.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
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
const DIST = path.join(REPO_ROOT, 'dist')
const BUNDLE = path.join(DIST, 'start.cjs')

/** The code cache files in dist/ (launch.js names them `start.cjs.<size>-<mtime>.v8cache`). */
const codeCaches = () => fs.readdirSync(DIST).filter((file) => file.includes('.v8cache'))
const cacheOfBundle = () => {
  const { size, mtimeMs } = fs.statSync(BUNDLE)
  return path.join(DIST, `start.cjs.${size}-${Math.trunc(mtimeMs)}.v8cache`)
}

/** A board, two clients on it, and a shape that reaches the second: the server serves. */
async function syncsAShape(server: ChildServer, id: string): Promise<void> {
  const board = await createBoard(server.url, id)
  const writer = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
  const reader = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
  putRecords(writer.doc, [shapeRecord(`shape:${id}`)])
  await waitFor(() => getRecordsMap(reader.doc).has(`shape:${id}`), { message: 'the reader to see the shape' })
  await writer.close()
  await reader.close()
}

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
      server = await startChildServer({ dataDir: dir.path, args: ['dist/main.cjs'], env })
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
      server = await startChildServer({ dataDir: dir.path, args: ['dist/main.cjs'], env })
      const after = await RawClient.connect(server.wsUrl, board.id, board.tokens.participant)
      await after.waitForSync()
      expect(getRecordsMap(after.doc).has('shape:gebundeld')).toBe(true)
      expect(getRecordsMap(after.doc).has('shape:ongeldig')).toBe(false)
      await after.close()
    })
  }

  it('restarts from the code cache the first start kept, and never from the cache of another bundle', async () => {
    // `npm start` exactly: the client is built now if it is stale, so no start below builds.
    execFileSync(process.execPath, ['server/launch.js', '--build'], { cwd: REPO_ROOT, stdio: 'ignore' })
    for (const file of codeCaches()) fs.rmSync(path.join(DIST, file))
    dir = await createTempDir()
    const start = (env: Record<string, string> = {}) =>
      startChildServer({ dataDir: dir?.path ?? '', args: ['server/launch.js'], env })

    server = await start()
    await syncsAShape(server, 'eerste')
    await waitFor(() => fs.existsSync(cacheOfBundle()), { message: 'the first start to keep its code cache' })
    expect(await server.terminate()).toEqual({ code: 0, signal: null })
    const kept = fs.statSync(cacheOfBundle())

    // A cache V8 takes is taken as it is: a refused or missing one would be written again.
    // On PostgreSQL, as one of several processes: the cached script loads pg when it starts.
    server = await start({
      DATABASE_URL,
      STIP_DATABASE_SCHEMA: `stip_cache_${randomBytes(6).toString('hex')}`,
      STIP_CLUSTER_SECRET: randomBytes(32).toString('hex'),
    })
    await syncsAShape(server, 'tweede')
    expect(await server.terminate()).toEqual({ code: 0, signal: null })
    const again = fs.statSync(cacheOfBundle())
    expect([again.ino, again.mtimeMs]).toEqual([kept.ino, kept.mtimeMs])

    // A cache V8 refuses is replaced.
    fs.writeFileSync(cacheOfBundle(), 'not a code cache')
    server = await start()
    await syncsAShape(server, 'derde')
    await waitFor(() => fs.statSync(cacheOfBundle()).size > 100, { message: 'the refused cache to be replaced' })
    expect(await server.terminate()).toEqual({ code: 0, signal: null })

    // Another bundle (here: the same bytes at another time) gets its own cache; the old one goes.
    const before = codeCaches()
    const later = new Date(fs.statSync(BUNDLE).mtimeMs + 1000)
    fs.utimesSync(BUNDLE, later, later)
    server = await start()
    await syncsAShape(server, 'vierde')
    await waitFor(() => fs.existsSync(cacheOfBundle()), { message: 'the new bundle to get its cache' })
    expect(codeCaches()).toEqual([path.basename(cacheOfBundle())])
    expect(before).not.toContain(path.basename(cacheOfBundle()))
    // A fresh checkout builds the client first (vite, seconds on two cores).
  }, 180_000)
})
