/**
 * The start of a development path: a round marker in its layer's colour reading "Nu"
 * (now), where a department or team stands today. Its first arrow leads to the path's
 * first milestone (`shared/paths.ts` walks the arrows from here).
 */
import { BaseBoxShapeUtil, HTMLContainer } from 'tldraw'
import { isLayerId, type LayerRecord, layerOfShape } from '../../../shared/layers.ts'
import { PATH_START_SIZE, PATH_START_TYPE, type PathStartShape, pathStartSchema } from '../../../shared/schema/index.ts'
import { getLanguage, translate } from '../i18n.ts'
import { LAYER_COLOR_CSS } from '../layers/colors.ts'

export class PathStartShapeUtil extends BaseBoxShapeUtil<PathStartShape> {
  static override type = PATH_START_TYPE
  static override props = pathStartSchema.props
  static override migrations = pathStartSchema.migrations

  override getDefaultProps(): PathStartShape['props'] {
    return { ...PATH_START_SIZE }
  }

  override canResize(): boolean {
    return false
  }

  override hideRotateHandle(): boolean {
    return true
  }

  override component(shape: PathStartShape) {
    const layerId = layerOfShape(shape)
    const layer = isLayerId(layerId) ? (this.editor.store.get(layerId as never) as LayerRecord | undefined) : undefined
    const color = LAYER_COLOR_CSS[layer?.color ?? 'blue'] ?? LAYER_COLOR_CSS.blue
    return (
      <HTMLContainer
        className="stip-path-start"
        data-testid="path-start"
        style={{ width: shape.props.w, height: shape.props.h, borderColor: color, color }}
      >
        <span className="stip-path-start__label">{translate(getLanguage(), 'paths.now')}</span>
        {layer && <span className="stip-path-start__layer">{layer.name}</span>}
      </HTMLContainer>
    )
  }

  override getIndicatorPath(shape: PathStartShape): Path2D {
    const path = new Path2D()
    path.ellipse(shape.props.w / 2, shape.props.h / 2, shape.props.w / 2, shape.props.h / 2, 0, 0, Math.PI * 2)
    return path
  }
}
