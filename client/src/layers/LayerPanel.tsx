/**
 * The layer panel: the board's layer tree, and everything a person may do with it — open a
 * layer (drill down), draw in it (active), hide it for themselves, and, as far as their
 * rights go (the server's `checkChange` on the change a button would make), add, rename,
 * recolour, move, nest, lock, hide for everyone, delete, and make a participant link for it.
 *
 * Every action is a real button with a label; moving also works with Alt+arrow keys on a
 * row and with drag and drop (top/bottom edge of a row: before/after it, middle: inside).
 */
import { type DragEvent, type KeyboardEvent, useMemo, useState } from 'react'
import { computed, type Editor, useValue } from 'tldraw'
import { today } from '../../../shared/dates.ts'
import type { StoredRecord } from '../../../shared/doc.ts'
import type { IterationRhythm } from '../../../shared/iterations.ts'
import {
  ancestorsOf,
  flattenLayers,
  LAYER_COLORS,
  type LayerChange,
  type LayerRecord,
  ROOT_LAYER_ID,
  subtreeOf,
} from '../../../shared/layers.ts'
import { type LayerProgress, layerProgress } from '../../../shared/paths.ts'
import { checkChange } from '../../../shared/rights.ts'
import { createScopedLink } from '../api.ts'
import { type Translate, useI18n } from '../i18n.ts'
import { startPath } from '../paths/actions.ts'
import { arrangeAroundNorthStar } from '../paths/arrange.ts'
import { pathGraphOf } from '../paths/graph.ts'
import { CopyLink } from '../ui/CopyLink.tsx'
import { applyLayerChange, planAdd, planDelete, planDrop, planStep, planUpdate } from './actions.ts'
import { LAYER_COLOR_CSS } from './colors.ts'
import type { LayerView } from './layerView.ts'
import type { LayerNavigation } from './navigation.ts'

type Editing = { kind: 'new'; parentId: string } | { kind: 'rename'; id: string } | null
type DropPosition = 'before' | 'inside' | 'after'
type Step = 'up' | 'down' | 'indent' | 'outdent'

const STEP_KEYS: Record<string, Step> = { ArrowUp: 'up', ArrowDown: 'down', ArrowRight: 'indent', ArrowLeft: 'outdent' }

export interface LayerPanelProps {
  editor: Editor
  view: LayerView
  navigation: LayerNavigation
  boardId: string
  token: string
  /** The board's iteration rhythm: where "Start a path" plans its first milestone. */
  rhythm: IterationRhythm
}

