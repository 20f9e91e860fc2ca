/**
 * The wall display: read-only and always showing the whole drawing. It refits when the
 * drawing changes and when the screen resizes, a moment after things settle, so a burst
 * of strokes does not make the view twitch.
 */
import type { Editor } from 'tldraw'

const SETTLE_MS = 800

/** Makes `editor` a read-only display that keeps all content in view; returns a stop function. */
export function keepFitted(editor: Editor): () => void {
  editor.updateInstanceState({ isReadonly: true })
  const fit = () => {
    if (editor.getCurrentPageShapeIds().size > 0) editor.zoomToFit({ animation: { duration: 400 } })
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const fitSoon = () => {
    clearTimeout(timer)
    timer = setTimeout(fit, SETTLE_MS)
  }
  editor.zoomToFit()
  // Any source: on a display every change is remote.
  const stopListening = editor.store.listen(fitSoon, { scope: 'document' })
  window.addEventListener('resize', fitSoon)
  return () => {
    clearTimeout(timer)
    stopListening()
    window.removeEventListener('resize', fitSoon)
  }
}
