/**
 * Builds the client only when the build is missing or older than its sources, so that a
 * restart after an upgrade rebuilds once and a plain restart takes a second. Used by
 * `npm start` and by the browser tests.
 */
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
/** Everything the client build depends on. */
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package-lock.json', 'package.json']
const DIST = path.join(root, 'client/dist')

function newestMtime(target: string): number {
  let stat: fs.Stats
  try {
    stat = fs.statSync(target)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'dist' || entry === 'node_modules') continue
    newest = Math.max(newest, newestMtime(path.join(target, entry)))
  }
  return newest
}

export function clientBuildIsStale(): boolean {
  const index = path.join(DIST, 'index.html')
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0
  return SOURCES.some((source) => newestMtime(path.join(root, source)) > built)
}

/** Builds the client into client/dist if needed; returns whether it built. */
export async function ensureClientBuilt(log: (msg: string) => void = () => {}): Promise<boolean> {
  if (!clientBuildIsStale()) return false
  log('building client')
  const { build } = await import('vite')
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' })
  return true
}
