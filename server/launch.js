/**
 * `npm start`: run the server as compiled JavaScript, not through a TypeScript loader.
 *
 * A start through tsx spent most of its time loading modules, not running them (a CPU
 * profile of the start: the tsx loader compiling each file, then Node resolving and reading
 * hundreds of files of fastify, ajv and tldraw's schema). So the server (`server/start.ts`,
 * which builds the client if it is stale and runs `server/main.ts`) is bundled with esbuild,
 * node_modules included, into `dist/` (gitignored) whenever the bundle is missing or older
 * than its sources or the lockfile, the way `server/build.ts` rebuilds the client. A restart
 * then reads one file. Kept out of the bundle: the native better-sqlite3, synckit and pg
 * (the PostgreSQL store's worker thread, copied beside the bundle, loads them from
 * node_modules; a bundled synckit on the main thread hung waiting for it), playwright-core
 * (the archive's PDF: it reads its own files), and vite and esbuild, which only build. pino
 * is bundled: only its transports start worker files from disk, and the server logs to
 * stdout without one (`server/log.ts`); loaded from node_modules, resolving its files took a
 * start about 7 ms of CPU. Tests and the bench's in-process servers keep running from source.
 *
 * The bundles are CommonJS, run through `vm.Script` with a V8 code cache beside them
 * (`dist/start.cjs.<size>-<mtime>.v8cache`): after a start has listened, launch.js keeps
 * what V8 compiled by then (the bundle's top level, and every function the start ran), and
 * the next start takes it instead of parsing and compiling the 2.3 MB again. A profile of a
 * start had 85 ms in compiling the ES module bundle, and functions compiled as they first
 * ran, besides. Node 20 has no compile cache for ES modules, hence CommonJS, and hence no
 * top-level await in `start.ts` and `main.ts`. The cache is named after the bundle's size and
 * time, removed when the bundle is rebuilt, and written again whenever V8 refuses it (another
 * Node version, other V8 flags); the first start after a build runs without it, and so
 * does a start with source maps on (Node 20 maps no stack trace of a `vm.Script`).
 *
 * Not at start either: fastify compiling every route's Ajv validators and fast-json-stringify
 * serializers when it got ready (the largest part of a profiled start, about 120 of 450
 * sampled ms). `server/http/compilers.ts` compiles each on its route's first request. Measured
 * with `node bench/start-series.mjs 12 base=<main> wt=.` (load average 3.5): start → listening
 * 288 → 237 ms median (CPU by then 305 → 240 ms); idle RSS 500 ms after listening 87.2 → 82.5 MiB.
 * What the rest of a start spends (same profile): Node's own start and this file ~30 ms,
 * reading the bundle and its code cache ~40 ms, the bundle's module top levels ~130 ms
 * (pino, then loaded from node_modules, ~20; tldraw's store schema ~14, node:http and kin ~13),
 * opening SQLite ~30 ms, fastify's plugins and routes ~60 ms.
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
import { createRequire } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'

const root = path.resolve(import.meta.dirname, '..')
/** The bundle must sit one folder below the root: the server finds `../client/dist` and `../package.json` from it. */
const OUT_DIR = path.join(root, 'dist')
/** `start` is what `npm start` runs; `main` is the server alone (the bundle's own test runs it). */
const ENTRIES = ['start', 'main']
const bundleOf = (entry) => path.join(OUT_DIR, `${entry}.cjs`)
const CODE_CACHE_SUFFIX = '.v8cache'
/** Copied next to the bundle (see `ensureServerBuilt`). */
const BESIDE = ['store/postgres-worker.mjs']
/** Loaded from node_modules at run time (see the header). */
const NOT_BUNDLED = ['better-sqlite3', 'synckit', 'pg', 'playwright-core', 'vite', 'esbuild']
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
      const file = bundleOf(entry)
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
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: NOT_BUNDLED,
    // `import()` of what is not bundled (pg, playwright-core, vite) becomes `require`: a script
    // V8 took from its code cache has lost what `import()` needs (Node 20 throws
    // ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING). vite is an ES module, which Node ≥ 20.19 can require.
    supported: { 'dynamic-import': false },
    // The sources are ES modules that find files beside themselves; CommonJS has no `import.meta`.
    define: { 'import.meta.url': '__stipModuleUrl', 'import.meta.dirname': '__dirname' },
    // The bundle is already the function Node's loader wraps a CommonJS file in, so that
    // `runBundle` compiles the text it read as it is: wrapping it there copied the 2.3 MB
    // (3 MiB of idle RSS, until a full GC long after the start). Required the ordinary way
    // (`node dist/main.cjs`, or with source maps on), where `module` exists, it calls itself.
    banner: {
      js: [
        "(typeof module === 'undefined' ? (run) => run : (run) => run(exports, require, module, __filename, __dirname))(",
        'function (exports, require, module, __filename, __dirname) {',
        "const __stipModuleUrl = require('node:url').pathToFileURL(__filename).href;",
      ].join(''),
    },
    footer: { js: '\n})' },
    // Less to read and parse at every start: 3.8 MB became 2.3 MB. Names stay (stack traces
    // name functions); the licences' comments go to `start.cjs.LEGAL.txt` beside it.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'external',
    sourcemap: true,
    logLevel: 'warning',
  })
  // Files the server finds beside its own module at run time (`new URL(file, import.meta.url)`),
  // which a bundler does not follow: the PostgreSQL store's worker thread, plain JavaScript.
  for (const file of BESIDE) fs.copyFileSync(path.join(root, 'server', file), path.join(OUT_DIR, path.basename(file)))
  // A code cache belongs to the bundle it was made from (V8 itself checks only its length).
  removeCodeCaches()
  return true
}

