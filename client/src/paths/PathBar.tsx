/**
 * The path bar: appears above the canvas when one milestone or one path start is selected,
 * and offers what a team does with its development path — add the next milestone, insert
 * one after this, move it earlier or later, remove it, open it, and reconnect a broken
 * path to the north star — with the path's progress and whether it reaches the north star.
 * Every button is a real button, so all of it works by keyboard.
 */
import { type Editor, useValue } from 'tldraw'
import { today } from '../../../shared/dates.ts'
import type { IterationRhythm } from '../../../shared/iterations.ts'
import { pathOfMilestone, pathProgress } from '../../../shared/paths.ts'
import { MILESTONE_TYPE, PATH_START_TYPE } from '../../../shared/schema/index.ts'
import { useI18n } from '../i18n.ts'
import type { LayerView } from '../layers/layerView.ts'
import {
  addNextMilestone,
  connectToNorthStar,
  insertMilestoneAfter,
  moveMilestone,
  removeMilestone,
} from './actions.ts'
import { pathGraphOf } from './graph.ts'

export function PathBar({ editor, view, rhythm }: { editor: Editor; view: LayerView; rhythm: IterationRhythm }) {
  const { t } = useI18n()
  const selected = useValue('path selection', () => {
    const only = editor.getOnlySelectedShape()
    return only && (only.type === MILESTONE_TYPE || only.type === PATH_START_TYPE) ? only.id : null
  }, [editor])
  const graph = useValue(pathGraphOf(editor))
  const editingLayers = useValue(view.$layers)
  if (!selected) return null
  const path = graph.paths.find((candidate) => candidate.id === selected) ?? pathOfMilestone(graph, selected)
  if (!path) return null
  const mayWrite = editingLayers.has(path.layerId) ? view.canWriteIn(path.layerId) : false
  const context = { editor, view, rhythm }
  const progress = pathProgress(graph, path, today())
  const at = path.milestoneIds.indexOf(selected)
  const isMilestone = at >= 0

  return (
    <section
      className="stip-path-bar"
      data-testid="path-bar"
      aria-label={t('paths.bar.label')}
      onKeyDown={(event) => event.stopPropagation()}
    >
      <span className="stip-path-bar__progress" data-testid="path-progress">
        {t('paths.bar.progress', { done: progress.done, total: progress.total })}
      </span>
      <span
        className={`stip-path-bar__reach${path.reachesNorthStar ? '' : ' stip-path-bar__reach--broken'}`}
        data-testid="path-reach"
        data-reaches={String(path.reachesNorthStar)}
      >
        {path.reachesNorthStar ? `★ ${t('paths.bar.reaches')}` : `⚠ ${t('paths.bar.broken')}`}
      </span>
      {mayWrite && (
        <span className="stip-path-bar__actions">
          {isMilestone && (
            <button type="button" data-testid="path-edit" onClick={() => editor.setEditingShape(selected)}>
              {t('paths.bar.edit')}
            </button>
          )}
          <button type="button" data-testid="path-next" onClick={() => addNextMilestone(context, path)}>
            + {t('paths.bar.next')}
          </button>
          {isMilestone && at < path.milestoneIds.length - 1 && (
            <button
              type="button"
              data-testid="path-insert"
              onClick={() => insertMilestoneAfter(context, path, selected)}
            >
              {t('paths.bar.insert')}
            </button>
          )}
          {isMilestone && (
            <>
              <button
                type="button"
                data-testid="path-earlier"
                disabled={at === 0}
                onClick={() => moveMilestone(context, path, selected, -1)}
              >
                ← {t('paths.bar.earlier')}
              </button>
              <button
                type="button"
                data-testid="path-later"
                disabled={at === path.milestoneIds.length - 1}
                onClick={() => moveMilestone(context, path, selected, 1)}
              >
                {t('paths.bar.later')} →
              </button>
              <button type="button" data-testid="path-remove" onClick={() => removeMilestone(context, path, selected)}>
                {t('paths.bar.remove')}
              </button>
            </>
          )}
          {!path.reachesNorthStar && (
            <button type="button" data-testid="path-connect" onClick={() => connectToNorthStar(context, path)}>
              {t('paths.bar.connect')}
            </button>
          )}
        </span>
      )}
    </section>
  )
}
