/**
 * The binding between a tldraw store and a board's Y.Doc — the only place the two meet.
 *
 * Layout (see `shared/doc.ts`): Y.Map `records` holds every document-scope tldraw record
 * as plain JSON, keyed by id; Y.Map `meta` holds `schema`, tldraw's serialized schema.
 *
 * Directions:
 * - store → doc: a `store.listen` for *user* changes to *document* records. Each call is
 *   written in one `doc.transact(…, origin)`, so a drag is one Yjs update; a change of
 *   more than `CHANGE_SLICE_BYTES` (a big paste) is cut into several (`shared/slices.ts`).
 * - doc → store: an observer on `records` that skips our own `origin` (no echo), checks
 *   every record against the store schema, and applies the rest inside
 *   `store.mergeRemoteChanges`. tldraw's history only records `source: 'user'` changes
 *   (HistoryManager's interceptor), so undo/redo never touches other people's work.
 *
 * Schema: a document written by an older Stip is migrated on load; a client that may write
 * `meta.schema` (a facilitator's, `shared/meta.ts`) writes the migrated records and the
 * schema back, any other shows the migrated records and leaves the document as it is, so it
 * never sends what the server refuses. One written by a newer Stip (migrations we do not
 * know) is never written to — the UI asks the person to reload.
 */
import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLRecord, type TLStore } from 'tldraw'
import type * as Y from 'yjs'
import {
  decodeRecord,
  encodeRecord,
  getMetaMap,
  getRecordsMap,
  META_SCHEMA_KEY,
  type StoredRecord,
  type StoredValue,
  setRecord,
} from '../../../shared/doc.ts'
import { compareSchemas, isSerializedSchema } from '../../../shared/meta.ts'
import { sliceChange } from '../../../shared/slices.ts'

export { compareSchemas, type SchemaRelation } from '../../../shared/meta.ts'

/** Why a record from the document was not applied. */
export interface InvalidRecordReport {
  id: string
  reason: string
}

export interface BindingOptions {
  store: TLStore
  doc: Y.Doc
  /** False for the display role: the binding then never writes to the doc. */
  canWrite: boolean
  /**
   * Whether this client may write `meta.schema` (`mayWriteMeta(role, META_SCHEMA_KEY)`):
   * only then does it write a migration back. Default false.
   */
  mayWriteSchema?: boolean
  /** Called for every remote record that was skipped; the binding keeps going. */
  onInvalidRecord?: (report: InvalidRecordReport, total: number) => void
  /** Called once when the document turns out to need a newer Stip than this one. */
  onSchemaTooNew?: () => void
}

/** A running binding. */
export interface Binding {
  /** Remote records skipped so far because they did not validate. */
  readonly invalidRecordCount: number
  /** True once the doc's schema is newer than ours; nothing is written from then on. */
  readonly isSchemaTooNew: boolean
  dispose(): void
}

const NOT_A_RECORD = 'not a record, or its id does not match its key'

/** Remote changes get at most 1 / (1 + this) of the main thread on a busy board [4]. */
const IDLE_PER_BUSY = 3

/**
 * Binds `store` to `doc`. Call it after the doc holds what is known (IndexedDB loaded and,
 * for an empty doc, the first server sync done): an empty doc gets the default document
 * and page records, written by a client that may write.
 */
