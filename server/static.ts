/**
 * Serves the built client. Hashed assets are cached for a year; index.html never, so an
 * upgrade reaches every browser on its next load. Any `/b/…` path is the app (client-side
 * routing). The Content-Security-Policy keeps every request on this origin.
 */
import fs from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.webmanifest': 'application/manifest+json',
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ')

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

export function serveStatic(clientDir: string, req: IncomingMessage, res: ServerResponse, pathname: string): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end()
    return
  }
  const isApp = pathname === '/' || pathname.startsWith('/b/')
  const file = isApp ? path.join(clientDir, 'index.html') : safeJoin(clientDir, pathname)
  let stat: fs.Stats | undefined
  try {
    stat = file ? fs.statSync(file) : undefined
  } catch {
    stat = undefined
  }
  if (!file || !stat?.isFile()) {
    const missingBuild = isApp
    res.writeHead(missingBuild ? 503 : 404, { 'content-type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS })
    res.end(
      missingBuild ? 'The Stip client is not built. Run `npm start` (it builds) or `npm run build`.' : 'Not found',
    )
    return
  }
  const hashed = pathname.startsWith('/assets/')
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': stat.size,
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    ...SECURITY_HEADERS,
  })
  if (req.method === 'HEAD') res.end()
  else fs.createReadStream(file).pipe(res)
}

/** Joins a URL path onto the root, refusing anything that escapes it. */
function safeJoin(root: string, pathname: string): string | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0')) return undefined
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`)
  return file.startsWith(root + path.sep) ? file : undefined
}
