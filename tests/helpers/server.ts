/**
 * A Stip server in this process, on a random loopback port, storing into a temporary
 * directory (SQLite) that is removed by `stop()`. `restart()` closes it and starts a new
 * server on the same directory, for checks that something was (or was not) stored.
 */
import { type StipServer, startServer } from '../../server/app.ts'
import { silentLogger } from '../../server/log.ts'
import { createTempDir, type TempDir } from './temp-dir.ts'

export type ServerOptions = NonNullable<Parameters<typeof startServer>[0]>

export interface TestServer {
  /** `http://127.0.0.1:<port>` of the running server (changes on restart). */
  readonly url: string
  /** `ws://127.0.0.1:<port>` of the running server. */
  readonly wsUrl: string
  readonly server: StipServer
  readonly dataDir: string
  /** Closes the server and starts a new one on the same data directory. */
  restart(): Promise<void>
  /** Closes the server and removes its data directory. Safe to call twice. */
  stop(): Promise<void>
}

/** Starts a server with a SQLite store in a fresh temporary directory. Its logs are dropped
 * unless `STIP_TEST_LOGS` is set. */
export async function startTestServer(options: ServerOptions = {}): Promise<TestServer> {
  const dir: TempDir = await createTempDir()
  const start = () =>
    startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir.path,
      log: process.env.STIP_TEST_LOGS ? undefined : silentLogger,
      ...options,
    })
  let current: StipServer | null
  try {
    current = await start()
  } catch (error) {
    await dir.remove()
    throw error
  }
  const running = (): StipServer => {
    if (!current) throw new Error('The test server is stopped.')
    return current
  }
  return {
    get url() {
      return running().url
    },
    get wsUrl() {
      return running().url.replace(/^http/, 'ws')
    },
    get server() {
      return running()
    },
    dataDir: dir.path,
    async restart() {
      const old = running()
      current = null
      await old.close()
      current = await start()
    },
    async stop() {
      const old = current
      current = null
      try {
        await old?.close()
      } finally {
        await dir.remove()
      }
    },
  }
}
