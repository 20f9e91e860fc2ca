/**
 * An honest person's browser, for the fuzz test that guards the gate against false
 * positives: a Y.Doc speaking raw y-websocket frames (`RawClient`), with what a real
 * browser keeps across page loads:
 *
 * - a local copy of the board (the browser's IndexedDB: y-indexeddb stores every update),
 *   so a reload is a NEW Y.Doc, with a new Yjs client id, loaded from that copy, which sends
 *   the server whatever it lacks (offline work under the old client id included);
 * - the link (token) the person opened, which the facilitator may rotate: the person then
 *   gets the new link and opens it, which is a page load too;
 * - its own record of the last value it wrote under each key, so a test can tell that no
 *   edit was lost.
 *
 * It only makes the changes the client's UI would let it make: every record it writes is
 * valid against Stip's schema (tldraw validates every record it puts in its store) and is
 * put to `checkChange` from `shared/rights.ts` first, on its own copy of the board, exactly
 * as the browser's layer rules do (`client/src/layers/rules.ts`). On a page load it writes
 * `meta.schema` the way the client's binding does (`client/src/sync/binding.ts`: once the
 * local copy, or for an empty one the server's state, is loaded, and only if it differs).
 *
 * Every close of its socket is judged: one the person caused (closing the tab, losing the
 * network), `ServerRestarting` while the test restarts the server, or `Unauthorized` after
 * its own link was rotated. Anything else is recorded in `unexpectedCloses`: a gate that
 * closes an honest person is a bug, as serious as one that lets an attacker through.
 */
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import {
  encodeRecord,
  getMetaMap,
  getRecord,
  getRecordsMap,
  META_SCHEMA_KEY,
  type StoredRecord,
  setRecord,
} from '../../shared/doc.ts'
import { LAYER_TYPE, type LayerRecord, type WriteScope } from '../../shared/layers.ts'
import { mayWriteMeta } from '../../shared/meta.ts'
import { CloseCode } from '../../shared/protocol.ts'
import { checkChange, recordChange } from '../../shared/rights.ts'
import { checkRecord, stipSchema } from '../../shared/schema/index.ts'
import { type CloseInfo, FROM_SERVER, RawClient, type RawClientOptions } from './raw-client.ts'

/** What the peers share: the server's address now, the links as the facilitator hands them out. */
export interface PeerWorld {
  readonly boardId: string
  /** The server's ws:// address now (it changes when the test restarts the server). */
  wsUrl(): string
  /** The current token of a link, as the facilitator would hand it out. */
  currentToken(link: string): string
  /** True while the test restarts the server (ServerRestarting is expected then). */
  readonly restarting: boolean
  /** The link being rotated right now, if any (its sockets are closed before the API answers). */
  readonly rotating: string | null
}

/** The value a key was last given: its stored JSON text, or null for a deletion. */
export type LastWrite = string | null

/** tldraw's serialized schema as the client's store writes it to `meta.schema`. */
const OUR_SCHEMA = stipSchema.serialize()

export class HonestPeer {
  doc: Y.Doc
  client: RawClient | null = null
  token: string
  /** The person was told their link no longer works (Unauthorized, or a refused upgrade). */
  needsNewLink = false
  /** Page loads after the first (each one a new Y.Doc and client id). */
  reloads = 0
  /** Every client id this browser's docs had, oldest first. */
  readonly clientIds: number[] = []
  readonly unexpectedCloses: string[] = []
  /** Last value this person wrote under each `records` key (null: deleted). */
  readonly lastWrites = new Map<string, LastWrite>()
  /** Last value this person wrote under each `meta` key, as JSON. */
  readonly lastMetaWrites = new Map<string, LastWrite>()
  /**
   * The browser's own secret (the client keeps one per browser profile): it proves to the
   * server that this browser introduced its earlier client ids, so work a reload carries
   * over under an old client id is still its own.
   */
  readonly secret = randomBytes(32).toString('base64url')
  private purposefullyClosed: RawClient | null = null

  constructor(
    readonly name: string,
    readonly scope: WriteScope,
    /** Which link the person opened: the role's main link, or a scoped link's name. */
    readonly link: string,
    private readonly world: PeerWorld,
  ) {
    this.token = world.currentToken(link)
    this.doc = this.newDoc(null)
  }

  get online(): boolean {
    return this.client?.isOpen === true
  }

  get records(): Y.Map<string | StoredRecord> {
    return getRecordsMap(this.doc)
  }

  /** The first page load: an empty local copy, so the board comes from the server. */
  async open(): Promise<void> {
    await this.connect()
    this.writeSchemaOnLoad()
  }

