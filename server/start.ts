/** `npm start`: build the client if it is missing or stale, then run the server. */
import { ensureClientBuilt } from './build.ts'

await ensureClientBuilt((msg) => console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg })))
await import('./main.ts')