export function LayerPanel({ editor, view, navigation, boardId, token, rhythm }: LayerPanelProps) {
  const { t } = useI18n()
  const layers = useValue(view.$layers)
  const locallyHidden = useValue(view.$locallyHidden)
  const active = useValue(view.$active)
  const focus = useValue(view.$focus)
  // Recounted on every shape change, but a move changes no count: an equal result keeps the
  // previous map, so the panel does not render again for each remote drag.
  const $counts = useMemo(
    () =>
      computed(
        'layer shape counts',
        () => {
          const map = new Map<string, number>()
          for (const shape of editor.getCurrentPageShapes()) {
            const id = view.effectiveLayer(shape)
            map.set(id, (map.get(id) ?? 0) + 1)
          }
          return map
        },
        { isEqual: sameCounts },
      ),
    [editor, view],
  )
  const counts = useValue($counts)
  const graph = useValue(pathGraphOf(editor))
  const progress = useMemo(() => layerProgress(layers, graph, today()), [layers, graph])
  const [open, setOpen] = useState(() => window.innerWidth >= 700)
  const [editing, setEditing] = useState<Editing>(null)
  const [menuFor, setMenuFor] = useState<string | null>(null)
  const [deleting, setDeleting] = useState<string | null>(null)
  const [linkFor, setLinkFor] = useState<{ layer: LayerRecord; link?: string; error?: string } | null>(null)
  const [drag, setDrag] = useState<{ id: string; over?: string; position?: DropPosition } | null>(null)

  const { scope } = view
  const isFacilitator = scope.role === 'facilitator'

  /** Whether the server would accept this change (with the shapes it deletes): it decides. */
  const allowed = (change: LayerChange, shapeIds: readonly string[] = []): boolean =>
    change.ok &&
    checkChange(scope, {
      before: (id) => editor.store.get(id as never) as StoredRecord | undefined,
      layers,
      written: new Map(change.put.map((layer) => [layer.id, layer as unknown as StoredRecord])),
      deleted: new Set([...change.remove, ...shapeIds]),
    }).ok
  const apply = (change: LayerChange, shapeIds?: string[]) =>
    allowed(change, shapeIds) && applyLayerChange(editor, change, shapeIds)
  const canUpdate = (id: string) => allowed(planUpdate(layers, id, { name: layers.get(id)?.name ?? '' }))
  const canAddTo = (parentId: string) => allowed(planAdd(layers, parentId, 'x'))
  const mayDrawIn = (id: string) => view.canWriteIn(id)

  const onRowKeyDown = (event: KeyboardEvent, id: string) => {
    const step = event.altKey ? STEP_KEYS[event.key] : undefined
    if (!step) return
    event.preventDefault()
    apply(planStep(layers, id, step))
  }

  const dropPosition = (event: DragEvent<HTMLElement>): DropPosition => {
    const rect = event.currentTarget.getBoundingClientRect()
    const y = (event.clientY - rect.top) / rect.height
    return y < 0.3 ? 'before' : y > 0.7 ? 'after' : 'inside'
  }

  const rows = flattenLayers(layers)
  const nameInput = (depth: number, initial: string, onDone: (name: string | null) => void) => (
    <NameInput key="name-input" depth={depth} initial={initial} onDone={onDone} t={t} />
  )

  return (
    <section
      className={`stip-layer-panel${open ? '' : ' stip-layer-panel--closed'}`}
      data-testid="layer-panel"
      aria-label={t('layers.title')}
      // Keys typed here are ours, not tldraw's shortcuts.
      onKeyDown={(event) => event.stopPropagation()}
    >
      <header className="stip-layer-panel__header">
        <button
          type="button"
          className="stip-layer-panel__toggle"
          aria-expanded={open}
          // The visible word is the name (WCAG 2.5.3); aria-expanded says open or closed.
          title={t('layers.togglePanel')}
          onClick={() => setOpen(!open)}
        >
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> {t('layers.title')}
        </button>
        {open && canAddTo(ROOT_LAYER_ID) && (
          <button
            type="button"
            data-testid="layer-add"
            className="stip-icon-button"
            aria-label={t('layers.add')}
            title={t('layers.add')}
            onClick={() => setEditing({ kind: 'new', parentId: ROOT_LAYER_ID })}
          >
            +
          </button>
        )}
      </header>
      {open && (
        <>
          <ul className="stip-layer-list">
            {rows.map(({ layer, depth }) => {
              const hiddenHere = locallyHidden.has(layer.id) || !layer.visible
              const hidden = hiddenHere || isAncestorHidden(layers, locallyHidden, layer.id)
              const mayDraw = view.canWriteIn(layer.id)
              const isDropTarget = drag?.over === layer.id
              const row = (
                <li
                  key={layer.id}
                  data-testid="layer-row"
                  data-layer-id={layer.id}
                  data-active={String(active === layer.id)}
                  data-hidden={String(hidden)}
                  data-open={String(focus === layer.id)}
                  className={[
                    'stip-layer-row',
                    active === layer.id && 'stip-layer-row--active',
                    hidden && 'stip-layer-row--hidden',
                    isDropTarget && `stip-layer-row--drop-${drag?.position}`,
                  ]
                    .filter(Boolean)
                    .join(' ')}
                  style={{ paddingLeft: `${0.4 + depth * 1.1}rem` }}
                  draggable={layer.id !== ROOT_LAYER_ID && canUpdate(layer.id)}
                  onKeyDown={(event) => onRowKeyDown(event, layer.id)}
                  onDragStart={(event) => {
                    event.dataTransfer.setData('text/plain', layer.id)
                    event.dataTransfer.effectAllowed = 'move'
                    setDrag({ id: layer.id })
                  }}
                  onDragOver={(event) => {
                    if (!drag) return
                    const position = dropPosition(event)
                    if (!allowed(planDrop(layers, drag.id, layer.id, position))) return
                    event.preventDefault()
                    if (drag.over !== layer.id || drag.position !== position)
                      setDrag({ ...drag, over: layer.id, position })
                  }}
                  onDragLeave={() => drag?.over === layer.id && setDrag({ id: drag.id })}
                  onDrop={(event) => {
                    event.preventDefault()
                    if (drag) apply(planDrop(layers, drag.id, layer.id, dropPosition(event)))
                    setDrag(null)
                  }}
                  onDragEnd={() => setDrag(null)}
                >
                  <span
                    className="stip-layer-row__swatch"
                    style={{ background: LAYER_COLOR_CSS[layer.color] }}
                    aria-hidden="true"
                  />
                  {editing?.kind === 'rename' && editing.id === layer.id ? (
                    nameInput(0, layer.name, (name) => {
                      if (name) apply(planUpdate(layers, layer.id, { name }))
                      setEditing(null)
                    })
                  ) : (
                    <button
                      type="button"
                      className="stip-layer-row__name"
                      aria-pressed={active === layer.id}
                      disabled={!mayDraw}
                      title={mayDraw ? t('layers.setActive', { name: layer.name }) : t('layers.readOnly')}
                      onClick={() => view.setActive(layer.id)}
                      onDoubleClick={() => canUpdate(layer.id) && setEditing({ kind: 'rename', id: layer.id })}
                    >
                      {layer.name}
                      {!layer.visible && <small> · {t('layers.hiddenAll')}</small>}
                      {layer.locked && <small> · {t('layers.locked')}</small>}
                    </button>
                  )}
                  <PathBadge progress={progress.get(layer.id)} t={t} />
                  <span
                    className="stip-layer-row__count"
                    title={t('layers.count', { count: counts.get(layer.id) ?? 0 })}
                  >
                    {counts.get(layer.id) ?? 0}
                  </span>
                  <button
                    type="button"
                    className="stip-icon-button"
                    data-testid="layer-visibility"
                    aria-pressed={!locallyHidden.has(layer.id)}
                    aria-label={t(locallyHidden.has(layer.id) ? 'layers.showLocal' : 'layers.hideLocal', {
                      name: layer.name,
                    })}
                    title={t(locallyHidden.has(layer.id) ? 'layers.showLocal' : 'layers.hideLocal', {
                      name: layer.name,
                    })}
                    onClick={() => view.toggleLocallyHidden(layer.id)}
                  >
                    <EyeIcon closed={hiddenHere} />
                  </button>
                  <button
                    type="button"
                    className="stip-icon-button"
                    data-testid="layer-open"
                    aria-label={t('layers.open', { name: layer.name })}
                    title={t('layers.open', { name: layer.name })}
                    onClick={() => navigation.open(layer.id)}
                  >
                    <span aria-hidden="true">⤢</span>
                  </button>
                  {canAddTo(layer.id) && (
                    <button
                      type="button"
                      className="stip-icon-button"
                      data-testid="layer-add-child"
                      aria-label={t('layers.addChild', { name: layer.name })}
                      title={t('layers.addChild', { name: layer.name })}
                      onClick={() => setEditing({ kind: 'new', parentId: layer.id })}
                    >
                      +
                    </button>
                  )}
                  <button
                    type="button"
                    className="stip-icon-button"
                    data-testid="layer-menu"
                    aria-expanded={menuFor === layer.id}
                    aria-label={t('layers.menu', { name: layer.name })}
                    title={t('layers.menu', { name: layer.name })}
                    onClick={() => setMenuFor(menuFor === layer.id ? null : layer.id)}
                  >
                    <span aria-hidden="true">⋯</span>
                  </button>
                </li>
              )
              const menu = menuFor === layer.id && (
                <li key={`${layer.id}-menu`} className="stip-layer-menu" data-testid="layer-menu-items">
                  <LayerMenu
                    layer={layer}
                    t={t}
                    canUpdate={canUpdate(layer.id)}
                    canStartPath={layer.id !== ROOT_LAYER_ID && mayDrawIn(layer.id)}
                    canArrange={layer.id === ROOT_LAYER_ID && isFacilitator}
                    onArrange={() => {
                      setMenuFor(null)
                      arrangeAroundNorthStar(editor, layers, (shape) => view.effectiveLayer(shape))
                    }}
                    onStartPath={() => {
                      setMenuFor(null)
                      startPath({ editor, view, rhythm }, layer.id)
                    }}
                    isFacilitator={isFacilitator}
                    stepAllowed={(step) => allowed(planStep(layers, layer.id, step))}
                    deleteAllowed={allowed(planDelete(editor, layers, layer.id))}
                    onStep={(step) => apply(planStep(layers, layer.id, step))}
                    onUpdate={(fields) => apply(planUpdate(layers, layer.id, fields))}
                    onRename={() => {
                      setEditing({ kind: 'rename', id: layer.id })
                      setMenuFor(null)
                    }}
                    onDelete={() => {
                      setDeleting(layer.id)
                      setMenuFor(null)
                    }}
                    onLink={() => {
                      setMenuFor(null)
                      setLinkFor({ layer })
                      void createScopedLink(boardId, token, layer.id).then((result) =>
                        setLinkFor(result.ok ? { layer, link: result.value.link } : { layer, error: result.message }),
                      )
                    }}
                  />
                </li>
              )
              const adding =
                editing?.kind === 'new' &&
                editing.parentId === layer.id &&
                nameInput(depth + 1, '', (name) => {
                  if (name) {
                    const change = planAdd(layers, layer.id, name)
                    if (apply(change) && change.ok) {
                      const [created] = change.put
                      if (created && view.canWriteIn(created.id)) view.setActive(created.id)
                    }
                  }
                  setEditing(null)
                })
              return [row, menu, adding]
            })}
          </ul>
          <p className="stip-layer-panel__hint">{t('layers.keys')}</p>
        </>
      )}
      {deleting && layers.has(deleting) && (
        <DeleteDialog
          t={t}
          layer={layers.get(deleting) as LayerRecord}
          layerCount={subtreeOf(layers, deleting).size - 1}
          shapeCount={planDelete(editor, layers, deleting).shapeIds?.length ?? 0}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const change = planDelete(editor, layers, deleting)
            if (focus && change.ok && change.remove.includes(focus)) navigation.open(null, 'replace')
            apply(change, change.shapeIds)
            setDeleting(null)
          }}
        />
      )}
      {linkFor && (
        <div className="stip-modal" role="dialog" aria-modal="true" aria-labelledby="stip-link-title">
          <div className="stip-card stip-form" data-testid="layer-link-dialog">
            <h2 id="stip-link-title">{t('layers.linkTitle', { name: linkFor.layer.name })}</h2>
            <p>{t('layers.linkHelp', { name: linkFor.layer.name })}</p>
            {linkFor.link && <CopyLink url={linkFor.link} />}
            {linkFor.error && <p className="stip-error">{t('layers.linkError', { message: linkFor.error })}</p>}
            {!linkFor.link && !linkFor.error && <p>…</p>}
            <button type="button" onClick={() => setLinkFor(null)}>
              {t('layers.close')}
            </button>
          </div>
        </div>
      )}
    </section>
  )
}

