/** Small statistics helpers for the benchmark tables. */

export interface Summary {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** Nearest-rank percentiles of `values` (ms). An empty list gives NaN everywhere. */
export function summarize(values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort()
  const at = (q: number) =>
    sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  return {
    n: sorted.length,
    p50: at(0.5),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted.length ? sorted[sorted.length - 1] : Number.NaN,
  }
}

export function median(values: number[]): number {
  return summarize(values).p50
}

/** Rounds for tables: 2 significant decimals below 10, 1 below 100, none above. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value
  const abs = Math.abs(value)
  const digits = abs < 10 ? 2 : abs < 100 ? 1 : 0
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** `stip / better baseline`, or NaN when either is missing. */
export function ratio(stip: number, baseline: number): number {
  return Number.isFinite(stip) && Number.isFinite(baseline) && baseline > 0 ? stip / baseline : Number.NaN
}

/** Wall clock in ms with sub-millisecond precision, comparable across processes on one machine. */
export function now(): number {
  return performance.timeOrigin + performance.now()
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `check` until it is true or `timeoutMs` passed; returns whether it became true. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  everyMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await check()) return true
    if (Date.now() >= deadline) return false
    await sleep(everyMs)
  }
}
