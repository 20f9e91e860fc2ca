/**
 * The board's paths as one live value per editor: `readPaths` (`shared/paths.ts`) over the
 * page's shapes and bindings, recomputed when those change and never for a camera move or
 * a cursor. The layer panel, the path bar, the outline, the celebration and the display's
 * caption all read this one, so they agree and it is computed once per change.
 */
import { computed, type Editor, isEqual, type Signal } from 'tldraw'
import { type PathGraph, type PathRecord, readPaths } from '../../../shared/paths.ts'

/**
 * Whether two readings say the same: dragging a shape changes no path, so nothing that
 * shows paths renders again for each frame of someone's drag.
 */
function sameGraph(a: PathGraph, b: PathGraph): boolean {
  return (
    isEqual(a.paths, b.paths) &&
    isEqual(a.looseMilestoneIds, b.looseMilestoneIds) &&
    a.milestones.size === b.milestones.size &&
    [...a.milestones].every(([id, milestone]) => isEqual(milestone, b.milestones.get(id)))
  )
}

const graphs = new WeakMap<Editor, Signal<PathGraph>>()

export function pathGraphOf(editor: Editor): Signal<PathGraph> {
  let graph = graphs.get(editor)
  if (!graph) {
    const $bindings = editor.store.query.records('binding')
    graph = computed(
      'stip paths',
      () => {
        const records = [...editor.getCurrentPageShapes(), ...$bindings.get()] as unknown as PathRecord[]
        return readPaths(records)
      },
      { isEqual: sameGraph },
    )
    graphs.set(editor, graph)
  }
  return graph
}
