/**
 * `/api/openapi.json` is the contract a municipality's IT scripts against, so it must be a
 * valid OpenAPI 3 document and list every route the server answers: this walks fastify's
 * own route table and fails on any route the document leaves out (new ones included).
 */
import { validate } from '@readme/openapi-parser'
import type { OpenAPIV3_1 } from 'openapi-types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROUTES } from '../../shared/routes.ts'
import { startTestServer, type TestServer } from '../helpers/server.ts'

/** Routes the document leaves out on purpose, each with its reason. */
const NOT_DOCUMENTED: { method: string; url: string; why: string }[] = [
  // The built client's files (`/assets/index-3f9a….js`, fonts, icons): their names change
  // with every build, and they are the app's business, not an API.
  { method: 'GET', url: '/*', why: 'the built client’s files' },
  { method: 'HEAD', url: '/*', why: 'the built client’s files' },
]

/** fastify's `/api/boards/:boardId` is OpenAPI's `/api/boards/{boardId}`; `/b/*` is `/b/{*}`. */
function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z]+)/g, '{$1}').replace(/\*$/, '{*}')
}

describe('the OpenAPI document', () => {
  let server: TestServer
  let document: OpenAPIV3_1.Document

  beforeAll(async () => {
    server = await startTestServer()
    const response = await fetch(`${server.url}${ROUTES.openapi}`)
    expect(response.status).toBe(200)
    document = (await response.json()) as OpenAPIV3_1.Document
  })

  afterAll(async () => {
    await server?.stop()
  })

  it('validates as OpenAPI 3', async () => {
    expect(document.openapi).toMatch(/^3\./)
    // The validator dereferences in place: give it a copy, keep ours as served.
    const result = await validate(structuredClone(document))
    expect(result.valid ? [] : result.errors).toEqual([])
  })

  it('lists every route the server answers', () => {
    const routes = server.server.routes
    expect(routes.length).toBeGreaterThan(10)
    const undocumented = routes
      .filter(({ method, url }) => !NOT_DOCUMENTED.some((skip) => skip.method === method && skip.url === url))
      // fastify answers HEAD for every GET by itself; the document lists the GET.
      .filter(({ method, url }) => !(method === 'HEAD' && routes.some((r) => r.method === 'GET' && r.url === url)))
      .filter(({ method, url }) => {
        const operations = document.paths?.[openApiPath(url)] as Record<string, unknown> | undefined
        return !operations?.[method.toLowerCase()]
      })
      .map(({ method, url }) => `${method} ${url}`)
    expect(undocumented).toEqual([])
  })

  it('documents each API route’s error answers and who may call it', () => {
    const boardInfo = document.paths?.[openApiPath(ROUTES.board)]?.get
    expect(Object.keys(boardInfo?.responses ?? {})).toEqual(expect.arrayContaining(['200', '4XX']))
    expect(boardInfo?.security).toEqual([{ capabilityToken: [] }])
  })

  it('lists no route the server does not have', () => {
    const served = new Set(server.server.routes.map(({ url }) => openApiPath(url)))
    expect(Object.keys(document.paths ?? {}).filter((path) => !served.has(path))).toEqual([])
  })
})