export function bindStoreToDoc({
  store,
  doc,
  canWrite,
  mayWriteSchema = false,
  onInvalidRecord,
  onSchemaTooNew,
}: BindingOptions): Binding {
  const records = getRecordsMap(doc)
  const meta = getMetaMap(doc)
  // Our own transactions carry this origin, so the observer can skip them.
  const origin = { binding: 'tldraw-store' }
  const ourSchema = store.schema.serialize()
  let invalidRecordCount = 0
  let isSchemaTooNew = false

  const report = (id: string, reason: string) => {
    invalidRecordCount++
    console.warn(`[stip] skipped record ${id}: ${reason}`)
    onInvalidRecord?.({ id, reason }, invalidRecordCount)
  }

  const markTooNew = () => {
    if (isSchemaTooNew) return
    isSchemaTooNew = true
    onSchemaTooNew?.()
  }

  /** Validates a record from the doc; returns it typed, or null (and reports why). */
  const check = (key: string, record: StoredRecord | undefined): TLRecord | null => {
    if (!record) {
      report(key, NOT_A_RECORD)
      return null
    }
    const type = (store.schema.types as Record<string, (typeof store.schema.types)[keyof typeof store.schema.types]>)[
      record.typeName
    ]
    if (!type) {
      report(key, `unknown record type "${record.typeName}"`)
      return null
    }
    if (type.scope !== 'document') {
      report(key, `"${record.typeName}" records do not belong in the document`)
      return null
    }
    try {
      return type.validate(record) as TLRecord
    } catch (error) {
      report(key, error instanceof Error ? error.message : String(error))
      return null
    }
  }

  /**
   * Applies remote puts and removals. One bad record must not cost the others, so if the
   * batch throws (a check the validator does not cover) we retry record by record.
   */
  const applyRemote = (puts: TLRecord[], removals: TLRecord['id'][]) => {
    const existing = removals.filter((id) => store.has(id))
    if (puts.length === 0 && existing.length === 0) return
    store.mergeRemoteChanges(() => {
      try {
        if (existing.length) store.remove(existing)
        if (puts.length) store.put(puts)
      } catch {
        for (const record of puts) {
          try {
            store.put([record])
          } catch (error) {
            report(record.id, error instanceof Error ? error.message : String(error))
          }
        }
      }
    })
  }

  // [1] Initial load.
  const storedSchema = meta.get(META_SCHEMA_KEY)
  const relation = isSerializedSchema(storedSchema) ? compareSchemas(storedSchema, ourSchema) : 'same'
  // Only a client that may record the schema writes a migration back (see the header).
  const writesMigration = canWrite && mayWriteSchema
  let snapshot: Record<string, StoredRecord> = {}
  for (const [key, value] of records) {
    const record = decodeRecord(value, key)
    if (record) snapshot[key] = record
    else report(key, NOT_A_RECORD)
  }
  // Whether the doc's records are now at our schema, so `meta.schema` may say so.
  let atOurSchema = relation !== 'newer'
  if (relation === 'newer') {
    markTooNew()
  } else if (relation === 'older' && isSerializedSchema(storedSchema)) {
    const migrated = store.schema.migrateStoreSnapshot({
      schema: storedSchema,
      store: snapshot as unknown as Record<TLRecord['id'], TLRecord>,
    })
    if (migrated.type === 'success') {
      if (writesMigration)
        writeMigrated(doc, origin, records, snapshot, migrated.value as unknown as Record<string, StoredRecord>)
      snapshot = migrated.value as unknown as Record<string, StoredRecord>
    } else {
      // Records we cannot migrate are still checked one by one below; the valid ones show.
      atOurSchema = false
      console.warn(`[stip] could not migrate the board from its stored schema: ${migrated.reason}`)
    }
  }
  const initial: TLRecord[] = []
  for (const [key, value] of Object.entries(snapshot)) {
    const record = check(key, value)
    if (record) initial.push(record)
  }
  applyRemote(initial, [])

  if (canWrite && !isSchemaTooNew) {
    doc.transact(() => {
      // [2] A brand-new board: the fixed ids make two first clients agree instead of
      // creating two pages.
      if (!store.has(TLDOCUMENT_ID)) {
        const document = DocumentRecordType.create({ id: TLDOCUMENT_ID })
        store.mergeRemoteChanges(() => store.put([document]))
        setRecord(records, document)
      }
      if (store.query.ids('page').get().size === 0) {
        const page = PageRecordType.create({
          id: PageRecordType.createId('page'),
          name: 'Page 1',
          index: 'a1' as never,
        })
        store.mergeRemoteChanges(() => store.put([page]))
        setRecord(records, page)
      }
      if (writesMigration && atOurSchema && JSON.stringify(storedSchema) !== JSON.stringify(ourSchema)) {
        meta.set(META_SCHEMA_KEY, ourSchema)
      }
    }, origin)
  }

  // store → doc
  const stopListening = store.listen(
    ({ changes }) => {
      if (!canWrite || isSchemaTooNew) return
      // [5] A big change (a paste) goes as several updates, each one frame.
      const puts = [...Object.values(changes.added), ...Object.values(changes.updated).map(([, after]) => after)]
      const slices = sliceChange(
        puts.map((record) => ({ id: record.id, json: encodeRecord(record) })),
        Object.values(changes.removed).map((record) => record.id),
      )
      for (const slice of slices) {
        doc.transact(() => {
          for (const { id, json } of slice) {
            if (json === null) records.delete(id)
            else records.set(id, json)
          }
        }, origin)
      }
    },
    { source: 'user', scope: 'document' },
  )

  // doc → store
  // [3] Remote changes are applied at most once per frame, and [4] with the main thread
  // left idle for IDLE_PER_BUSY times as long as applying the last batch took.
  const pendingKeys = new Set<string>()
  let frame: number | null = null
  let timer: ReturnType<typeof setTimeout> | null = null
  let measuring = false
  /** `performance.now()` before which the next batch waits. */
  let notBefore = 0
  const cancel = () => {
    if (frame !== null) cancelAnimationFrame(frame)
    if (timer !== null) clearTimeout(timer)
    frame = timer = null
  }
  const flushRemote = () => {
    cancel()
    const started = performance.now()
    const puts: TLRecord[] = []
    const removals: TLRecord['id'][] = []
    for (const key of pendingKeys) {
      const value = records.get(key)
      if (value === undefined) {
        removals.push(key as TLRecord['id'])
        continue
      }
      const record = check(key, decodeRecord(value, key))
      if (record) puts.push(record)
    }
    pendingKeys.clear()
    applyRemote(puts, removals)
    // What the batch caused (tldraw's reactions, React's render) runs before the next task.
    measuring = true
    setTimeout(() => {
      measuring = false
      const now = performance.now()
      notBefore = now + (now - started) * IDLE_PER_BUSY
      if (pendingKeys.size > 0) schedule()
    }, 0)
  }
  const schedule = () => {
    if (measuring || frame !== null || timer !== null) return
    const wait = notBefore - performance.now()
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = null
        schedule()
      }, wait)
      return
    }
    frame = requestAnimationFrame(flushRemote)
    // Background tabs get no frames; they still catch up, just less often.
    timer = setTimeout(flushRemote, 100)
  }
  const onRecords = (event: Y.YMapEvent<StoredValue>, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return
    for (const key of event.keysChanged) pendingKeys.add(key)
    schedule()
  }
  records.observe(onRecords)

  // A newer Stip may migrate the board while we are connected: from then on, stop writing.
  const onMeta = () => {
    const schema = meta.get(META_SCHEMA_KEY)
    if (isSerializedSchema(schema) && compareSchemas(schema, ourSchema) === 'newer') markTooNew()
  }
  meta.observe(onMeta)

  return {
    get invalidRecordCount() {
      return invalidRecordCount
    },
    get isSchemaTooNew() {
      return isSchemaTooNew
    },
    dispose() {
      cancel()
      pendingKeys.clear()
      stopListening()
      records.unobserve(onRecords)
      meta.unobserve(onMeta)
    },
  }
}

