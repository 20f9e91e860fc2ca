/**
 * `npm start`: run the server as compiled JavaScript, not through a TypeScript loader.
 *
 * A start through tsx spent most of its time loading modules, not running them (a CPU
 * profile of the start: the tsx loader compiling each file, then Node resolving and reading
 * hundreds of files of fastify, ajv and tldraw's schema). So the server (`server/start.ts`,
 * which builds the client if it is stale and runs `server/main.ts`) is bundled with esbuild,
 * node_modules included, into `dist/` (gitignored) whenever the bundle is missing or older
 * than its sources or the lockfile, the way `server/build.ts` rebuilds the client. A restart
 * then reads one file. Kept out of the bundle: the native better-sqlite3, pino (it finds its
 * worker files on disk), synckit and pg (the PostgreSQL store's worker thread, copied beside
 * the bundle, loads them from node_modules; a bundled synckit on the main thread hung
 * waiting for it), playwright-core (the archive's PDF: it reads its own files), and vite
 * and esbuild, which only build. Tests and the bench's
 * in-process servers keep running from source.
 *
 * The bundle has a source map beside it: `NODE_OPTIONS=--enable-source-maps` makes stack traces
 * name the TypeScript sources (not on by default: reading the map costs a start 0.1 s).
 *
 * `node server/launch.js --build` builds the server and the client and exits;
 * `--build-server` builds only the server bundle.
 *
 * Plain JavaScript on purpose: this is what runs before anything can read TypeScript.
 */
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const root = path.resolve(import.meta.dirname, '..')
/** The bundle must sit one folder below the root: the server finds `../client/dist` and `../package.json` from it. */
const OUT_DIR = path.join(root, 'dist')
const ENTRIES = ['start', 'main']
/** Copied next to the bundle (see `ensureServerBuilt`). */
const BESIDE = ['store/postgres-worker.mjs']
/** Loaded from node_modules at run time (see the header). */
const NOT_BUNDLED = ['better-sqlite3', 'pino', 'thread-stream', 'synckit', 'pg', 'playwright-core', 'vite', 'esbuild']
/** Everything the server bundle depends on (node_modules are imported, not bundled). */
const SOURCES = ['server', 'shared', 'package.json', 'package-lock.json']

/** The newest modification time under `target` (the same walk as `server/build.ts`). */
function newestMtime(target) {
  let stat
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

function serverBuildIsStale() {
  const built = Math.min(
    ...ENTRIES.map((entry) => {
      const file = path.join(OUT_DIR, `${entry}.js`)
      return fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0
    }),
  )
  return SOURCES.some((source) => newestMtime(path.join(root, source)) > built)
}

const log = (msg) => console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', msg }))

/** Bundles the server into `dist/` if needed; returns whether it built. */
async function ensureServerBuilt() {
  if (!serverBuildIsStale()) return false
  log('building server')
  const { build } = await import('esbuild')
  await build({
    entryPoints: Object.fromEntries(ENTRIES.map((entry) => [entry, path.join(root, 'server', `${entry}.ts`)])),
    outdir: OUT_DIR,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: NOT_BUNDLED,
    // Bundled CommonJS packages call `require`, which an ES module does not have.
    banner: {
      js: "import { createRequire as __stipRequire } from 'node:module'; const require = __stipRequire(import.meta.url);",
    },
    sourcemap: true,
    logLevel: 'warning',
  })
  // Files the server finds beside its own module at run time (`new URL(file, import.meta.url)`),
  // which a bundler does not follow: the PostgreSQL store's worker thread, plain JavaScript.
  for (const file of BESIDE) fs.copyFileSync(path.join(root, 'server', file), path.join(OUT_DIR, path.basename(file)))
  return true
}

await ensureServerBuilt()
if (!process.argv.includes('--build-server')) {
  // `--build`: the client too, so that the next start only loads.
  if (process.argv.includes('--build')) process.env.STIP_BUILD_ONLY = '1'
  await import(pathToFileURL(path.join(OUT_DIR, 'start.js')).href)
}
