/**
 * Keeps the lobby screen from dimming or sleeping while the display shows the board
 * (Screen Wake Lock API). The browser drops the lock whenever the page is hidden, so it is
 * asked for again each time the page becomes visible. Unsupported or refused (no HTTPS,
 * power saving): ignored — the kiosk's own power settings are then the fallback.
 */
export function keepScreenAwake(): () => void {
  const wakeLock = (navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockSentinel> } })
    .wakeLock
  if (!wakeLock) return () => {}
  let sentinel: WakeLockSentinel | null = null
  let stopped = false
  const request = () => {
    if (stopped || document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return
    wakeLock.request('screen').then(
      (lock) => {
        if (stopped) void lock.release()
        else sentinel = lock
      },
      () => {
        // Refused: nothing to do but try again on the next visibility change.
      },
    )
  }
  document.addEventListener('visibilitychange', request)
  request()
  return () => {
    stopped = true
    document.removeEventListener('visibilitychange', request)
    void sentinel?.release().catch(() => {})
    sentinel = null
  }
}
