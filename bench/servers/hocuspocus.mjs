/**
 * Baseline: Hocuspocus (@hocuspocus/server 4.7.0) with its default configuration (stores
 * debounced 2 s, at most 10 s late, and when the last connection leaves). With
 * `HOCUSPOCUS_SQLITE=<file>` it persists with @hocuspocus/extension-sqlite; otherwise in memory.
 * Plain JS so that the root typecheck does not need bench/node_modules.
 */
import { SQLite } from '@hocuspocus/extension-sqlite'
import { Server } from '@hocuspocus/server'

const file = process.env.HOCUSPOCUS_SQLITE
const server = new Server({
  port: 0,
  address: '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  extensions: file ? [new SQLite({ database: file })] : [],
})
await server.listen()
console.log(JSON.stringify({ msg: 'listening', port: server.address.port, sqlite: file ?? null }))
