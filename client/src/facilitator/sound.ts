/**
 * The timer's soft end sound, made on the spot with WebAudio (two gentle sine tones that
 * fade out): no audio file to fetch, nothing to bundle. Browsers allow sound only after the
 * person has interacted with the page; before that `play` does nothing, quietly.
 */
let context: AudioContext | null = null

export function playSoftChime(): void {
  try {
    context ??= new AudioContext()
    const audio = context
    if (audio.state === 'suspended') void audio.resume()
    const start = audio.currentTime + 0.05
    for (const [index, frequency] of [660, 880].entries()) {
      const oscillator = audio.createOscillator()
      const gain = audio.createGain()
      oscillator.type = 'sine'
      oscillator.frequency.value = frequency
      const at = start + index * 0.35
      gain.gain.setValueAtTime(0, at)
      gain.gain.linearRampToValueAtTime(0.18, at + 0.04)
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 1.2)
      oscillator.connect(gain).connect(audio.destination)
      oscillator.start(at)
      oscillator.stop(at + 1.3)
    }
  } catch {
    // No audio on this device: the timer still shows the end.
  }
}
