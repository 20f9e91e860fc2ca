/**
 * Stip logs to stdout. When whatever reads it goes away (a log shipper that dies,
 * `npm start | head`, journald restarting), every write fails with EPIPE. The server must
 * shrug that off: keep serving, and still stop cleanly on SIGTERM. (It once turned the
 * failed write into an uncaught exception, logged it to the same closed pipe, and so on:
 * 100% of a core, forever, deaf to SIGTERM.)
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createBoard } from '../helpers/api.ts'
import { type ChildServer, startChildServer } from '../helpers/child-server.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'

describe('a server whose log reader went away', () => {
  let dir: TempDir | undefined
  let child: ChildServer | undefined

  afterEach(async () => {
    await child?.kill9()
    await dir?.remove()
  })

  it('keeps serving and exits with code 0 on SIGTERM', async () => {
    dir = await createTempDir()
    child = await startChildServer({ dataDir: dir.path })
    child.process.stdout?.destroy() // the reader is gone: the server's next log line meets EPIPE

    for (let i = 0; i < 3; i++) await createBoard(child.url, `Board ${i}`) // each logs a line
    const health = await fetch(`${child.url}/healthz`)
    expect(health.status).toBe(200)

    expect(await child.terminate(10_000)).toEqual({ code: 0, signal: null })
  })
})
