/**
 * Where you are in the drawing: the breadcrumb of the open layer (each ancestor a button),
 * the one-click way back to the overview, and the north star banner — the mission, pinned
 * at the top whenever the north star itself is out of sight, so nobody loses the horizon
 * while working deep in a team's path.
 */
import { type Editor, renderPlaintextFromRichText, useValue } from 'tldraw'
import { ancestorsOf } from '../../../shared/layers.ts'
import { NORTH_STAR_ID, type NorthStarShape } from '../../../shared/schema/index.ts'
import { useI18n } from '../i18n.ts'
import type { LayerView } from './layerView.ts'
import type { LayerNavigation } from './navigation.ts'

/** Below this on-screen width the mission on the canvas is too small to read. */
const LEGIBLE_WIDTH_PX = 220

export function LayerNav({
  editor,
  view,
  navigation,
}: {
  editor: Editor
  view: LayerView
  navigation: LayerNavigation
}) {
  const { t } = useI18n()
  const layers = useValue(view.$layers)
  const focus = useValue(view.$focus)
  const trail = focus && layers.has(focus) ? [...ancestorsOf(layers, focus), layers.get(focus)] : []

  const mission = useValue('north star banner', () => {
    const shape = editor.getShape(NORTH_STAR_ID) as NorthStarShape | undefined
    if (!shape) return null
    const bounds = editor.getShapePageBounds(shape)
    const inSight =
      bounds !== undefined &&
      editor.getViewportPageBounds().collides(bounds) &&
      bounds.width * editor.getZoomLevel() >= LEGIBLE_WIDTH_PX
    if (inSight && view.$focus.get() === null) return null
    return renderPlaintextFromRichText(editor, shape.props.mission).trim() || shape.props.subtitle || '★'
  }, [editor, view])

  return (
    <div className="stip-layer-nav">
      <div className="stip-layer-nav__row">
        <button
          type="button"
          className="stip-layer-nav__overview"
          data-testid="overview"
          aria-pressed={focus === null}
          aria-label={t('nav.overviewLabel')}
          onClick={() => navigation.open(null)}
        >
          {t('nav.overview')}
        </button>
        {trail.length > 0 && (
          <nav aria-label={t('nav.breadcrumb')} data-testid="breadcrumb" className="stip-breadcrumb">
            <ol>
              {trail.map((layer, i) =>
                layer ? (
                  <li key={layer.id}>
                    {i === trail.length - 1 ? (
                      <span aria-current="page" data-layer-id={layer.id}>
                        {layer.name}
                      </span>
                    ) : (
                      <button type="button" data-layer-id={layer.id} onClick={() => navigation.open(layer.id)}>
                        {layer.name}
                      </button>
                    )}
                  </li>
                ) : null,
              )}
            </ol>
          </nav>
        )}
      </div>
      {mission !== null && (
        <button
          type="button"
          className="stip-north-star-banner"
          data-testid="north-star-banner"
          title={t('northStar.banner')}
          onClick={() => navigation.goToNorthStar()}
        >
          <span className="stip-north-star-banner__dot" aria-hidden="true" />
          <span className="stip-visually-hidden">{t('northStar.banner')}: </span>
          <span className="stip-north-star-banner__text">{mission}</span>
        </button>
      )}
    </div>
  )
}
