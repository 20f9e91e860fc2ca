/**
 * `npm start` (bundled by `server/launch.js`): build the client if it is missing or stale,
 * then run the server. With `STIP_BUILD_ONLY` set (`launch.js --build`) it only builds.
 */
import { ensureClientBuilt } from './build.ts'

/** Resolves once the server is listening (or, with `STIP_BUILD_ONLY`, once the client is built). */
export const started: Promise<void> = start()

async function start(): Promise<void> {
  await ensureClientBuilt((msg) => console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg })))
  if (process.env.STIP_BUILD_ONLY) return
  const { running } = await import('./main.ts')
  await running
}
