import { describe, expect, it } from 'vitest'
import {
  addMinute,
  clockOffset,
  formatSeconds,
  MAX_TIMER_MS,
  parseDuration,
  pauseTimer,
  readTimer,
  refuseTimer,
  remainingSeconds,
  resumeTimer,
  serverNow,
  startTimer,
} from './timer.ts'

const SERVER_START = 1_800_000_000_000

describe('the timer read through clock offsets', () => {
  it('shows the same remaining second on two devices whose clocks are minutes apart', () => {
    // The server's clock at the moment both devices measure their offset.
    const timer = startTimer(10 * 60_000, SERVER_START)
    const fast = 7 * 60_000 + 431 // this laptop's clock runs 7 min ahead
    const slow = -3 * 60_000 - 77 // this phone's, 3 min behind
    const offsetFast = clockOffset({
      sentAt: SERVER_START + fast - 40,
      serverTime: SERVER_START,
      receivedAt: SERVER_START + fast + 40,
    })
    const offsetSlow = clockOffset({
      sentAt: SERVER_START + slow - 120,
      serverTime: SERVER_START,
      receivedAt: SERVER_START + slow + 120,
    })
    expect(offsetFast).toBe(-fast)
    expect(offsetSlow).toBe(-slow)
    for (const elapsed of [0, 999, 1000, 61_500, 599_001, 600_000, 700_000]) {
      const onFast = remainingSeconds(timer, serverNow(offsetFast, SERVER_START + fast + elapsed))
      const onSlow = remainingSeconds(timer, serverNow(offsetSlow, SERVER_START + slow + elapsed))
      expect(onFast).toBe(onSlow)
      expect(onFast).toBe(Math.max(0, Math.ceil((600_000 - elapsed) / 1000)))
    }
  })

  it('an asymmetric round trip costs at most half of it', () => {
    // Sent at 0, the server read its clock at 90 (true offset 0), the answer came at 100.
    expect(clockOffset({ sentAt: 0, serverTime: 90, receivedAt: 100 })).toBe(40)
  })

  it('never shows more than was set, on a device whose estimate of the server clock lags', () => {
    const timer = startTimer(10 * 60_000, SERVER_START)
    // This device thinks the server's clock is 700 ms earlier than it is.
    expect(remainingSeconds(timer, SERVER_START - 700)).toBe(600)
    expect(remainingSeconds(timer, SERVER_START + 1)).toBe(600)
    expect(remainingSeconds(pauseTimer(timer, SERVER_START - 700), SERVER_START)).toBe(600)
  })

  it('pauses, resumes and adds a minute without drifting', () => {
    let timer = startTimer(5 * 60_000, SERVER_START)
    timer = pauseTimer(timer, SERVER_START + 60_000)
    expect(timer.endsAt).toBeNull()
    expect(remainingSeconds(timer, SERVER_START + 10 * 60_000)).toBe(240) // paused: time stands
    timer = resumeTimer(timer, SERVER_START + 10 * 60_000)
    expect(remainingSeconds(timer, SERVER_START + 10 * 60_000 + 30_000)).toBe(210)
    timer = addMinute(timer, SERVER_START + 10 * 60_000 + 30_000)
    expect(remainingSeconds(timer, SERVER_START + 10 * 60_000 + 30_000)).toBe(270)
    expect(refuseTimer(timer)).toBeNull()
  })

  it('never goes past 99:59, nor below 0', () => {
    const long = startTimer(MAX_TIMER_MS + 60_000, SERVER_START)
    expect(long.durationMs).toBe(MAX_TIMER_MS)
    expect(remainingSeconds(addMinute(long, SERVER_START), SERVER_START)).toBe(MAX_TIMER_MS / 1000)
    expect(remainingSeconds(long, SERVER_START + MAX_TIMER_MS + 5_000)).toBe(0)
  })

  it('reads what a facilitator types', () => {
    expect(parseDuration('10')).toBe(600_000)
    expect(parseDuration('2:30')).toBe(150_000)
    expect(parseDuration('99:59')).toBe(MAX_TIMER_MS)
    expect(parseDuration('0:00')).toBeNull()
    expect(parseDuration('1:75')).toBeNull()
    expect(parseDuration('100')).toBeNull()
    expect(formatSeconds(599)).toBe('9:59')
  })

  it('refuses a stored timer that is neither running nor paused, or has fields it does not know', () => {
    expect(refuseTimer({ durationMs: 1000, endsAt: null, pausedRemainingMs: null, sound: false })).toMatch(/paused/)
    expect(refuseTimer({ durationMs: 1000, endsAt: 5, pausedRemainingMs: 3, sound: false })).toMatch(/either/)
    expect(refuseTimer({ ...startTimer(1000, SERVER_START), ticks: 1 })).toMatch(/unknown/)
    expect(refuseTimer('10:00')).toMatch(/object/)
    expect(readTimer({ durationMs: -1, endsAt: 1, pausedRemainingMs: null, sound: false })).toBeNull()
    expect(refuseTimer(undefined)).toBeNull()
  })
})
