/**
 * The north star — "de stip op de horizon": the board's mission, drawn as a bright dot
 * rising on a horizon line, the mission big above it and a short subtitle below.
 *
 * Exactly one per board, created by the server (`NORTH_STAR_ID`). The rules that keep it
 * that way (never deleted, only facilitators change it) are side effects in `layers/rules.ts`,
 * not here: a shape util cannot refuse a change that arrives through the store.
 * Editing the text opens Stip's dialog (`NorthStarDialog`), asked for with a DOM event so
 * the util stays free of React state. An empty mission invites a facilitator to write it;
 * anyone else (a wall display above all) sees the board's name there instead of a hint
 * they cannot follow (`configure({ editHint: false })`).
 */
import { BaseBoxShapeUtil, HTMLContainer, renderPlaintextFromRichText, toRichText } from 'tldraw'
import { NORTH_STAR_TYPE, type NorthStarShape, northStarSchema } from '../../../shared/schema/index.ts'
import { getLanguage, translate } from '../i18n.ts'

/** Dispatched on `window` when someone double-clicks the north star. */
export const EDIT_NORTH_STAR_EVENT = 'stip:edit-north-star'

export interface NorthStarOptions {
  /** Whether an empty mission says how to write it; otherwise it shows the board's name. */
  editHint: boolean
}

export class NorthStarShapeUtil extends BaseBoxShapeUtil<NorthStarShape> {
  static override type = NORTH_STAR_TYPE
  override options: NorthStarOptions = { editHint: true }
  // From the registry, so the store builds the same schema the server validates with.
  static override props = northStarSchema.props
  static override migrations = northStarSchema.migrations

  override getDefaultProps(): NorthStarShape['props'] {
    return { w: 640, h: 260, mission: toRichText(''), subtitle: '' }
  }

  override canEdit(): boolean {
    return false
  }

  override hideRotateHandle(): boolean {
    return true
  }

  override canBeLaidOut(): boolean {
    return false
  }

  override onDoubleClick(): void {
    window.dispatchEvent(new CustomEvent(EDIT_NORTH_STAR_EVENT))
  }

  override component(shape: NorthStarShape) {
    const { w, h } = shape.props
    const mission = renderPlaintextFromRichText(this.editor, shape.props.mission).trim()
    const boardName = mission || this.options.editHint ? '' : this.editor.getDocumentSettings().name.trim()
    // A new board's subtitle is its name: shown once, where the mission will be.
    const subtitle = boardName && shape.props.subtitle.trim() === boardName ? '' : shape.props.subtitle
    const horizon = h * 0.74
    // Long missions get smaller type so they still fit; short ones stand out.
    const fontSize = Math.max(
      18,
      Math.min(44, Math.round(w / Math.max(14, Math.sqrt((mission || boardName).length * 2.2)) / 1.2)),
    )
    return (
      <HTMLContainer className="stip-north-star" style={{ width: w, height: h }}>
        <svg className="stip-north-star__art" width={w} height={h} aria-hidden="true">
          <defs>
            <radialGradient id={`glow-${shape.id}`}>
              <stop offset="0%" stopColor="#ffd54a" stopOpacity="0.9" />
              <stop offset="100%" stopColor="#ffd54a" stopOpacity="0" />
            </radialGradient>
          </defs>
          <circle cx={w / 2} cy={horizon} r={Math.min(w, h) * 0.28} fill={`url(#glow-${shape.id})`} />
          <line x1={0} x2={w} y1={horizon} y2={horizon} stroke="#1d3557" strokeWidth={3} strokeLinecap="round" />
          <circle cx={w / 2} cy={horizon} r={14} fill="#ffb703" stroke="#e85d04" strokeWidth={3} />
        </svg>
        <div className="stip-north-star__mission" style={{ fontSize, height: horizon - 24 }}>
          {mission ||
            boardName ||
            (this.options.editHint && (
              <span className="stip-north-star__placeholder">{translate(getLanguage(), 'northStar.empty')}</span>
            ))}
        </div>
        <div className="stip-north-star__subtitle" style={{ top: horizon + 22 }}>
          {subtitle}
        </div>
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: NorthStarShape): Path2D {
    const path = new Path2D()
    path.rect(0, 0, shape.props.w, shape.props.h)
    return path
  }
}
