/**
 * One live binding of a board-level setting: a key of the document's `meta` map, its value
 * checked by a validator from `shared/`, as a signal that follows every change (from this
 * browser or anyone else's), with the write that goes with it. The display settings use it;
 * so should every later board-level setting (timer, follow-me, voting…): give it an entry
 * in `shared/meta.ts` (its owner and validator, which the server's gate applies) and a
 * `MetaKey` (its key and sanitizer, from `shared/`), and read `$value` / call `write`. A
 * write stores only what the sanitizer keeps, so the server's validator accepts it.
 *
 * Only what was set is held: `$value` is the valid part of the stored value, never filled
 * with defaults, so a caller can tell "nobody set this" from "someone set the default" [1].
 */

import { useEffect, useMemo } from 'react'
import { atom, isEqual, type Signal } from 'tldraw'
import type * as Y from 'yjs'
import { getMetaMap } from '../../../shared/doc.ts'
import type { MetaSetting } from '../../../shared/meta.ts'

/**
 * A board-level setting: where it is stored (a key of `shared/meta.ts`) and how a stored
 * value is checked: the valid fields, `{}` for nothing or nonsense (from `shared/`).
 */
export type MetaKey<T extends object> = MetaSetting<T>

export interface MetaBinding<T extends object> {
  readonly key: string
  /** The valid fields stored now; re-read whenever the key changes. */
  readonly $value: Signal<Partial<T>>
  /**
   * `writeMeta` for this key. Whether the write is kept is the server's call
   * (`shared/rights.ts`): a refused write closes the socket and the resync undoes it.
   */
  write(patch: Partial<T>): void
  /** Stops following the document; `$value` keeps its last value. */
  dispose(): void
}

/** What the document holds under `spec.key` now, checked. */
export function readMeta<T extends object>(doc: Y.Doc, spec: MetaKey<T>): Partial<T> {
  return spec.sanitize(getMetaMap(doc).get(spec.key))
}

/**
 * Writes `patch` over what the document holds under `spec.key`, in one transaction; the
 * fields it leaves out stay as they were (read from the document, so a stale signal
 * never undoes someone else's field).
 */
export function writeMeta<T extends object>(doc: Y.Doc, spec: MetaKey<T>, patch: Partial<T>): void {
  // Only what the sanitizer keeps is written: what the server's validator accepts.
  const next = spec.sanitize({ ...readMeta(doc, spec), ...patch })
  doc.transact(() => getMetaMap(doc).set(spec.key, next))
}

/** Binds `spec.key` of `doc`'s `meta` map; call `dispose` when done. */
export function bindMeta<T extends object>(doc: Y.Doc, spec: MetaKey<T>): MetaBinding<T> {
  const meta = getMetaMap(doc)
  // Equal values are not news: an unrelated write to the key must not re-render anyone.
  const $value = atom<Partial<T>>(`stip meta ${spec.key}`, readMeta(doc, spec), { isEqual })
  const onChange = (event: Y.YMapEvent<unknown>) => {
    if (event.keysChanged.has(spec.key)) $value.set(readMeta(doc, spec))
  }
  meta.observe(onChange)
  return {
    key: spec.key,
    $value,
    write: (patch) => writeMeta(doc, spec, patch),
    dispose: () => meta.unobserve(onChange),
  }
}

/**
 * React hook: a binding for as long as the component is mounted (one per `doc`). Stip
 * mounts without StrictMode (see `main.tsx`), so a binding made during render is disposed
 * exactly once, when the component goes. Pass a `spec` that is a module constant.
 */
export function useMetaBinding<T extends object>(doc: Y.Doc, spec: MetaKey<T>): MetaBinding<T> {
  const binding = useMemo(() => bindMeta(doc, spec), [doc, spec])
  useEffect(() => () => binding.dispose(), [binding])
  return binding
}

// [1] The wall display lays a facilitator's settings over the kiosk's URL parameters: a
//     field nobody set must not override the URL (`display/settings.ts`).
