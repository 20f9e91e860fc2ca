/**
 * The Stip server: one fastify server for the client, the API and the WebSocket sync.
 * Each resource is one plugin in `server/http/` with its routes and their schemas; this
 * file puts them together with what they share (error format, body parsing, logging,
 * metrics) and owns the server's lifecycle. Rooms know nothing of HTTP or `ws`.
 */
import fs from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type FastifySchema } from 'fastify'
import { ApiErrorCode, MAX_BODY_BYTES } from '../shared/api.ts'
import { CloseCode } from '../shared/protocol.ts'
import { API_PREFIX, ROUTES } from '../shared/routes.ts'
import { InternalGrants } from './admin/grants.ts'
import { ArchivePdfRenderer } from './admin/pdf.ts'
import { createCluster } from './cluster/cluster.ts'
import { forwardRequest, hopOf } from './cluster/hop.ts'
import { DEFAULT_CONFIG, type ServerConfig } from './config.ts'
import { signalHooks } from './facilitator/signals.ts'
import { votingService } from './facilitator/voting.ts'
import { DEFAULT_SESSION_MS, HistoryHooks, type HistoryPolicy } from './history/hooks.ts'
import { ReplayCursors } from './history/replay.ts'
import { DEFAULT_SWEEP_BOARDS, DEFAULT_SWEEP_MS, RetentionSweep } from './history/sweep.ts'
import { adminRoutes } from './http/admin.ts'
import { boardRoutes } from './http/boards.ts'
import { lazySerializers, lazyValidators, warmUp } from './http/compilers.ts'
import type { HttpContext } from './http/context.ts'
import { AJV_OPTIONS, errorHandler, parseJson, sendError } from './http/errors.ts'
import { healthRoutes } from './http/health.ts'
import { joinLinkRoutes } from './http/join-links.ts'
import { layerRoutes } from './http/layers.ts'
import { linkRoutes } from './http/links.ts'
import { metricsRoutes } from './http/metrics.ts'
import { openApi } from './http/openapi.ts'
import { pathRoutes } from './http/paths.ts'
import { RequestLog } from './http/request-log.ts'
import { sendPageNotFound, staticRoutes } from './http/static.ts'
import { attachSync } from './http/sync.ts'
import { versionRoutes } from './http/versions.ts'
import { createLogger, type Logger, pathOnly, pinoOf } from './log.ts'
import { createMetrics } from './metrics.ts'
import type { RoomHooks } from './room/hooks.ts'
import type { RoomOptions } from './room/room.ts'
import { BoardOwnedElsewhere, RoomManager } from './room/rooms.ts'
import { MemoryStore } from './store/memory.ts'
import type { PostgresStore } from './store/postgres.ts'
import { SqliteStore } from './store/sqlite.ts'
import type { BoardStore } from './store/types.ts'

export interface StartOptions extends Partial<ServerConfig> {
  /** Use this store instead of the one `dataDir` implies (the caller closes it). */
  store?: BoardStore
  log?: Logger
  room?: Partial<RoomOptions>
  /** More room hooks, run after the server's own (metrics, history). */
  hooks?: RoomHooks[]
  /**
   * When a session earns an automatic version, the clock history uses, and how often the
   * retention sweep runs and how many boards it thins at most (tests).
   */
  history?: Partial<Omit<HistoryPolicy, 'historyDays'>> & { sweepMs?: number; sweepBoards?: number }
}

export interface StipServer {
  /** `http://127.0.0.1:<port>` (or the configured host). */
  url: string
  port: number
  rooms: RoomManager
  store: BoardStore
  /** Every route fastify registered, as method and pattern (`/api/boards/:boardId`), HEAD included, with its schema. */
  routes: readonly { method: string; url: string; schema?: FastifySchema }[]
  /** Flushes every room, closes every connection (`ServerRestarting`) and the store. */
  close(): Promise<void>
}

const VERSION: string = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version

/**
 * The routes compiled right after listening (compilers.ts): what every browser and wall display
 * calls when it comes back after a restart (the app's config, its session, the wall's join
 * link), creating a board, and the monitors' health checks. The rest compile on first use.
 */
const WARM_ROUTES: ReadonlySet<string> = new Set([
  ROUTES.config,
  ROUTES.me,
  ROUTES.boards,
  ROUTES.joinLinks,
  ROUTES.join,
  ROUTES.health,
  ROUTES.ready,
])

