/** The lazy route compilers: nothing compiled before a route's first request, then fastify's own checks and serializers. */
import Fastify from 'fastify'
import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { lazySerializers, lazyValidators } from './compilers.ts'
import { AJV_OPTIONS } from './errors.ts'

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
})
