/**
 * One process per data directory: a second server started on the same DATA_DIR stops at
 * once with a configuration error (exit code 2) that says why, and the first one keeps
 * serving. The lock is the kernel's, so a server killed with `kill -9` leaves no stale
 * lock: a restart right after it starts normally.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { getRecordsMap } from '../../shared/doc.ts'
import { api, createBoard } from '../helpers/api.ts'
import { type ChildServer, startChildServer } from '../helpers/child-server.ts'
import { RawClient } from '../helpers/raw-client.ts'
import { putRecords, shapeRecord } from '../helpers/records.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'
import { withTimeout } from '../helpers/wait.ts'

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

/** Starts `server/main.ts` on `dataDir` and waits for it to exit on its own. */
async function runToExit(dataDir: string): Promise<{ code: number | null; stdout: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.resume()
  const code = await withTimeout(
    new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode))),
    20_000,
    'the second server to exit',
  ).catch((error) => {
    child.kill('SIGKILL')
    throw error
  })
  return { code, stdout }
}

describe('a second server on the same data directory', () => {
  let dir: TempDir | undefined
  const children: ChildServer[] = []

  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill9()
    await dir?.remove()
  })

  it('is refused at start with a clear error, and a kill -9 leaves no stale lock', async () => {
    dir = await createTempDir()
    const first = await startChildServer({ dataDir: dir.path })
    children.push(first)
    const board = await createBoard(first.url, 'Eén proces')

    const second = await runToExit(dir.path)
    expect(second.code).toBe(2)
    const lines = second.stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'configuration error',
        error: expect.stringMatching(/in use by another Stip process/),
      }),
    )
    expect(lines.some((line) => line.msg === 'listening')).toBe(false)
    expect((await api(first.url, '/healthz')).status).toBe(200)

    const writer = await RawClient.connect(first.wsUrl, board.id, board.tokens.participant)
    await writer.waitForSync()
    putRecords(writer.doc, [shapeRecord('shape:before-the-kill')])
    await writer.roundTrip()
    await writer.close()

    await first.kill9()
    const restarted = await startChildServer({ dataDir: dir.path })
    children.push(restarted)
    const reader = await RawClient.connect(restarted.wsUrl, board.id, board.tokens.display)
    await reader.waitForSync()
    expect(getRecordsMap(reader.doc).has('shape:before-the-kill')).toBe(true)
    await reader.close()
  })
})
