/**
 * What the tour's caption says beside a stop's name: the layer's progress, rolled up its
 * teams ("4 van 7 behaald"), and the current iteration. Read once per stop, not on every
 * change: the caption is a snapshot for the few seconds of a stop, and reading all paths
 * on every stroke of a busy board would cost a lobby screen for nothing.
 */
import type { Editor } from 'tldraw'
import { today } from '../../../shared/dates.ts'
import { type IterationRhythm, iterationOf } from '../../../shared/iterations.ts'
import { ROOT_LAYER_ID } from '../../../shared/layers.ts'
import { layerProgress, type PathRecord, readPaths } from '../../../shared/paths.ts'
import { readLayerRecords } from './camera.ts'

export interface StopProgress {
  done: number
  total: number
  iteration: number
}

/** Progress of layer `layerId` (null: the whole board), or null when it has no milestones. */
export function stopProgress(editor: Editor, layerId: string | null, rhythm: IterationRhythm): StopProgress | null {
  const graph = readPaths(editor.store.allRecords() as unknown as PathRecord[])
  const todayIso = today()
  const progress = layerProgress(readLayerRecords(editor), graph, todayIso).get(layerId ?? ROOT_LAYER_ID)
  if (!progress || progress.total === 0) return null
  return { done: progress.done, total: progress.total, iteration: iterationOf(rhythm, todayIso).number }
}
