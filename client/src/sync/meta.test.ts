/** `bindMeta`: one live, checked binding of a `meta` key and its write. */
import { react } from 'tldraw'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { getMetaMap } from '../../../shared/doc.ts'
import { bindMeta, type MetaKey, writeMeta } from './meta.ts'

interface Timer {
  seconds: number
  running: boolean
}

const TIMER: MetaKey<Timer> = {
  key: 'timer',
  sanitize(value) {
    const input = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
    const timer: Partial<Timer> = {}
    if (typeof input.seconds === 'number') timer.seconds = input.seconds
    if (typeof input.running === 'boolean') timer.running = input.running
    return timer
  },
}

/** Two documents that pass every update to each other, like two browsers on one board. */
function peers(): [Y.Doc, Y.Doc] {
  const a = new Y.Doc()
  const b = new Y.Doc()
  a.on('update', (update: Uint8Array, origin: unknown) => origin !== b && Y.applyUpdate(b, update, a))
  b.on('update', (update: Uint8Array, origin: unknown) => origin !== a && Y.applyUpdate(a, update, b))
  return [a, b]
}

describe(bindMeta, () => {
  it('follows what anyone writes, checked, and holds only the fields that were set', () => {
    const [mine, theirs] = peers()
    const binding = bindMeta(mine, TIMER)
    expect(binding.$value.get()).toEqual({})
    writeMeta(theirs, TIMER, { seconds: 300 })
    expect(binding.$value.get()).toEqual({ seconds: 300 })
    getMetaMap(theirs).set('timer', { seconds: 'soon', running: true })
    expect(binding.$value.get()).toEqual({ running: true })
    binding.dispose()
  })

  it('writes a patch over what is stored and leaves the other fields', () => {
    const [mine, theirs] = peers()
    const binding = bindMeta(mine, TIMER)
    writeMeta(theirs, TIMER, { seconds: 60 })
    binding.write({ running: true })
    expect(getMetaMap(theirs).get('timer')).toEqual({ seconds: 60, running: true })
    binding.dispose()
  })

  it('tells nobody about a write that changes nothing or another key, and stops on dispose', () => {
    const doc = new Y.Doc()
    const binding = bindMeta(doc, TIMER)
    const seen: Partial<Timer>[] = []
    const stop = react('timer', () => seen.push(binding.$value.get()))
    binding.write({ seconds: 10 })
    binding.write({ seconds: 10 })
    getMetaMap(doc).set('display', { mode: 'tour' })
    binding.dispose()
    writeMeta(doc, TIMER, { seconds: 20 })
    stop()
    expect(seen).toEqual([{}, { seconds: 10 }])
  })
})
