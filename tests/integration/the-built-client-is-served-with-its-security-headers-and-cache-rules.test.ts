/**
 * The built client: every answer carries the Content-Security-Policy and the other
 * security headers; hashed assets are cached for a year, index.html never; `/` and any
 * `/b/…` path are the app; a missing file is a plain 404, and before the client is built
 * the app answers 503 with a line saying how to build it.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../../server/http/static.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'
import { createTempDir, type TempDir } from '../helpers/temp-dir.ts'

const INDEX = '<!doctype html><title>Stip</title><script type="module" src="/assets/x-1a2b3c.js"></script>'
const SCRIPT = 'console.log("stip")'

describe('the built client', () => {
  let clientDir: TempDir
  let server: TestServer

  beforeAll(async () => {
    clientDir = await createTempDir('stip-client-')
    await mkdir(join(clientDir.path, 'assets'))
    await writeFile(join(clientDir.path, 'index.html'), INDEX)
    await writeFile(join(clientDir.path, 'assets', 'x-1a2b3c.js'), SCRIPT)
    await writeFile(join(clientDir.path, 'manifest.webmanifest'), '{}')
    server = await startTestServer({ clientDir: clientDir.path })
  })

  afterAll(async () => {
    await server?.stop()
    await clientDir?.remove()
  })

  const get = (path: string) => fetch(`${server.url}${path}`, { redirect: 'manual' })

  function expectSecurityHeaders(response: Response) {
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
    // No other site may frame Stip (clickjacking).
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  }

  it('serves index.html for / and every /b/… path, never cached', async () => {
    for (const path of ['/', '/b/someBoardId0000000000', '/b/someBoardId0000000000/l/jeugd']) {
      const response = await get(path)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(response.headers.get('cache-control')).toBe('no-cache')
      expectSecurityHeaders(response)
      expect(await response.text()).toBe(INDEX)
    }
  })

  it('caches hashed assets for a year and other files not at all', async () => {
    const asset = await get('/assets/x-1a2b3c.js')
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/)
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expectSecurityHeaders(asset)
    expect(await asset.text()).toBe(SCRIPT)

    const manifest = await get('/manifest.webmanifest')
    expect(manifest.status).toBe(200)
    expect(manifest.headers.get('cache-control')).toBe('no-cache')
    expectSecurityHeaders(manifest)
  })

  it('answers a missing file, or one outside the client, with a plain 404', async () => {
    for (const path of ['/assets/missing.js', '/nothing.html', '/..%2fpackage.json', '/assets/../../package.json']) {
      const response = await get(path)
      expect(response.status, path).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
      expectSecurityHeaders(response)
    }
  })

  it('answers 503 with how to build it while the client is not built', async () => {
    await rm(join(clientDir.path, 'index.html'))
    try {
      for (const path of ['/', '/b/someBoardId0000000000']) {
        const response = await get(path)
        expect(response.status, path).toBe(503)
        expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
        expectSecurityHeaders(response)
        expect(await response.text()).toContain('npm run build')
      }
    } finally {
      await writeFile(join(clientDir.path, 'index.html'), INDEX)
    }
  })
})
