/**
 * Entry point: reads the environment once, starts the server, and shuts it down cleanly
 * on SIGTERM/SIGINT (every pending update written, every socket told to reconnect).
 */
import { startServer } from './app.ts'
import { ConfigError, readConfig } from './config.ts'
import { createLogger } from './log.ts'

const log = createLogger()

/**
 * Resolves once the server is listening (`start.ts` waits for it, and `launch.js` then keeps
 * the compiled bundle). A failure other than a configuration error rejects it and nothing
 * catches that: the process ends as on any uncaught error. No top-level await: the bundle
 * is CommonJS (see `launch.js`).
 */
export const running: Promise<void> = run()

async function run(): Promise<void> {
  try {
    const config = readConfig(process.env)
    const server = await startServer({ ...config, log })
    log.info('listening', {
      port: server.port,
      host: config.host,
      url: config.publicUrl ?? server.url,
      dataDir: config.dataDir,
      store: server.store.health().detail,
    })
    if (config.createToken === null) {
      log.warn(
        'board creation is open: anyone who reaches this server can create boards; set STIP_CREATE_TOKEN to require a token',
      )
    }
    if (config.tldrawLicenseKey === null) {
      log.warn(
        'no STIP_TLDRAW_LICENSE_KEY: fine on localhost, but on an https address the canvas will be hidden; see README "tldraw licence"',
      )
    }

    let stopping = false
    const stop = (signal: string) => {
      if (stopping) return
      stopping = true
      log.info('stopping', { signal })
      server.close().then(
        () => {
          log.info('stopped')
          process.exit(0)
        },
        (error) => {
          log.error('stop failed', { error: String(error) })
          process.exit(1)
        },
      )
    }
    process.on('SIGTERM', () => stop('SIGTERM'))
    process.on('SIGINT', () => stop('SIGINT'))
    // Logging is best effort: when the log reader goes away, writes fail with EPIPE, and
    // that error must not become an uncaught exception logged to the same closed pipe.
    process.stdout.on('error', () => {})
    // One bad event must not take every board down with it; rooms already contain their
    // own failures, this is the last net.
    process.on('uncaughtException', (error) =>
      log.error('uncaught exception', { error: String(error), stack: error.stack }),
    )
    process.on('unhandledRejection', (error) => log.error('unhandled rejection', { error: String(error) }))
  } catch (error) {
    if (error instanceof ConfigError) {
      log.error('configuration error', { error: error.message })
      process.exit(2)
    }
    throw error
  }
}