/** Methods a route may answer; a path known for another one is a 405, not a 404. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

export async function startServer(options: StartOptions = {}): Promise<StipServer> {
  const { store: givenStore, log = createLogger(), room: roomOptions, hooks = [], history, ...partial } = options
  const config: ServerConfig = { ...DEFAULT_CONFIG, port: 0, host: '127.0.0.1', ...partial }
  const store = givenStore ?? (await openStore(config))
  const metrics = createMetrics()
  const historyHooks = new HistoryHooks(store, log, {
    sessionMs: history?.sessionMs ?? DEFAULT_SESSION_MS,
    now: history?.now ?? Date.now,
    historyDays: config.historyDays,
  })
  const voting = votingService({ store, log })
  const rooms = new RoomManager(store, log, { limits: config.limits, durability: config.durability, ...roomOptions }, [
    metrics.hooks,
    voting.hooks,
    signalHooks({ log, voting }),
    historyHooks,
    ...hooks,
  ])
  const cursors = new ReplayCursors(store)
  // Retention for boards nobody opens; an open room's release prunes it.
  const sweep = new RetentionSweep(store, log, {
    historyDays: config.historyDays,
    intervalMs: history?.sweepMs ?? DEFAULT_SWEEP_MS,
    maxBoards: history?.sweepBoards ?? DEFAULT_SWEEP_BOARDS,
    now: history?.now ?? Date.now,
    // Open here, or (several processes) held by another process: its release prunes it there.
    isOpen: (boardId) => rooms.rooms.has(boardId) || (cluster?.keeper.ownerElsewhere(boardId) ?? null) !== null,
  })
  metrics.watch(rooms)
  const grants = new InternalGrants()
  const postgres = config.cluster && config.databaseUrl ? await asPostgresStore(store) : null
  const cluster =
    config.cluster && config.databaseUrl && postgres
      ? createCluster({
          config: config.cluster,
          databaseUrl: config.databaseUrl,
          store: postgres,
          rooms,
          registry: metrics.registry,
          log,
        })
      : null
  const context: HttpContext = {
    config,
    store,
    rooms,
    log,
    metrics,
    version: VERSION,
    startedAt: Date.now(),
    cluster,
    grants,
  }
  // The archive's PDF render reaches this server over loopback, at the port it listens on.
  let loopback = ''
  const pdf = new ArchivePdfRenderer({
    chromium: config.chromium,
    timeoutMs: config.archivePdfTimeoutMs,
    grants,
    log,
    baseUrl: () => loopback,
  })

  const app = Fastify({
    loggerInstance: pinoOf(log),
    bodyLimit: MAX_BODY_BYTES,
    ajv: { customOptions: AJV_OPTIONS },
    // Each route's validators and serializers are compiled when it is first called (compilers.ts).
    schemaController: { compilersFactory: { buildValidator: lazyValidators(), buildSerializer: lazySerializers() } },
    // Closing rooms and sockets is ours to order (flush first); fastify only stops listening.
    forceCloseConnections: true,
    logController: new RequestLog(),
  }).withTypeProvider<TypeBoxTypeProvider>()

  const routes: { method: string; url: string; schema?: FastifySchema }[] = []
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, schema: route.schema })
  })
  app.decorateRequest('access', null)
  const handleError = errorHandler(log)
  // A call that needs the room of a board another process owns goes to that one (hop.ts);
  // one that came through a peer already is not forwarded again.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (!(error instanceof BoardOwnedElsewhere) || !cluster) return handleError(error, request, reply)
    if (hopOf(request.headers, cluster.secret) !== null)
      return sendError(reply, 503, ApiErrorCode.BoardMoving, 'The board is moving to another process; try again.')
    return forwardRequest(request, reply, error.address, cluster.secret)
  })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'string' }, parseJson)
  // JSON answers describe boards and tokens' rights at one moment: never cache them.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control') && String(reply.getHeader('content-type')).startsWith('application/json'))
      reply.header('cache-control', 'no-store')
    return payload
  })
  app.setNotFoundHandler((request, reply) => notFound(app, request, reply))
  if (cluster) {
    // A call that changes a board another process owns runs there, whole: before this one
    // writes anything, so that a write and the room change that goes with it (a revoked
    // join link's QR code taken off the wall displays…) happen on one process, once.
    app.addHook('preHandler', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD') return
      const boardId = (request.params as { boardId?: unknown } | undefined)?.boardId
      if (typeof boardId !== 'string' || rooms.rooms.has(boardId)) return
      if (hopOf(request.headers, cluster.secret) !== null) return
      const owner = cluster.keeper.ownerElsewhere(boardId)
      if (owner !== null) return forwardRequest(request, reply, owner, cluster.secret)
    })
  }

  await app.register(openApi, context)
  for (const routes of [
    healthRoutes,
    boardRoutes,
    layerRoutes,
    pathRoutes,
    linkRoutes,
    joinLinkRoutes,
    versionRoutes(cursors),
    adminRoutes(cursors, pdf),
    metricsRoutes,
  ]) {
    await app.register(routes, context)
  }
  await app.register(staticRoutes, context)

  const sync = attachSync(app.server, context)
  await app.listen({ port: config.port, host: config.host })
  app.server.on('error', (error) => log.error('server error', { error: String(error) }))
  const port = (app.server.address() as AddressInfo).port
  const displayHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  await cluster?.start(config.cluster?.internalUrl ?? `http://${displayHost}:${port}`)
  loopback = `http://${displayHost.includes(':') ? `[${displayHost}]` : displayHost}:${port}`
  void sweep.start()
  // The first routes' validators and serializers, compiled now that the server listens (compilers.ts).
  void warmUp(WARM_ROUTES)

  let closing: Promise<void> | undefined
  return {
    url: `http://${displayHost}:${port}`,
    port,
    rooms,
    store,
    routes,
    close() {
      closing ??= (async () => {
        await sweep.stop()
        await pdf.close()
        // Several processes: take no new board, then hand each over — stored, its lease
        // released, its clients told to reconnect now (to another process).
        cluster?.drain()
        rooms.closeAll(cluster ? CloseCode.Handover : CloseCode.ServerRestarting)
        await sync.close(cluster ? CloseCode.Handover : undefined)
        await app.close()
        metrics.close()
        await cluster?.close()
        if (!givenStore) store.close()
      })()
      return closing
    },
  }
}

/**
 * The store the configuration names: PostgreSQL, SQLite in the data folder, or memory. The
 * PostgreSQL store is loaded only when it is named: its worker's synckit cost every SQLite
 * start about 10 ms.
 */
