/**
 * Seeded randomness, so that a failing fuzz or convergence test fails the same way again.
 * The seed is printed by the tests that use it; `STIP_TEST_SEED` overrides it.
 */

/** mulberry32: a tiny 32-bit PRNG, good enough to shape test input. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Random {
  seed: number
  /** A float in [0, 1). */
  next(): number
  /** An integer in [min, max] (inclusive). */
  int(min: number, max: number): number
  pick<T>(items: readonly T[]): T
  bytes(length: number): Uint8Array
  /** A url-safe identifier of `length` characters. */
  id(length?: number): string
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-'

export function createRandom(defaultSeed: number): Random {
  const fromEnv = Number.parseInt(process.env.STIP_TEST_SEED ?? '', 10)
  const seed = Number.isFinite(fromEnv) ? fromEnv : defaultSeed
  const next = mulberry32(seed)
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  return {
    seed,
    next,
    int,
    pick: (items) => items[int(0, items.length - 1)],
    bytes: (length) => Uint8Array.from({ length }, () => int(0, 255)),
    id: (length = 12) => Array.from({ length }, () => ID_ALPHABET[int(0, ID_ALPHABET.length - 1)]).join(''),
  }
}
