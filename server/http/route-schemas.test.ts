/**
 * Every route's request schema is valid JSON Schema. The server's Ajv does not check this at
 * start (`AJV_OPTIONS.validateSchema`: compiling the meta-schema was a large part of a start),
 * so it is checked here, with the same options and the check on.
 */
import Fastify, { type FastifySchema } from 'fastify'
import { Type } from 'typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StipServer, startServer } from '../app.ts'
import { AJV_OPTIONS } from './errors.ts'

/**
 * Registers the schemas on a fresh fastify whose Ajv validates schemas and that compiles them
 * all when ready (the server itself compiles each on first use, compilers.ts); resolves once
 * all compiled.
 */
async function compileChecked(routes: readonly { method: string; url: string; schema?: FastifySchema }[]) {
  const app = Fastify({ ajv: { customOptions: { ...AJV_OPTIONS, validateSchema: true } } })
  for (const { method, url, schema } of routes) {
    if (method === 'HEAD' || !schema) continue
    const { body, params, querystring, headers, response } = schema
    app.route({ method, url, schema: { body, params, querystring, headers, response }, handler: async () => null })
  }
  try {
    await app.ready()
  } finally {
    await app.close()
  }
}

describe('route schemas', () => {
  let server: StipServer
  beforeAll(async () => {
    server = await startServer()
  })
  afterAll(() => server.close())

  it('are valid JSON Schema, and compile, for every route that has one', async () => {
    const checked = server.routes.filter((route) => route.schema?.body || route.schema?.params)
    expect(checked.length).toBeGreaterThan(20)
    await expect(compileChecked(server.routes)).resolves.toBeUndefined()
  })

  it('would be refused here if one were not', async () => {
    // A length below zero: only the meta-schema says so (Ajv compiles it without complaint).
    const wrong = Type.Object({ name: Type.String({ minLength: -1 }) })
    await expect(compileChecked([{ method: 'POST', url: '/x', schema: { body: wrong } }])).rejects.toThrow(/schema/)
  })
})
