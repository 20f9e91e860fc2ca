/**
 * The outline: the drawing as text — Stip's accessible alternative to the canvas (WCAG 2.1
 * AA asks for one). The mission, the strategy, then each layer with its progress, paths and
 * milestones, as real headings and lists a screen reader can walk. Live: it follows the
 * editor's store (`useValue`), so it changes as anyone draws.
 *
 * Two ways in, one content (`OutlineContent`):
 * - `OutlinePanel`: a panel beside the canvas, opened with the button under the layer panel;
 * - `OutlinePage`: the board's outline address (`/b/<board>/outline`), the same board room
 *   with the canvas hidden (see `BoardRoom.tsx`), so it is a real live client.
 *
 * A milestone's status can be changed here with a native `<select>`, where this person may
 * write that milestone's layer (`layerRights`, the server's own rule; facilitators write
 * every layer, a locked layer only they). The change goes through the editor like any
 * change on the canvas, so the layer rules check it, it syncs and the server's gate judges
 * it: done stamps `doneAt` (screens celebrate from it), any other status clears it.
 */
import { createElement, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react'
import { computed, type Editor, isEqual, useValue } from 'tldraw'
import type * as Y from 'yjs'
import { boardPath, outlinePath } from '../../../shared/board.ts'
import { isIsoDate, today } from '../../../shared/dates.ts'
import { formatDateRange, formatIteration } from '../../../shared/iterations.ts'
import { ITERATIONS_SETTING } from '../../../shared/meta.ts'
import type { Progress } from '../../../shared/paths.ts'
import { layerRights } from '../../../shared/rights.ts'
import { MILESTONE_STATUSES, MILESTONE_TYPE, type MilestoneStatus } from '../../../shared/schema/index.ts'
import { type Translate, useI18n } from '../i18n.ts'
import type { LayerView } from '../layers/layerView.ts'
import { rhythmOf } from '../paths/rhythm.ts'
import { useMetaBinding } from '../sync/meta.ts'
import { buildOutline, type OutlineLayer, type OutlineMilestone, type OutlineRecord } from './model.ts'
import './outline.css'

export interface OutlineProps {
  editor: Editor
  view: LayerView
  doc: Y.Doc
  boardId: string
}

/** The outline beside the canvas. */
export function OutlinePanel({ onClose, ...props }: OutlineProps & { onClose: () => void }) {
  const { t } = useI18n()
  const titleId = useId()
  const headingRef = useRef<HTMLHeadingElement>(null)
  // Opening moves the focus here, so a keyboard or screen reader user lands in it.
  useEffect(() => headingRef.current?.focus(), [])
  return (
    <section
      id="stip-outline-panel"
      className="stip-outline stip-outline--panel"
      data-testid="outline-panel"
      aria-labelledby={titleId}
      // Keys typed here are ours, not tldraw's shortcuts.
      onKeyDown={(event) => {
        event.stopPropagation()
        if (event.key === 'Escape') onClose()
      }}
    >
      <header className="stip-outline__header">
        <h2 id={titleId} ref={headingRef} tabIndex={-1}>
          {t('outline.title')}
        </h2>
        <button type="button" data-testid="outline-close" onClick={onClose}>
          {t('outline.close')}
        </button>
      </header>
      <p className="stip-outline__help">
        {t('outline.help')} <a href={outlinePath(props.boardId)}>{t('outline.asPage')}</a>
      </p>
      <OutlineContent {...props} level={3} />
    </section>
  )
}

/** The outline as the whole page (the board's outline address). */
export function OutlinePage({ boardName, ...props }: OutlineProps & { boardName: string }) {
  const { t } = useI18n()
  return (
    <main className="stip-outline stip-outline--page" data-testid="outline-page">
      <header className="stip-outline__header">
        <h1>{boardName || t('outline.title')}</h1>
        <a href={boardPath(props.boardId)} data-testid="outline-to-drawing">
          {t('outline.toDrawing')}
        </a>
      </header>
      <p className="stip-outline__help">{t('outline.help')}</p>
      <OutlineContent {...props} level={2} />
    </main>
  )
}

/** The outline's sections; `level` is the level of their headings. */
function OutlineContent({ editor, view, doc, level }: OutlineProps & { level: number }) {
  const { t, language } = useI18n()
  const rhythmBinding = useMetaBinding(doc, ITERATIONS_SETTING)
  const isFacilitator = view.scope.role === 'facilitator'
  const $outline = useMemo(
    () =>
      computed(
        'stip outline',
        () => {
          const shapes = editor.store.query.records('shape').get()
          const bindings = editor.store.query.records('binding').get()
          return buildOutline([...shapes, ...bindings] as unknown as OutlineRecord[], {
            layers: view.$layers.get(),
            today: today(),
            // The number every screen shows: the board's rhythm, or the default one (`paths/rhythm.ts`).
            rhythm: rhythmOf(rhythmBinding).effective,
            showHidden: isFacilitator,
            pagePoint: (record) => {
              const bounds = editor.getShapePageBounds(record.id as never)
              return bounds ? { x: bounds.x, y: bounds.y } : { x: record.x ?? 0, y: record.y ?? 0 }
            },
          })
        },
        // A move that changes no order or text is no news: no render for every remote drag.
        { isEqual },
      ),
    [editor, view, rhythmBinding, isFacilitator],
  )
  const outline = useValue($outline)
  const layers = useValue(view.$layers)
  const mayWrite = useMemo(() => layerRights(layers, view.scope), [layers, view.scope])
  const [announcement, setAnnouncement] = useState('')

  const setStatus = (milestone: OutlineMilestone, status: MilestoneStatus) => {
    const shape = editor.getShape(milestone.id as never)
    if (!shape || shape.type !== MILESTONE_TYPE || shape.props.status === status) return
    // [1] tldraw writes nothing while read-only, which it is when the layer one draws in is not writable.
    if (editor.getIsReadonly() && view.canWriteIn(milestone.layerId)) view.setActive(milestone.layerId)
    editor.markHistoryStoppingPoint('milestone status')
    editor.updateShape({
      id: shape.id,
      type: MILESTONE_TYPE,
      props: { status, doneAt: status === 'done' ? Date.now() : null },
    })
    const title = milestone.title || t('outline.untitled')
    setAnnouncement(t('outline.changed', { title, status: t(`outline.status.${status}`) }))
  }

  const when = (milestone: OutlineMilestone) =>
    milestone.iteration
      ? formatIteration(milestone.iteration, language)
      : isIsoDate(milestone.start) && isIsoDate(milestone.end)
        ? formatDateRange(milestone.start, milestone.end, language)
        : ''

  const renderMilestone = (milestone: OutlineMilestone) => {
    const title = milestone.title || t('outline.untitled')
    const details = [
      when(milestone),
      milestone.owner && t('outline.owner', { owner: milestone.owner }),
      milestone.overdue && t('outline.overdue'),
    ].filter(Boolean)
    return (
      <li
        key={milestone.id}
        className="stip-outline__milestone"
        data-testid="outline-milestone"
        data-milestone-id={milestone.id}
        data-status={milestone.status}
      >
        <span className="stip-outline__milestone-title">{title}</span>
        {mayWrite(milestone.layerId) ? (
          <label className="stip-outline__status">
            {t('outline.status')}
            <select
              data-testid="outline-status"
              aria-label={t('outline.statusOf', { title })}
              value={milestone.status}
              onChange={(event) => setStatus(milestone, event.target.value as MilestoneStatus)}
            >
              {MILESTONE_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`outline.status.${status}`)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="stip-outline__status">
            {t('outline.status')}: {t(`outline.status.${milestone.status}`)}
          </span>
        )}
        {details.length > 0 && (
          <span className={`stip-outline__details${milestone.overdue ? ' stip-outline__details--overdue' : ''}`}>
            {details.join(' · ')}
          </span>
        )}
        {milestone.description && <span className="stip-outline__description">{milestone.description}</span>}
      </li>
    )
  }

  const renderLayer = (node: OutlineLayer, at: number): ReactNode => (
    <li key={node.layer.id} className="stip-outline__layer" data-testid="outline-layer" data-layer-id={node.layer.id}>
      <Heading level={at}>
        {node.layer.name}
        {!node.layer.visible && <small> · {t('outline.hiddenLayer')}</small>}
        {node.layer.locked && <small> · {t('outline.lockedLayer')}</small>}
      </Heading>
      <p className="stip-outline__progress" data-testid="outline-layer-progress">
        {progressText(t, node.progress)}
      </p>
      {node.paths.length > 0 && (
        <ol className="stip-outline__paths">
          {node.paths.map((path) => (
            <li key={path.id} data-testid="outline-path" data-path-id={path.id}>
              <Heading level={at + 1}>
                {t('outline.path', { number: path.number })} —{' '}
                {t(path.reachesNorthStar ? 'outline.reaches' : 'outline.notReaches')}
              </Heading>
              {path.milestones.length > 0 ? (
                <>
                  <p className="stip-outline__progress">{progressText(t, path.progress)}</p>
                  <ol className="stip-outline__milestones">{path.milestones.map(renderMilestone)}</ol>
                </>
              ) : (
                <p>{t('outline.emptyPath')}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {node.loose.length > 0 && (
        <>
          <Heading level={at + 1}>{t('outline.loose')}</Heading>
          <ul className="stip-outline__milestones" data-testid="outline-loose">
            {node.loose.map(renderMilestone)}
          </ul>
        </>
      )}
      {node.children.length > 0 && (
        <ul className="stip-outline__layers">{node.children.map((child) => renderLayer(child, at + 1))}</ul>
      )}
    </li>
  )

  return (
    <div className="stip-outline__content">
      <section data-testid="outline-mission">
        <Heading level={level}>{t('outline.mission')}</Heading>
        {outline.mission ? <p className="stip-outline__mission">{outline.mission}</p> : <p>{t('outline.noMission')}</p>}
        {outline.subtitle && <p className="stip-outline__subtitle">{outline.subtitle}</p>}
      </section>
      <section data-testid="outline-strategy">
        <Heading level={level}>{t('outline.strategy')}</Heading>
        {outline.strategy.length > 0 ? (
          <ul>
            {outline.strategy.map((text, i) => (
              // Texts may repeat; their place in reading order is what tells them apart.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <li key={i}>{text}</li>
            ))}
          </ul>
        ) : (
          <p>{t('outline.noStrategy')}</p>
        )}
      </section>
      {outline.root && (
        <section data-testid="outline-layers">
          <Heading level={level}>{t('outline.layers')}</Heading>
          <ul className="stip-outline__layers">{renderLayer(outline.root, level + 1)}</ul>
        </section>
      )}
      <p className="stip-visually-hidden" role="status" data-testid="outline-announcement">
        {announcement}
      </p>
    </div>
  )
}

/** "3 van 7 behaald, 1 te laat". */
function progressText(t: Translate, progress: Progress): string {
  if (progress.total === 0) return t('outline.noMilestones')
  const values = { done: progress.done, total: progress.total, overdue: progress.overdueIds.length }
  return t(values.overdue > 0 ? 'outline.progressOverdue' : 'outline.progress', values)
}

/** `<h1>`…`<h6>`; deeper levels stay `<h6>` (a team's team in a department). */
function Heading({ level, children }: { level: number; children: ReactNode }) {
  return createElement(`h${Math.min(Math.max(level, 1), 6)}`, null, children)
}

// [1] The board is read-only for tldraw while the active layer (where new shapes go) is one
//     this person may not write, e.g. a locked department they opened. Changing a milestone
//     in a layer they may write then makes that layer the active one, as drawing in it would.
