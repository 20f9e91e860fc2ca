/**
 * A read-only canvas of a board's past: a tldraw store of its own, bound (read-only) to a
 * Y.Doc that only the page changes (`mirror.ts`), rendered without tldraw's UI. Nothing here
 * talks to the sync server: a version or a moment of the replay is never the live board.
 * `hidden` (an atom, so tldraw re-reads it) hides shapes, for following one layer.
 */
import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useCallback, useEffect, useMemo } from 'react'
import { type Atom, atom, createTLStore, defaultBindingUtils, type Editor, type TLShape, Tldraw } from 'tldraw'
import type * as Y from 'yjs'
import { stipRecordSchemas } from '../../../shared/schema/index.ts'
import { stipShapeUtils } from '../shapes/index.ts'
import { bindStoreToDoc } from '../sync/binding.ts'

const assetUrls = getAssetUrlsByImport()
const OPTIONS = { maxPages: 1 }

declare global {
  interface Window {
    /** The read-only canvas of a version or the replay, for browser tests (read only). */
    __stipPastEditor?: Editor
  }
}

/** How long after opening the camera follows the records arriving (the binding applies them in slices). */
const FIT_FOR_MS = 3000

/** Fits the camera to the drawing as its records arrive, for the first seconds only. */
function fitWhileLoading(editor: Editor): () => void {
  const until = Date.now() + FIT_FOR_MS
  let timer: ReturnType<typeof setTimeout> | undefined
  const stop = editor.store.listen(
    () => {
      if (Date.now() > until) return
      clearTimeout(timer)
      timer = setTimeout(() => editor.zoomToFit({ animation: { duration: 0 } }), 50)
    },
    { scope: 'document' },
  )
  return () => {
    clearTimeout(timer)
    stop()
  }
}

export function PastCanvas({
  view,
  licenseKey,
  hidden,
  onEditor,
}: {
  view: Y.Doc
  licenseKey: string | null
  /** Shapes to hide (by the shape), or null for none. */
  hidden?: Atom<((shape: TLShape) => boolean) | null>
  onEditor?: (editor: Editor) => void
}) {
  const store = useMemo(
    () =>
      createTLStore({
        shapeUtils: stipShapeUtils,
        bindingUtils: defaultBindingUtils,
        records: stipRecordSchemas,
        collaboration: { status: null, mode: atom('mode', 'readonly' as const) },
      }),
    [],
  )
  useEffect(() => {
    const binding = bindStoreToDoc({ store, doc: view, canWrite: false })
    return () => binding.dispose()
  }, [store, view])
  const getShapeVisibility = useCallback((shape: TLShape) => (hidden?.get()?.(shape) ? 'hidden' : 'inherit'), [hidden])
  return (
    <div className="stip-past__canvas">
      <Tldraw
        store={store}
        licenseKey={licenseKey ?? undefined}
        assetUrls={assetUrls}
        hideUi
        shapeUtils={stipShapeUtils}
        options={OPTIONS}
        getShapeVisibility={getShapeVisibility}
        onMount={(editor) => {
          editor.updateInstanceState({ isReadonly: true })
          window.__stipPastEditor = editor
          onEditor?.(editor)
          return fitWhileLoading(editor)
        }}
      />
    </div>
  )
}
