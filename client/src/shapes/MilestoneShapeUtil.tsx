/**
 * A milestone: one step of a development path, drawn as a card in its layer's colour —
 * the title big enough to read from across the room, then who carries it, its iteration
 * ("Iteratie 5 · 12–25 jan"), and its status as icon and word (never colour alone), with
 * "te laat" when its iteration ended before it was done, and its path's progress ("2/5").
 *
 * Editing: double-click, or Enter with the milestone selected (tldraw's editing state),
 * opens `MilestoneDialog`. The status word on the card is a button that moves it on
 * (planned → in progress → done). Rights are the layer rules' (`layers/rules.ts`), as for
 * any shape: a change someone may not make is undone there.
 */
import { BaseBoxShapeUtil, HTMLContainer, type TLShapeId } from 'tldraw'
import { today } from '../../../shared/dates.ts'
import { formatDateRange, formatIteration, iterationOf } from '../../../shared/iterations.ts'
import { isLayerId, type LayerRecord, layerOfShape } from '../../../shared/layers.ts'
import { isOverdue, pathOfMilestone, pathProgress } from '../../../shared/paths.ts'
import { MILESTONE_SIZE, MILESTONE_TYPE, type MilestoneShape, milestoneSchema } from '../../../shared/schema/index.ts'
import { getLanguage, translate } from '../i18n.ts'
import { LAYER_COLOR_CSS } from '../layers/colors.ts'
import { pathGraphOf } from '../paths/graph.ts'
import { $boardRhythm } from '../paths/rhythm.ts'
import { nextStatus, STATUS_ICON, STATUS_WORD, setMilestoneStatus } from '../paths/status.ts'

export class MilestoneShapeUtil extends BaseBoxShapeUtil<MilestoneShape> {
  static override type = MILESTONE_TYPE
  static override props = milestoneSchema.props
  static override migrations = milestoneSchema.migrations

  override getDefaultProps(): MilestoneShape['props'] {
    const day = today()
    return {
      ...MILESTONE_SIZE,
      title: '',
      description: '',
      owner: '',
      start: day,
      end: day,
      status: 'planned',
      doneAt: null,
    }
  }

  override canEdit(): boolean {
    return true
  }

  override hideRotateHandle(): boolean {
    return true
  }

  override component(shape: MilestoneShape) {
    const language = getLanguage()
    const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) =>
      translate(language, key, values)
    const { w, h, title, owner, start, end, status } = shape.props
    const layerId = layerOfShape(shape)
    const layer = isLayerId(layerId) ? (this.editor.store.get(layerId as never) as LayerRecord | undefined) : undefined
    const color = LAYER_COLOR_CSS[layer?.color ?? 'blue'] ?? LAYER_COLOR_CSS.blue
    const rhythm = $boardRhythm.get()
    const when = rhythm
      ? formatIteration({ ...iterationOf(rhythm, start), start, end }, language)
      : formatDateRange(start, end, language)
    const overdue = isOverdue(shape.props, today())
    const graph = pathGraphOf(this.editor).get()
    const path = pathOfMilestone(graph, shape.id)
    const progress = path ? pathProgress(graph, path, today()) : null
    const isEditor = !this.editor.getInstanceState().isReadonly
    const statusLabel = `${STATUS_ICON[status]} ${t(STATUS_WORD[status])}`
    return (
      <HTMLContainer
        className={`stip-milestone stip-milestone--${status}`}
        data-testid="milestone"
        data-status={status}
        style={{ width: w, height: h, borderColor: color }}
      >
        <div className="stip-milestone__band" style={{ background: color }} />
        <div className="stip-milestone__title">{title || t('paths.untitled')}</div>
        <div className="stip-milestone__meta">
          {owner && <span className="stip-milestone__owner">{owner}</span>}
          <span className="stip-milestone__when">{when}</span>
        </div>
        <div className="stip-milestone__footer">
          {isEditor ? (
            <button
              type="button"
              className="stip-milestone__status"
              data-testid="milestone-status"
              title={t('paths.statusNext')}
              // Ours, not tldraw's: a click on the status must not start a drag or select.
              onPointerDown={(event) => event.stopPropagation()}
              onClick={(event) => {
                event.stopPropagation()
                setMilestoneStatus(this.editor, shape.id as TLShapeId, nextStatus(status))
              }}
            >
              {statusLabel}
            </button>
          ) : (
            <span className="stip-milestone__status">{statusLabel}</span>
          )}
          {overdue && <span className="stip-milestone__overdue">⚠ {t('paths.overdue')}</span>}
          {progress && (
            <span className="stip-milestone__progress" data-testid="milestone-progress">
              {t('paths.layer.progress', { done: progress.done, total: progress.total })}
            </span>
          )}
        </div>
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: MilestoneShape): Path2D {
    const path = new Path2D()
    path.roundRect(0, 0, shape.props.w, shape.props.h, 14)
    return path
  }
}
