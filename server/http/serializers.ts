/**
 * Response serializers built once per schema, not once per route and status code.
 *
 * fastify builds a fast-json-stringify serializer for every status code of every route, and
 * again for each GET route's HEAD twin. Every API route answers its errors with the same
 * schema object (`ERRORS`: 4xx and 5xx), so a start built 138 serializers for 33 schemas
 * (a CPU profile of the start: 80 ms of about 610 sampled were `fast-json-stringify`'s
 * `build`). A serializer depends only on its schema and on
 * the options and shared schemas fastify gives the factory, so one built for a schema object
 * serves every route that answers with that object.
 */
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'

type SerializerFactory = ReturnType<typeof SerializerSelector>

/** fastify's default serializer factory, remembering each schema's serializer. */
export function sharedSerializers(): SerializerFactory {
  const build = SerializerSelector()
  return (externalSchemas, options) => {
    // One memo per compiler: fastify asks for a new one where a plugin adds shared schemas
    // (`addSchema`), and a serializer built against other shared schemas may differ.
    const compile = build(externalSchemas, options)
    const built = new WeakMap<object, ReturnType<typeof compile>>()
    return (route) => {
      const schema = route.schema
      if (typeof schema !== 'object' || schema === null) return compile(route)
      let serializer = built.get(schema)
      if (!serializer) {
        serializer = compile(route)
        built.set(schema, serializer)
      }
      return serializer
    }
  }
}
