/**
 * "The drawing is alive": shapes that changed in the last moments, so the display can
 * glow where people are drawing. A bounded list (at most `MAX_HIGHLIGHTS`, the newest
 * win) that empties itself, with a single timer that runs only while something glows —
 * a display left on for months must not grow with every stroke it has ever seen.
 */
import { atom, type Editor, type Signal, type TLShapeId } from 'tldraw'

export const HIGHLIGHT_MS = 2_000
export const MAX_HIGHLIGHTS = 24
/** How often the list is published and pruned; a stroke fires many changes per second. */
const FLUSH_MS = 200

export interface Highlight {
  id: TLShapeId
  /** When it last changed (ms); the overlay restarts its glow when this moves. */
  changedAt: number
}

export interface Highlights {
  $highlights: Signal<readonly Highlight[]>
  dispose(): void
}

export function trackHighlights(editor: Editor, now: () => number = Date.now): Highlights {
  const $highlights = atom<readonly Highlight[]>('stip display highlights', [])
  // Insertion-ordered: deleting and re-adding moves a shape to the end (newest).
  const changed = new Map<TLShapeId, number>()
  let timer: ReturnType<typeof setTimeout> | undefined

  const flush = () => {
    timer = undefined
    const cutoff = now() - HIGHLIGHT_MS
    for (const [id, at] of changed) if (at < cutoff || !editor.store.has(id)) changed.delete(id)
    $highlights.set([...changed].map(([id, changedAt]) => ({ id, changedAt })))
    if (changed.size > 0) timer = setTimeout(flush, FLUSH_MS)
  }

  const stopListening = editor.store.listen(
    ({ changes }) => {
      const at = now()
      for (const record of [...Object.values(changes.added), ...Object.values(changes.updated).map(([, to]) => to)]) {
        if (record.typeName !== 'shape') continue
        const id = record.id as TLShapeId
        changed.delete(id)
        changed.set(id, at)
      }
      while (changed.size > MAX_HIGHLIGHTS) changed.delete(changed.keys().next().value as TLShapeId)
      if (changed.size > 0 && timer === undefined) timer = setTimeout(flush, FLUSH_MS)
    },
    { scope: 'document' },
  )

  return {
    $highlights,
    dispose() {
      stopListening()
      clearTimeout(timer)
      changed.clear()
      $highlights.set([])
    },
  }
}
