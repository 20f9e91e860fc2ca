/**
 * Stip with durability off, in its own process: `startServer` with no `dataDir` keeps every
 * board in a MemoryStore. Bench-only; prints the same `listening` JSON line as `server/main.ts`.
 */
import { startServer } from '../../server/app.ts'
import { silentLogger } from '../../server/log.ts'

const server = await startServer({ port: 0, host: '127.0.0.1', log: silentLogger })
console.log(JSON.stringify({ msg: 'listening', port: server.port }))
const stop = () => server.close().then(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
