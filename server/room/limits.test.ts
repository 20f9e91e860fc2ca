/** Reading the limits from the environment: defaults, raised values, and the floors below which honest clients would be closed. */
import { describe, expect, it } from 'vitest'
import { ROOM_TURN_BYTES } from '../../shared/slices.ts'
import { DEFAULT_LIMITS, readLimits } from './limits.ts'

const read = (env: NodeJS.ProcessEnv) => readLimits(env, (message) => new Error(message))

describe(readLimits, () => {
  it('takes the defaults, and a raised byte bound per update', () => {
    expect(read({})).toEqual(DEFAULT_LIMITS)
    expect(read({ STIP_MAX_UPDATE_BYTES: String(1024 * 1024) }).maxUpdateBytes).toBe(1024 * 1024)
  })

  it('refuses a byte bound per update below what the client sends in one slice', () => {
    expect(read({ STIP_MAX_UPDATE_BYTES: String(ROOM_TURN_BYTES) }).maxUpdateBytes).toBe(ROOM_TURN_BYTES)
    expect(() => read({ STIP_MAX_UPDATE_BYTES: String(ROOM_TURN_BYTES - 1) })).toThrow(/STIP_MAX_UPDATE_BYTES/)
    expect(() => read({ STIP_MAX_UPDATE_BYTES: 'lots' })).toThrow(/STIP_MAX_UPDATE_BYTES/)
  })
})
