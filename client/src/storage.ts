/**
 * localStorage that never throws. It can (private windows, storage disabled by policy on
 * municipal laptops); Stip then simply forgets between visits instead of breaking.
 */

export function safeGet(key: string): string | null {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}

export function safeSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value)
  } catch {
    // Not remembering is acceptable; the page still works.
  }
}