  /**
   * Opens the sync socket and waits until both sides hold each other's state: the server's
   * SyncStep2 is applied here, and ours (the answer to its SyncStep1) was handled there.
   * Returns false, without connecting, when the upgrade was refused because the link was
   * rotated meanwhile (the person then needs the new link).
   */
  async connect(): Promise<boolean> {
    if (this.client) throw new Error(`${this.name} is already connected`)
    let client: RawClient
    try {
      // The intersection type lets this file compile before and after raw-client.ts takes `secret`.
      const options: RawClientOptions & { secret?: string } = {
        doc: this.doc,
        secret: this.secret,
        // This peer sends its own updates, only while its socket is open (see `newDoc`).
        sendLocalUpdates: false,
      }
      client = await RawClient.connect(this.world.wsUrl(), this.world.boardId, this.token, options)
    } catch (error) {
      if (/HTTP 40[13]/.test(String(error)) && this.token !== this.world.currentToken(this.link)) {
        this.needsNewLink = true
        return false
      }
      throw error
    }
    this.client = client
    void client.closed.then((info) => this.closed(client, info))
    await client.waitForSync()
    await client.roundTrip()
    return true
  }

  /** Closes the socket the way a person does: closing the tab, or the network dropping. */
  async disconnect(how: 'close' | 'drop' = 'close'): Promise<void> {
    const client = this.client
    if (!client) return
    this.purposefullyClosed = client
    this.client = null
    if (how === 'drop') client.socket.terminate()
    await client.close()
  }

  /**
   * A page load: the tab goes (its socket with it), a new one loads the board from the
   * local copy into a new Y.Doc (a new client id), with `token` if the person opened a new
   * link. It reconnects if `online`.
   */
  async reload({ online, token }: { online: boolean; token?: string }): Promise<void> {
    await this.disconnect()
    const localCopy = Y.encodeStateAsUpdate(this.doc)
    this.doc.destroy()
    this.doc = this.newDoc(localCopy)
    this.reloads++
    if (token !== undefined) this.token = token
    this.needsNewLink = false
    this.writeSchemaOnLoad()
    if (online) await this.connect()
  }

  /** The person opens the link the facilitator gave them now (a page load). */
  async openNewLink(online: boolean): Promise<void> {
    await this.reload({ online, token: this.world.currentToken(this.link) })
  }

  /** The board's layers as this browser sees them. */
  layers(): Map<string, LayerRecord> {
    const layers = new Map<string, LayerRecord>()
    for (const key of this.records.keys()) {
      if (!key.startsWith(`${LAYER_TYPE}:`)) continue
      const layer = getRecord(this.records, key)
      if (layer) layers.set(key, layer as unknown as LayerRecord)
    }
    return layers
  }

  get(id: string): StoredRecord | undefined {
    return getRecord(this.records, id)
  }

  /** Would the client's rules (and so the server) allow turning `before` into `after`? */
  allowed(before: StoredRecord | undefined, after: StoredRecord | undefined): boolean {
    return checkChange(
      this.scope,
      recordChange(before, after, (id) => this.get(id), this.layers()),
    ).ok
  }

  /** Writes `record` if the client would let the person; returns whether it did. */
  put(record: StoredRecord): boolean {
    const check = checkRecord(record)
    if (!check.ok) throw new Error(`The test built an invalid ${record.id}: ${check.message}`)
    if (!this.allowed(this.get(record.id), record)) return false
    this.doc.transact(() => setRecord(this.records, record))
    this.lastWrites.set(record.id, encodeRecord(record))
    return true
  }

  /** Deletes record `id` if the client would let the person; returns whether it did. */
  remove(id: string): boolean {
    const before = this.get(id)
    if (!before || !this.allowed(before, undefined)) return false
    this.doc.transact(() => this.records.delete(id))
    this.lastWrites.set(id, null)
    return true
  }

  private newDoc(localCopy: Uint8Array | null): Y.Doc {
    const doc = new Y.Doc()
    // Loading the local copy is no local edit: it is sent only through the sync exchange.
    if (localCopy) Y.applyUpdate(doc, localCopy, FROM_SERVER)
    this.clientIds.push(doc.clientID)
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === FROM_SERVER) return
      if (this.client?.isOpen) this.client.sendUpdate(update)
    })
    return doc
  }

  /** What `bindStoreToDoc` does once the board is loaded: record the schema it is at. */
  private writeSchemaOnLoad(): void {
    const meta = getMetaMap(this.doc)
    if (this.records.size === 0) return // nothing loaded yet: the client waits for the server
    if (!mayWriteMeta(this.scope.role, META_SCHEMA_KEY)) return // the same shared check as the client's
    if (JSON.stringify(meta.get(META_SCHEMA_KEY)) === JSON.stringify(OUR_SCHEMA)) return
    this.doc.transact(() => meta.set(META_SCHEMA_KEY, OUR_SCHEMA))
    this.lastMetaWrites.set(META_SCHEMA_KEY, JSON.stringify(OUR_SCHEMA))
  }

  private closed(client: RawClient, info: CloseInfo): void {
    if (this.client === client) this.client = null
    if (this.purposefullyClosed === client) return
    if (info.code === CloseCode.ServerRestarting && this.world.restarting) return
    const rotated = this.world.rotating === this.link || this.token !== this.world.currentToken(this.link)
    if (info.code === CloseCode.Unauthorized && rotated) {
      this.needsNewLink = true
      return
    }
    this.unexpectedCloses.push(`${this.name} (${this.link} link) was closed: ${info.code} ${info.reason}`)
  }
}
