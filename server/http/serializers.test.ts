import Fastify from 'fastify'
import { Type } from 'typebox'
import { describe, expect, it } from 'vitest'
import { sharedSerializers } from './serializers.ts'

const Named = Type.Object({ name: Type.String() })
const Counted = Type.Object({ count: Type.Integer() })
const route = (schema: object, url = '/a') => ({ schema, url, method: 'GET', httpStatus: '200' })

describe(sharedSerializers, () => {
  it('builds one serializer per schema object and one per schema', () => {
    const compile = sharedSerializers()(undefined, {})
    expect(compile(route(Named, '/a'))).toBe(compile(route(Named, '/b')))
    expect(compile(route(Counted))).not.toBe(compile(route(Named)))
    expect(compile(route(Counted))({ count: 3, secret: 'x' })).toBe('{"count":3}')
  })

  it('keeps a memo per compiler: another set of shared schemas gets its own serializer', () => {
    const factory = sharedSerializers()
    expect(factory(undefined, {})(route(Named))).not.toBe(factory(undefined, {})(route(Named)))
  })

  it('answers each route and status with its own schema in a fastify server', async () => {
    const app = Fastify({ schemaController: { compilersFactory: { buildSerializer: sharedSerializers() } } })
    const response = { 200: Named, '4xx': Counted, '5xx': Counted }
    const body = { name: 'Noordster', count: 7, secret: 'weg' }
    app.get('/one', { schema: { response } }, async () => body)
    app.get('/two', { schema: { response } }, async (_request, reply) => reply.code(404).send(body))
    app.get('/three', { schema: { response: { 200: Counted } } }, async () => body)
    expect((await app.inject('/one')).body).toBe('{"name":"Noordster"}')
    expect((await app.inject('/two')).body).toBe('{"count":7}')
    expect((await app.inject('/three')).body).toBe('{"count":7}')
    await app.close()
  })
})