/** Whether an ancestor is hidden for this person or for everyone (then so is this layer). */
function isAncestorHidden(layers: ReadonlyMap<string, LayerRecord>, hidden: ReadonlySet<string>, id: string): boolean {
  return ancestorsOf(layers, id).some((ancestor) => !ancestor.visible || hidden.has(ancestor.id))
}

function NameInput({
  depth,
  initial,
  onDone,
  t,
}: {
  depth: number
  initial: string
  onDone: (name: string | null) => void
  t: Translate
}) {
  const [value, setValue] = useState(initial)
  return (
    <li className="stip-layer-row stip-layer-row--input" style={{ paddingLeft: `${0.4 + depth * 1.1}rem` }}>
      <input
        // biome-ignore lint/a11y/noAutofocus: the person just asked to type a name
        autoFocus
        data-testid="layer-name-input"
        aria-label={t('layers.nameLabel')}
        placeholder={t('layers.namePlaceholder')}
        maxLength={80}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onDone(value.trim() || null)
          if (event.key === 'Escape') onDone(null)
        }}
        onBlur={() => onDone(value.trim() && value.trim() !== initial ? value.trim() : null)}
      />
    </li>
  )
}

function LayerMenu(props: {
  layer: LayerRecord
  t: Translate
  canUpdate: boolean
  canStartPath: boolean
  onStartPath: () => void
  canArrange: boolean
  onArrange: () => void
  isFacilitator: boolean
  stepAllowed: (step: Step) => boolean
  deleteAllowed: boolean
  onStep: (step: Step) => void
  onUpdate: (fields: Partial<Pick<LayerRecord, 'color' | 'visible' | 'locked'>>) => void
  onRename: () => void
  onDelete: () => void
  onLink: () => void
}) {
  const { layer, t, canUpdate, isFacilitator } = props
  const isRoot = layer.id === ROOT_LAYER_ID
  const steps: [Step, Parameters<Translate>[0]][] = [
    ['up', 'layers.moveUp'],
    ['down', 'layers.moveDown'],
    ['indent', 'layers.indent'],
    ['outdent', 'layers.outdent'],
  ]
  return (
    <div className="stip-layer-menu__body">
      {props.canStartPath && (
        <button type="button" data-testid="layer-start-path" onClick={props.onStartPath}>
          {t('paths.start')}
        </button>
      )}
      {props.canArrange && (
        <button type="button" data-testid="layer-arrange" onClick={props.onArrange}>
          {t('paths.arrange')}
        </button>
      )}
      {canUpdate && (
        <>
          <button type="button" data-testid="layer-rename" onClick={props.onRename}>
            {t('layers.rename')}
          </button>
          <fieldset className="stip-layer-menu__colors">
            <legend>{t('layers.color')}</legend>
            {LAYER_COLORS.map((color) => (
              <button
                key={color}
                type="button"
                className="stip-color-button"
                data-testid="layer-color"
                data-color={color}
                aria-pressed={layer.color === color}
                aria-label={t('layers.colorName', { color })}
                title={color}
                style={{ background: LAYER_COLOR_CSS[color] }}
                onClick={() => props.onUpdate({ color })}
              />
            ))}
          </fieldset>
          {!isRoot &&
            steps.map(([step, label]) => (
              <button
                key={step}
                type="button"
                data-testid={`layer-move-${step}`}
                disabled={!props.stepAllowed(step)}
                onClick={() => props.onStep(step)}
              >
                {t(label)}
              </button>
            ))}
        </>
      )}
      {isFacilitator && (
        <>
          <button type="button" data-testid="layer-lock" onClick={() => props.onUpdate({ locked: !layer.locked })}>
            {t(layer.locked ? 'layers.unlock' : 'layers.lock')}
          </button>
          {!isRoot && (
            <button
              type="button"
              data-testid="layer-hide-all"
              onClick={() => props.onUpdate({ visible: !layer.visible })}
            >
              {t(layer.visible ? 'layers.hideAll' : 'layers.showAll')}
            </button>
          )}
          {!isRoot && (
            <button type="button" data-testid="layer-link" onClick={props.onLink}>
              {t('layers.link')}
            </button>
          )}
        </>
      )}
      {props.deleteAllowed && (
        <button type="button" data-testid="layer-delete" className="stip-danger" onClick={props.onDelete}>
          {t('layers.delete')}
        </button>
      )}
    </div>
  )
}

