/**
 * React hook: watches a board's milestones for as long as the editor is mounted
 * (`celebrations.ts`), for the board room to draw the overlay and the wall display to move
 * its camera. Disposed with the editor: no listener or timer outlives it.
 */
import { useEffect, useState } from 'react'
import type { Editor } from 'tldraw'
import { type CelebrationWatch, watchCelebrations } from './celebrations.ts'

export function useCelebrations(editor: Editor | null, boardId: string): CelebrationWatch | null {
  const [watch, setWatch] = useState<CelebrationWatch | null>(null)
  useEffect(() => {
    if (!editor) return
    const watching = watchCelebrations(editor, boardId)
    setWatch(watching)
    return () => {
      watching.dispose()
      setWatch(null)
    }
  }, [editor, boardId])
  return watch
}
