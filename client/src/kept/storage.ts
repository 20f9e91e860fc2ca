/**
 * Where kept work waits on the device: one IndexedDB database per board (`stip:kept:<id>`),
 * beside y-indexeddb's copy of the board but not in it, so throwing that copy away after a
 * refusal keeps this. It holds, as one entry:
 * - `refused`: the whole local copy at the moment the server refused a change (a Yjs
 *   update), until the next load has sorted it (`changes.ts`);
 * - `refusal`: what the server said (close code, named record);
 * - `parked`: record changes waiting until the person may write them again;
 * - `held`: record changes the full board could not take, waiting for "try again".
 * Nothing here ever reaches the server by itself: the next load reads it, sorts it with the
 * server's rules and writes what may be written as a new change of its own.
 */
import * as idb from 'lib0/indexeddb'
import type { Refusal } from './changes.ts'

const STORE = 'kept'
const KEY = 'work'

export interface KeptEntry {
  refused?: Uint8Array
  refusal?: Refusal
  parked?: KeptChanges
  held?: KeptChanges
}

/** Record changes as kept: each put a record's JSON, each removal an id. */
interface KeptChanges {
  puts: string[]
  removals: string[]
}

const isEmpty = (changes: KeptChanges | undefined) => !changes?.puts.length && !changes?.removals.length

function open(boardId: string): Promise<IDBDatabase> {
  return idb.openDB(`stip:kept:${boardId}`, (db) => idb.createStores(db, [[STORE]]))
}

/** The board's kept work, or undefined (also when IndexedDB cannot be read). */
export async function readKept(boardId: string): Promise<KeptEntry | undefined> {
  try {
    const db = await open(boardId)
    try {
      const [store] = idb.transact(db, [STORE], 'readonly')
      const entry = (await idb.get(store, KEY)) as KeptEntry | undefined
      return entry && typeof entry === 'object' ? entry : undefined
    } finally {
      db.close()
    }
  } catch {
    return undefined
  }
}

/** Replaces the board's kept work (an empty entry deletes it). Throws if it cannot be written. */
export async function writeKept(boardId: string, entry: KeptEntry): Promise<void> {
  const db = await open(boardId)
  try {
    const [store] = idb.transact(db, [STORE])
    if (!entry.refused && isEmpty(entry.parked) && isEmpty(entry.held)) await idb.del(store, KEY)
    else await idb.put(store, entry as never, KEY)
  } finally {
    db.close()
  }
}
