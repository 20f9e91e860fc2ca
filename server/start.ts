/**
 * `npm start` (bundled by `server/launch.js`): build the client if it is missing or stale,
 * then run the server. With `STIP_BUILD_ONLY` set (`launch.js --build`) it only builds.
 */
import { ensureClientBuilt } from './build.ts'

await ensureClientBuilt((msg) => console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg })))
if (!process.env.STIP_BUILD_ONLY) await import('./main.ts')
