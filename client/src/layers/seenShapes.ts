/**
 * Which shapes have been on screen at least once, for `LayerShapeWrapper` (it draws a
 * shape's content only from then on). One watcher per editor reads tldraw's culled set;
 * each shape that has not been seen yet registers a callback and is told once, when it
 * first leaves the culled set [1].
 */
import { type Editor, react, type TLShapeId, unsafe__withoutCapture } from 'tldraw'

export class SeenShapes {
  private readonly seen = new Set<TLShapeId>()
  private readonly waiting = new Map<TLShapeId, () => void>()

  private constructor(private readonly editor: Editor) {
    const stop = react('mark shapes seen', () => {
      const culled = editor.getCulledShapes()
      for (const [id, show] of this.waiting) {
        if (culled.has(id)) continue
        this.waiting.delete(id)
        this.seen.add(id)
        show()
      }
    })
    editor.disposables.add(stop)
  }

  private static readonly byEditor = new WeakMap<Editor, SeenShapes>()

  static of(editor: Editor): SeenShapes {
    let seen = SeenShapes.byEditor.get(editor)
    if (!seen) {
      seen = new SeenShapes(editor)
      SeenShapes.byEditor.set(editor, seen)
    }
    return seen
  }

  /** Whether the shape is on screen now or has been; reads the culled set without subscribing. */
  isSeen(id: TLShapeId): boolean {
    if (this.seen.has(id)) return true
    // Read in a render: without capture, the component does not come to depend on the set.
    if (unsafe__withoutCapture(() => this.editor.getCulledShapes()).has(id)) return false
    this.seen.add(id)
    return true
  }

  /**
   * Calls `show` once, when the shape is first on screen (at once if it is now); returns
   * a function that cancels that.
   */
  whenSeen(id: TLShapeId, show: () => void): () => void {
    if (this.isSeen(id)) {
      show()
      return () => {}
    }
    this.waiting.set(id, show)
    return () => {
      if (this.waiting.get(id) === show) this.waiting.delete(id)
    }
  }
}

// [1] A subscription per shape made every camera move touch every unseen shape: tldraw's
//     signals walk each dependent of the camera and check its parents, so panning a board
//     of 5,000 shapes spent most of each frame on 5,000 "seen" values that did not change
//     (a page profile of the pan, `STIP_BENCH_CPU_PROF`). One watcher reads the culled set
//     once per change of it, and only shapes that became visible re-render.
