/**
 * Route validators and serializers compiled when a route first needs them, not at start.
 *
 * fastify compiles every route's Ajv validators and fast-json-stringify serializers when the
 * server becomes ready. A CPU profile of `npm start` had that as the largest part of a start
 * (about 120 of 450 sampled ms, `compileSchemasForValidation` and
 * `compileSchemasForSerialization` under avvio's ready), and its generated code stayed in
 * memory for routes nobody calls. Here fastify gets, for each route part, a function that
 * compiles on its first call (a few ms, once per route) and then runs what it compiled. The
 * schemas and compilers are fastify's own, so what is validated and sent stays the same; that
 * every schema compiles is checked by a test (route-schemas.test.ts), since a start no longer
 * would.
 */
import { AjvCompiler, type ValidatorCompiler, type ValidatorFactory } from '@fastify/ajv-compiler'
import { sharedSerializers } from './serializers.ts'

type SerializerFactory = ReturnType<typeof sharedSerializers>
type SerializerCompiler = ReturnType<SerializerFactory>
type Validator = ReturnType<ValidatorCompiler>

/** fastify's default Ajv validators, each compiled (and the Ajv instance built) on first use. */
export function lazyValidators(factory: ValidatorFactory = AjvCompiler()): ValidatorFactory {
  return (externalSchemas, options) => {
    let compiler: ValidatorCompiler | undefined
    return (route) => {
      let compiled: Validator | undefined
      const validate = ((data: unknown) => {
        if (!compiled) {
          compiler ??= factory(externalSchemas, options)
          compiled = compiler(route)
        }
        const result = compiled(data)
        // fastify reads a failed check's errors from the function it was given.
        validate.errors = compiled.errors
        return result
      }) as Validator
      return validate
    }
  }
}

/**
 * Serializers from `factory` (by default `sharedSerializers`: one per schema object), each
 * built on first use; the factory itself is asked only then.
 */
export function lazySerializers(factory: SerializerFactory = sharedSerializers()): SerializerFactory {
  return (externalSchemas, options) => {
    let compile: SerializerCompiler | undefined
    return (route) => {
      let serializer: ReturnType<SerializerCompiler> | undefined
      return (data: unknown) => {
        if (!serializer) {
          compile ??= factory(externalSchemas, options)
          serializer = compile(route)
        }
        return serializer(data)
      }
    }
  }
}