/** Every code cache in `dist/`, and what a start killed while writing one left. */
function removeCodeCaches() {
  for (const file of fs.readdirSync(OUT_DIR)) {
    if (file.includes(CODE_CACHE_SUFFIX)) fs.rmSync(path.join(OUT_DIR, file), { force: true })
  }
}

/**
 * Runs a CommonJS bundle with the V8 code cache of this very file, if there is one, and
 * returns its exports. With `keepCache`, a missing or refused cache is written once the
 * bundle's `started` promise resolves (the server listens): V8 caches what it has compiled
 * by then.
 */
function runBundle(file, keepCache) {
  // Node 20 does not map a `vm.Script`'s stack traces to its source map: with source maps
  // on, the bundle loads the ordinary way, without the cache.
  if (process.sourceMapsEnabled) return createRequire(import.meta.url)(file)
  const { size, mtimeMs } = fs.statSync(file)
  const cacheFile = `${file}.${size}-${Math.trunc(mtimeMs)}${CODE_CACHE_SUFFIX}`
  let cachedData
  try {
    cachedData = fs.readFileSync(cacheFile)
  } catch {
    cachedData = undefined
  }
  // The bundle's text is the function itself (see the banner above).
  const script = new vm.Script(fs.readFileSync(file, 'utf8'), {
    filename: file,
    cachedData,
  })
  const module = { exports: {} }
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file))
  if (keepCache && (cachedData === undefined || script.cachedDataRejected)) {
    // No rejection handler: a start that fails still ends the process, as an uncaught error.
    void module.exports.started.then(() => setImmediate(() => writeCodeCache(script, cacheFile)))
  }
  return module.exports
}

/** Best effort: a start without the cache only takes longer (a read-only `dist/` is told once per start). */
function writeCodeCache(script, cacheFile) {
  const temporary = `${cacheFile}.${process.pid}.tmp`
  try {
    removeCodeCaches()
    fs.writeFileSync(temporary, script.createCachedData())
    // Whole or not at all: another start may be reading it.
    fs.renameSync(temporary, cacheFile)
  } catch (error) {
    fs.rmSync(temporary, { force: true })
    log(`no code cache kept (${String(error)}); the next start compiles the bundle again`)
  }
}

await ensureServerBuilt()
if (!process.argv.includes('--build-server')) {
  // `--build`: the client too, so that the next start only loads.
  const buildOnly = process.argv.includes('--build')
  if (buildOnly) process.env.STIP_BUILD_ONLY = '1'
  // A build-only run compiles only the client check: not worth caching.
  runBundle(bundleOf('start'), !buildOnly)
}