async function openStore(config: ServerConfig): Promise<BoardStore> {
  if (config.databaseUrl) {
    const { PostgresStore } = await import('./store/postgres.ts')
    return new PostgresStore({
      url: config.databaseUrl,
      schema: config.databaseSchema,
      fencing: config.cluster !== null,
    })
  }
  if (config.dataDir) return new SqliteStore(config.dataDir, { synchronous: config.sqliteSynchronous })
  return new MemoryStore()
}

async function asPostgresStore(store: BoardStore): Promise<PostgresStore | null> {
  const { PostgresStore } = await import('./store/postgres.ts')
  return store instanceof PostgresStore ? store : null
}

/**
 * No route matched: under `/api/` a JSON error (405 when the path exists for another
 * method), elsewhere the static site's plain 404 (405 for a method a file can't answer).
 */
function notFound(
  app: { findRoute(options: { method: string; url: string }): { params: Record<string, unknown> } | null },
  request: FastifyRequest,
  reply: FastifyReply,
) {
  const path = pathOnly(request.url)
  // The static files' catch-all (`/*`) answers GET anywhere; it says nothing about the API.
  const allowed = METHODS.filter((method) => {
    const route = method !== request.method && app.findRoute({ method, url: path })
    return route && (route.params['*'] === undefined || !path.startsWith(`${API_PREFIX}/`))
  })
  if (path.startsWith(`${API_PREFIX}/`)) {
    if (allowed.length === 0) return sendError(reply, 404, ApiErrorCode.NotFound, 'No such API endpoint.')
    reply.header('allow', allowed.join(', '))
    return sendError(reply, 405, ApiErrorCode.NotFound, 'No such API endpoint or method.')
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return reply.code(405).header('allow', 'GET, HEAD').send()
  }
  return sendPageNotFound(reply)
}
