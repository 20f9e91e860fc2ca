/**
 * The lazy route compilers: nothing compiled before a route's first request or the warm-up
 * after listening, then fastify's own checks and serializers.
 */
import Fastify from 'fastify'
import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { lazySerializers, lazyValidators, warmUp } from './compilers.ts'
import { AJV_OPTIONS } from './errors.ts'
import { sharedSerializers } from './serializers.ts'

type SerializerRoute = Parameters<ReturnType<ReturnType<typeof sharedSerializers>>>[0]

/** A fastify app on the lazy compilers that lists each response serializer as it is compiled. */
function countingApp(name: (route: SerializerRoute) => string) {
  const compiled: string[] = []
  const serializers = sharedSerializers()
  const app = Fastify({
    ajv: { customOptions: AJV_OPTIONS },
    schemaController: {
      compilersFactory: {
        buildValidator: lazyValidators(),
        buildSerializer: lazySerializers((externalSchemas, options) => {
          const compile = serializers(externalSchemas, options)
          return (route) => {
            compiled.push(name(route))
            return compile(route)
          }
        }),
      },
    },
  })
  return { app, compiled }
}

describe('lazy compilers', () => {
  it('compile a route part only when it is first called', async () => {
    const asked: string[] = []
    const app = Fastify({
      ajv: { customOptions: AJV_OPTIONS },
      schemaController: {
        compilersFactory: {
          buildValidator: lazyValidators(),
          buildSerializer: (externalSchemas, options) => {
            const compile = lazySerializers()(externalSchemas, options)
            return (route) => {
              const serializer = compile(route)
              return (data) => {
                asked.push(`${route.url} ${route.httpStatus}`)
                return serializer(data)
              }
            }
          },
        },
      },
    })
    const Named = Type.Object({ name: Type.String({ minLength: 2 }) })
    app.post('/named', { schema: { body: Named, response: { 200: Named } } }, async (request) => ({
      ...(request.body as object),
      secret: 'weg',
    }))
    await app.ready()
    expect(asked).toEqual([])
    const ok = await app.inject({ method: 'POST', url: '/named', payload: { name: 'Noordster' } })
    expect(ok.body).toBe('{"name":"Noordster"}')
    expect(asked).toEqual(['/named 200'])
    // A failed check carries Ajv's errors, as with fastify's eager compiler.
    const refused = await app.inject({ method: 'POST', url: '/named', payload: { name: 'N' } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().message).toMatch(/name/)
    const again = await app.inject({ method: 'POST', url: '/named', payload: { name: 'Wit' } })
    expect(again.body).toBe('{"name":"Wit"}')
    await app.close()
  })
  it('are all compiled by the warm-up, without a request', async () => {
    const { app, compiled } = countingApp((route) => `${route.url} ${route.httpStatus}`)
    const Named = Type.Object({ name: Type.String() })
    app.post('/warm', { schema: { response: { 200: Named } } }, async () => ({ name: 'Stip' }))
    await app.ready()
    expect(compiled).toEqual([])
    await warmUp()
    expect(compiled).toEqual(['/warm 200'])
    const ok = await app.inject({ method: 'POST', url: '/warm' })
    expect(ok.body).toBe('{"name":"Stip"}')
    expect(compiled).toEqual(['/warm 200']) // not compiled again
    await app.close()
  })
  it('warm only the routes named, when given some', async () => {
    const { app, compiled } = countingApp((route) => `${route.method} ${route.url}`)
    const Named = Type.Object({ name: Type.String() })
    app.get('/hot/:id', { schema: { response: { 200: Named } } }, async () => ({ name: 'Stip' }))
    app.get('/cold', { schema: { response: { 200: Named } } }, async () => ({ name: 'Koud' }))
    await app.ready()
    await warmUp(new Set(['/hot/:id']))
    // fastify's HEAD route for the GET is warm too: same pattern.
    expect(compiled).toEqual(['GET /hot/:id', 'HEAD /hot/:id'])
    const cold = await app.inject({ method: 'GET', url: '/cold' })
    expect(cold.body).toBe('{"name":"Koud"}')
    expect(compiled).toEqual(['GET /hot/:id', 'HEAD /hot/:id', 'GET /cold'])
    await app.close()
  })
})
