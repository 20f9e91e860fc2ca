/**
 * Serves the built client with @fastify/static. Hashed assets are cached for a year;
 * index.html never, so an upgrade reaches every browser on its next load. `/` and any
 * `/b/…` path are the app (client-side routing). The Content-Security-Policy keeps every
 * request on this origin, on every answer here, the 404 and the "not built" 503 included.
 */
import fs from 'node:fs'
import path from 'node:path'
import send from '@fastify/send'
import fastifyStatic from '@fastify/static'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { ROUTES } from '../../shared/routes.ts'
import type { HttpContext } from './context.ts'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "frame-src 'none'",
  // No other site may show Stip in a frame (clickjacking: a hidden board under a fake button).
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ')

export const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/** Vite puts content-hashed files here: a changed file gets a new name, so caching is safe. */
const HASHED_DIR = 'assets'
const INDEX = 'index.html'
const HASHED_CACHE = 'public, max-age=31536000, immutable'
const NOT_BUILT = 'The Stip client is not built. Run `npm start` (it builds) or `npm run build`.'

/** A plain-text answer with the security headers (404, 503). */
export function sendText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).headers(SECURITY_HEADERS).type('text/plain; charset=utf-8').send(text)
}

export const sendPageNotFound = (reply: FastifyReply) => sendText(reply, 404, 'Not found')

// JavaScript is `text/javascript` (RFC 9239), as Stip always served it; the `mime` table that
// @fastify/static's file sender uses still says `application/javascript`.
send.mime.define({ 'text/javascript': ['js', 'mjs'] }, true)

export const staticRoutes: FastifyPluginAsyncTypebox<HttpContext> = async (app, context) => {
  const root = path.resolve(context.config.clientDir)
  const hashedRoot = path.join(root, HASHED_DIR) + path.sep

  await app.register(fastifyStatic, {
    root,
    // `/` and `/b/…` are the app, answered below; a directory is never listed or indexed.
    index: false,
    redirect: false,
    cacheControl: false,
    setHeaders(res, file) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value)
      res.setHeader('cache-control', file.startsWith(hashedRoot) ? HASHED_CACHE : 'no-cache')
    },
  })

  const serveApp = async (_request: unknown, reply: FastifyReply) => {
    // Checked on each request, like any file: `npm run build` while the server runs just works.
    if (!fs.existsSync(path.join(root, INDEX))) return sendText(reply, 503, NOT_BUILT)
    return reply.sendFile(INDEX)
  }
  const schema = {
    tags: ['app'],
    produces: ['text/html'],
    response: {
      200: Type.String({ description: 'The app’s index.html (never cached).' }),
      503: Type.String({ description: 'The client is not built yet.' }),
    },
  }
  app.get(ROUTES.home, { schema: { ...schema, summary: 'The app' } }, serveApp)
  app.get(ROUTES.app, { schema: { ...schema, summary: 'A board in the app (routed by the client)' } }, serveApp)
  app.get(
    ROUTES.adminPage,
    { schema: { ...schema, summary: 'The administrator’s page (routed by the client)' } },
    serveApp,
  )
}