function DeleteDialog(props: {
  t: Translate
  layer: LayerRecord
  layerCount: number
  shapeCount: number
  onCancel: () => void
  onConfirm: () => void
}) {
  const { t } = props
  return (
    <div className="stip-modal" role="alertdialog" aria-modal="true" aria-labelledby="stip-delete-text">
      <div className="stip-card stip-form">
        <p id="stip-delete-text">
          {t('layers.deleteConfirm', { name: props.layer.name, layers: props.layerCount, shapes: props.shapeCount })}
        </p>
        <div className="stip-form__actions">
          <button type="button" onClick={props.onCancel}>
            {t('layers.cancel')}
          </button>
          <button type="button" className="stip-danger" data-testid="layer-delete-confirm" onClick={props.onConfirm}>
            {t('layers.delete')}
          </button>
        </div>
      </div>
    </div>
  )
}

function EyeIcon({ closed }: { closed: boolean }) {
  return (
    <svg
      width="18"
      height="18"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <path d="M2 12s3.6-7 10-7 10 7 10 7-3.6 7-10 7S2 12 2 12z" />
      <circle cx="12" cy="12" r="3" />
      {closed && <line x1="3" y1="3" x2="21" y2="21" />}
    </svg>
  )
}

function sameCounts(a: Map<string, number>, b: Map<string, number>): boolean {
  if (a.size !== b.size) return false
  for (const [id, count] of a) if (b.get(id) !== count) return false
  return true
}

