/**
 * Spotlight a layer (`meta.spotlight`, facilitators only): every participant and wall
 * display drills into that layer (as the layer navigation does, `client/src/layers/
 * navigation.ts`) until it is released (the key deleted, or null).
 */
import { isLayerId } from './layers.ts'

export const META_SPOTLIGHT_KEY = 'spotlight'

/** Why `value` may not be stored as `meta.spotlight`; null if it may. */
export function refuseSpotlight(value: unknown): string | null {
  if (value === undefined || value === null) return null
  if (!isLayerId(value) || value.length > 200) return 'the spotlight is a layer id or null'
  return null
}

/** The spotlit layer's id, or null. */
export function readSpotlight(value: unknown): string | null {
  return isLayerId(value) ? value : null
}
