/**
 * The board's iteration rhythm, live: the facilitator's `meta.iterations`, or two-week
 * iterations from this week's Monday while nobody chose one (`effectiveRhythm`). Everything
 * that numbers iterations on screen (milestones, layer panel, outline, display caption)
 * reads it from here, so they all show the same number.
 */
import { useEffect } from 'react'
import { atom, isEqual, useValue } from 'tldraw'
import type * as Y from 'yjs'
import { today } from '../../../shared/dates.ts'
import { effectiveRhythm, type IterationRhythm, readRhythm } from '../../../shared/iterations.ts'
import { ITERATIONS_SETTING } from '../../../shared/meta.ts'
import { type MetaBinding, useMetaBinding } from '../sync/meta.ts'

/**
 * The open board's rhythm, for what tldraw renders outside React's props (a milestone's
 * iteration number): `useRhythm` in the board room keeps it current.
 */
export const $boardRhythm = atom<IterationRhythm | null>('board rhythm', null, { isEqual })

/** The stored rhythm (null: none chosen) and the one to number by. */
export function rhythmOf(binding: MetaBinding<IterationRhythm>): {
  stored: IterationRhythm | null
  effective: IterationRhythm
} {
  const stored = readRhythm(binding.$value.get())
  return { stored, effective: effectiveRhythm(stored, today()) }
}

/** React hook: the board's rhythm, re-rendering when a facilitator changes it. */
export function useRhythm(doc: Y.Doc): {
  stored: IterationRhythm | null
  effective: IterationRhythm
  binding: MetaBinding<IterationRhythm>
} {
  const binding = useMetaBinding(doc, ITERATIONS_SETTING)
  const value = useValue(binding.$value)
  const stored = readRhythm(value)
  return { stored, effective: effectiveRhythm(stored, today()), binding }
}

/** Keeps `$boardRhythm` on this board's rhythm while mounted (the board room calls it once). */
export function usePublishRhythm(stored: IterationRhythm | null): void {
  useEffect(() => {
    $boardRhythm.set(stored)
  }, [stored])
  useEffect(
    () => () => {
      $boardRhythm.set(null)
    },
    [],
  )
}
