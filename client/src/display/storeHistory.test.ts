import v8 from 'node:v8'
import vm from 'node:vm'
import { createTLStore, PageRecordType, type TLPage, type TLStore } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { STORE_HISTORY_LENGTH, shortenStoreHistory } from './storeHistory.ts'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

/** A full collection, after the current task (a `WeakRef` keeps its target until then). */
async function collect(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0))
  gc()
}

/** Puts a page, renames it `times` times (one store change each); returns the first version. */
function renameOften(store: TLStore, times: number): WeakRef<TLPage> {
  const page = PageRecordType.create({ name: 'v0', index: 'a1' as never })
  store.put([page])
  const first = new WeakRef(store.get(page.id) as TLPage)
  for (let i = 1; i <= times; i++) store.put([{ ...(store.get(page.id) as TLPage), name: `v${i}` }])
  return first
}

describe(shortenStoreHistory, () => {
  it('lets a record be collected once later changes replaced it, where tldraw alone keeps it', async () => {
    const tldrawAlone = createTLStore({})
    const shortened = createTLStore({})
    expect(shortenStoreHistory(shortened)).toBe(true)

    const keptByTldraw = renameOften(tldrawAlone, STORE_HISTORY_LENGTH * 2)
    const replaced = renameOften(shortened, STORE_HISTORY_LENGTH * 2)
    await collect()

    // If this starts failing, tldraw no longer keeps 1,000 diffs and storeHistory.ts can go.
    expect(keptByTldraw.deref()?.name).toBe('v0')
    expect(replaced.deref()).toBeUndefined()
  })

  it('keeps queries right when they fall further behind than the history reaches', () => {
    const store = createTLStore({})
    shortenStoreHistory(store)
    const ids = store.query.ids('page')
    const pages = store.query.records('page')
    expect(ids.get().size).toBe(0)
    expect(pages.get()).toEqual([])

    const [a, b, c] = ['a', 'b', 'c'].map((name, i) => PageRecordType.create({ name, index: `a${i + 1}` as never }))
    store.put([a, b, c])
    // Read step by step: the queries follow the diffs.
    store.put([{ ...b, name: 'b1' }])
    expect([...ids.get()].sort()).toEqual([a.id, b.id, c.id].sort())
    expect(pages.get().map((page) => page.name)).toContain('b1')

    // Far more changes than the history keeps, unread: the queries recompute from the records.
    for (let i = 0; i < STORE_HISTORY_LENGTH * 3; i++) store.put([{ ...a, name: `a${i}` }])
    store.remove([c.id])
    expect([...ids.get()].sort()).toEqual([a.id, b.id].sort())
    expect(pages.get().map((page) => page.name)).toEqual(
      expect.arrayContaining([`a${STORE_HISTORY_LENGTH * 3 - 1}`, 'b1']),
    )
    expect(pages.get()).toHaveLength(2)
  })
})
