/**
 * Bounded waiting. Tests wait for a condition, never for a fixed time, and every wait
 * has a deadline so that a broken server fails a test instead of hanging it.
 */

export interface WaitOptions {
  /** Give up after this long. */
  timeoutMs?: number
  /** How often to check the condition. */
  intervalMs?: number
  /** Describes what was awaited, for the error message. */
  message?: string
}

/** Resolves once `condition` returns a truthy value (or a promise of one), with that value. */
export async function waitFor<T>(
  condition: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 10, message = 'condition' }: WaitOptions = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const value = await condition()
      if (value) return value as NonNullable<T>
    } catch (error) {
      lastError = error
    }
    if (Date.now() >= deadline) {
      const detail = lastError === undefined ? '' : ` (last error: ${String(lastError)})`
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${message}${detail}`)
    }
    await delay(intervalMs)
  }
}

/** Rejects if `promise` has not settled within `timeoutMs`. */
export async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${message}`)), timeoutMs)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