/**
 * A layer's development-path progress in its row: milestones reached of all (its own and
 * its sub-layers'), what is overdue, and a warning when a path does not reach the north star.
 */
function PathBadge({ progress, t }: { progress: LayerProgress | undefined; t: Translate }) {
  if (!progress || (progress.total === 0 && progress.paths === 0)) return null
  const overdue = progress.overdueIds.length
  const label = [
    t('paths.layer.progressLabel', { done: progress.done, total: progress.total }),
    overdue > 0 && t('paths.layer.overdue', { count: overdue }),
    progress.brokenPaths === 1 && t('paths.layer.broken'),
    progress.brokenPaths > 1 && t('paths.layer.brokenMany', { count: progress.brokenPaths }),
  ]
    .filter(Boolean)
    .join(' · ')
  return (
    <span
      className="stip-layer-row__progress"
      data-testid="layer-progress"
      data-done={progress.done}
      data-total={progress.total}
      data-overdue={overdue}
      data-broken={progress.brokenPaths}
      title={label}
      aria-label={label}
      role="img"
    >
      {t('paths.layer.progress', { done: progress.done, total: progress.total })}
      {overdue > 0 && <span className="stip-layer-row__overdue"> ⚠{overdue}</span>}
      {progress.brokenPaths > 0 && <span className="stip-layer-row__broken"> ✗</span>}
    </span>
  )
}
