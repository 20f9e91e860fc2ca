/**
 * A raw Yjs sync client speaking either dialect of the y-websocket protocol by hand:
 * - `y-websocket` (Stip and the reference server): frames are `[type, …]`;
 * - `hocuspocus`: every frame starts with the document name, and the first one is an
 *   Auth frame carrying a token.
 * It keeps a Y.Doc in sync (step 1/2, updates) and hands raw awareness payloads to a
 * callback, so that a benchmark can decode only what it measures.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import type { StoredRecord } from '../../shared/doc.ts'

export interface Endpoint {
  dialect: 'y-websocket' | 'hocuspocus'
  url: string
  docName: string
  token: string
}

/*
 * The message numbers of y-websocket, written out here instead of the codec of
 * `shared/protocol.ts`: that codec is built on the root's lib0, and these clients run on
 * `bench/`'s own lib0 and Yjs (`npm ci --prefix bench`, pinned for the baselines), so
 * importing it would load a second lib0 next to this one. It would also not do: the
 * hocuspocus dialect puts the document name before every frame.
 */
const SYNC = 0
const AWARENESS = 1
const AUTH = 2
const STEP1 = 0
const STEP2 = 1
const UPDATE = 2

/** Origin of updates that came from the server: never sent back. */
export const REMOTE = Symbol('remote')

export class SyncClient {
  readonly ws: WebSocket
  /** Resolves when the server's answer to our state vector (sync step 2) has been applied. */
  readonly synced: Promise<void>
  /** Called with each awareness payload (a y-protocols awareness update). */
  onAwareness: ((update: Uint8Array) => void) | null = null
  /** Bytes of document updates this client sent. */
  updateBytesSent = 0
  closed = false
  private resolveSynced!: () => void

  /** `doc`: a document this client already holds, to reconnect with (`reopen`). */
  constructor(
    readonly endpoint: Endpoint,
    readonly doc = new Y.Doc(),
  ) {
    this.ws = new WebSocket(endpoint.url, { perMessageDeflate: false })
    this.synced = new Promise<void>((resolve, reject) => {
      this.resolveSynced = resolve
      this.ws.once('error', reject)
      this.ws.once('close', (code, reason) => reject(new Error(`closed before sync: ${code} ${reason}`)))
    })
    this.ws.binaryType = 'nodebuffer'
    this.ws.on('open', () => {
      if (endpoint.dialect === 'hocuspocus') {
        this.send((encoder) => {
          encoding.writeVarUint(encoder, AUTH)
          encoding.writeVarUint(encoder, 0) // token
          encoding.writeVarString(encoder, endpoint.token)
        })
      }
      this.send((encoder) => {
        encoding.writeVarUint(encoder, SYNC)
        encoding.writeVarUint(encoder, STEP1)
        encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.doc))
      })
    })
    this.ws.on('message', (data: Buffer) => this.receive(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)))
    this.ws.on('close', () => {
      this.closed = true
    })
    this.ws.on('error', () => {})
    this.doc.on('update', this.onUpdate)
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === REMOTE) return
    this.updateBytesSent += update.length
    this.send((encoder) => {
      encoding.writeVarUint(encoder, SYNC)
      encoding.writeVarUint(encoder, UPDATE)
      encoding.writeVarUint8Array(encoder, update)
    })
  }

  /**
   * Opens a new connection for this client's document at `url` (a restarted server) and
   * waits until it is synced, as a y-websocket client reconnects: with what it holds.
   */
  async reopen(url: string, timeoutMs = 60_000): Promise<SyncClient> {
    this.closed = true
    this.ws.terminate()
    this.doc.off('update', this.onUpdate)
    return SyncClient.open({ ...this.endpoint, url }, timeoutMs, this.doc)
  }

  /** Opens a client and waits until it is synced (bounded). */
  static async open(endpoint: Endpoint, timeoutMs = 60_000, doc?: Y.Doc): Promise<SyncClient> {
    const client = new SyncClient(endpoint, doc)
    let timer: NodeJS.Timeout | undefined
    try {
      await Promise.race([
        client.synced,
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`sync timed out after ${timeoutMs} ms: ${endpoint.url}`)),
            timeoutMs,
          )
        }),
      ])
    } catch (error) {
      client.close()
      throw error
    } finally {
      clearTimeout(timer)
    }
    return client
  }

  /**
   * Stip's layout (`shared/doc.ts`), which the benchmark gives every server: each record as
   * JSON text under its id. Written out here rather than imported, because `shared/` brings
   * the root's Yjs and these clients run on `bench/`'s.
   */
  get records(): Y.Map<string> {
    return this.doc.getMap('records')
  }

  put(record: StoredRecord): void {
    this.records.set(record.id, JSON.stringify(record))
  }

  get(id: string): StoredRecord | undefined {
    const value = this.records.get(id)
    return value === undefined ? undefined : (JSON.parse(value) as StoredRecord)
  }

  sendAwareness(update: Uint8Array): void {
    this.send((encoder) => {
      encoding.writeVarUint(encoder, AWARENESS)
      encoding.writeVarUint8Array(encoder, update)
    })
  }

  close(): void {
    this.closed = true
    this.ws.terminate()
    this.doc.destroy()
  }

  private send(write: (encoder: encoding.Encoder) => void): void {
    if (this.ws.readyState !== WebSocket.OPEN) return
    const encoder = encoding.createEncoder()
    if (this.endpoint.dialect === 'hocuspocus') encoding.writeVarString(encoder, this.endpoint.docName)
    write(encoder)
    this.ws.send(encoding.toUint8Array(encoder))
  }

  private receive(frame: Uint8Array): void {
    const decoder = decoding.createDecoder(frame)
    if (this.endpoint.dialect === 'hocuspocus') decoding.readVarString(decoder)
    const type = decoding.readVarUint(decoder)
    if (type === AWARENESS) {
      this.onAwareness?.(decoding.readVarUint8Array(decoder))
      return
    }
    if (type !== SYNC) return // auth answers, sync-status acks, pings
    const step = decoding.readVarUint(decoder)
    const payload = decoding.readVarUint8Array(decoder)
    if (step === STEP1) {
      this.send((encoder) => {
        encoding.writeVarUint(encoder, SYNC)
        encoding.writeVarUint(encoder, STEP2)
        encoding.writeVarUint8Array(encoder, Y.encodeStateAsUpdate(this.doc, payload))
      })
    } else if (step === STEP2 || step === UPDATE) {
      Y.applyUpdate(this.doc, payload, REMOTE)
      if (step === STEP2) this.resolveSynced()
    }
  }
}

/** A tldraw geo shape record of realistic size (~400 bytes of JSON). */
export function shapeRecord(
  id: string,
  x: number,
  y: number,
  meta: Record<string, unknown> = {},
  index = 'a1',
): StoredRecord {
  return {
    id,
    typeName: 'shape',
    type: 'geo',
    x,
    y,
    rotation: 0,
    index,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta,
    props: {
      geo: 'rectangle',
      w: 160,
      h: 90,
      color: 'black',
      labelColor: 'black',
      fill: 'none',
      dash: 'draw',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      scale: 1,
      flipX: false,
      flipY: false,
      richText: { type: 'doc', content: [{ type: 'paragraph' }] },
    },
  }
}

/** Sorted-key JSON of the records, to compare documents across clients and processes. */
export function recordsFingerprint(doc: Y.Doc): string {
  const json = doc.getMap('records').toJSON() as Record<string, unknown>
  return JSON.stringify(
    Object.keys(json)
      .sort()
      .map((key) => [key, json[key]]),
  )
}