/**
 * Writes back only the records a migration changed (or removed): in one transaction, or for
 * a big board in slices like any big change [5].
 */
function writeMigrated(
  doc: Y.Doc,
  origin: object,
  records: Y.Map<StoredValue>,
  before: Record<string, StoredRecord>,
  migrated: Record<string, StoredRecord>,
) {
  const removals = Object.keys(before).filter((key) => !(key in migrated))
  const puts: { id: string; json: string }[] = []
  for (const [key, record] of Object.entries(migrated)) {
    const json = encodeRecord(record)
    if (records.get(key) !== json) puts.push({ id: key, json })
  }
  for (const slice of sliceChange(puts, removals)) {
    doc.transact(() => {
      for (const { id, json } of slice) {
        if (json === null) records.delete(id)
        else records.set(id, json)
      }
    }, origin)
  }
}

// [1] Loaded records go through `mergeRemoteChanges` like any remote change: they are not
//     the person's own edits, so they must not be undoable nor written back.
// [2] Written with our origin (no echo) and put as "remote" (not undoable: undoing the
//     board's first page would leave an unusable editor).
// [3] A busy session sends hundreds of changes a second; applying each as it arrives made
//     tldraw recompute and React re-render per change (frames of 100+ ms at 200 updates/s).
//     Values are read when applied, so a key changed twice within a frame is put once,
//     as it is now.
// [4] tldraw's work per change grows with the board (it re-derives which shapes render,
//     and React re-renders the canvas): on 5,000 shapes a batch took 30–60 ms, so a batch
//     every frame left no frame under 33 ms. Waiting three times as long as the last batch
//     took keeps three quarters of the main thread for the person drawing; on a small
//     board (a batch of 1–2 ms) it changes nothing, on a big one remote changes show a
//     little later and in bigger batches.
// [5] The server's gate costs about 40 µs per KB of an update (decoding, JSON, schema
//     validation, applying), and handles one frame at once: a 5,000-shape paste in one
//     update blocked it for 100–300 ms, everyone's strokes waiting behind it. In slices
//     of `CHANGE_SLICE_BYTES` each frame costs a few milliseconds and the server serves
//     other sockets between them; an update of more than `STIP_MAX_UPDATE_BYTES` (384 KiB)
//     it now refuses, unless it writes one record alone. Undo still sees one change:
//     slicing happens after tldraw.
