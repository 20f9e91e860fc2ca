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
 *
 * The routes that people and wall displays call when they come back right after a restart
 * are compiled after listening, too (`warmUp`, one route part per turn of the event loop, so
 * requests and sync frames go between them): left to the first requests, the first API
 * request after a start took 36 ms instead of 22 (building Ajv and its route's code). The
 * others (the administrator's, versions, history…) stay lazy: warming every route kept about
 * 5 MiB more in an idle server. A request that comes before its route is warm compiles it itself.
 */
import { AjvCompiler, type ValidatorCompiler, type ValidatorFactory } from '@fastify/ajv-compiler'
import { sharedSerializers } from './serializers.ts'

type SerializerFactory = ReturnType<typeof sharedSerializers>
type SerializerCompiler = ReturnType<SerializerFactory>
type Validator = ReturnType<ValidatorCompiler>

/** Route parts made but not compiled yet, each compiling itself when called, with its route's pattern. */
const cold = new Map<() => void, string | undefined>()

/** `make`, called once on first use (or by `warmUp`), its result kept. */
function onFirstUse<T>(url: string | undefined, make: () => T): () => T {
  let made: { value: T } | undefined
  const get = (): T => {
    if (!made) {
      made = { value: make() }
      cold.delete(get)
    }
    return made.value
  }
  cold.set(get, url)
  return get
}

/**
 * Compiles the route parts not compiled yet of the routes whose pattern is in `urls` (all of
 * them without it), one per turn of the event loop (`setImmediate`), so requests and sync
 * frames go between them. Resolves when they are compiled.
 */
export async function warmUp(urls?: ReadonlySet<string>): Promise<void> {
  for (const [compile, url] of [...cold]) {
    if (urls && (url === undefined || !urls.has(url))) continue
    await new Promise((resolve) => setImmediate(resolve))
    try {
      compile()
    } catch {
      // A schema that does not compile fails its route's requests, which say so (and
      // route-schemas.test.ts keeps that from shipping); the others still warm up.
    }
  }
}

/** fastify's default Ajv validators, each compiled (and the Ajv instance built) on first use. */
export function lazyValidators(factory: ValidatorFactory = AjvCompiler()): ValidatorFactory {
  return (externalSchemas, options) => {
    let compiler: ValidatorCompiler | undefined
    return (route) => {
      const compile = onFirstUse(route.url, () => {
        compiler ??= factory(externalSchemas, options)
        return compiler(route)
      })
      const validate = ((data: unknown) => {
        const check = compile()
        const result = check(data)
        // fastify reads a failed check's errors from the function it was given.
        validate.errors = check.errors
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
      const build = onFirstUse(route.url, () => {
        compile ??= factory(externalSchemas, options)
        return compile(route)
      })
      return (data: unknown) => build()(data)
    }
  }
}
