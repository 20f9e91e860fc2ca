/**
 * Builds the client once before the browser tests (only when it is missing or older than
 * its sources), so every test file's server serves a current `client/dist`.
 */
import { ensureClientBuilt } from '../../server/build.ts'

export default async function setup(): Promise<void> {
  const started = Date.now()
  const built = await ensureClientBuilt((message) => console.log(`[browser tests] ${message}`))
  if (built) console.log(`[browser tests] client built in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
