/**
 * A y-websocket client written by hand: a `ws` WebSocket and a Y.Doc, every frame encoded
 * and decoded with the codec of shared/protocol.ts, so tests see exactly what the server
 * sends and can send frames no well-behaved client would (display writes, invalid records,
 * garbage).
 *
 * The exchange it speaks (see shared/protocol.ts): on open it sends SyncStep1; it answers
 * the server's SyncStep1 with SyncStep2; it applies the server's SyncStep2 and Updates; and
 * it sends its own document changes as Updates. Each of these can be turned off.
 */
import { randomBytes } from 'node:crypto'
import WebSocket from 'ws'
import * as Y from 'yjs'
import {
  MessageType,
  readFrame,
  SYNC_PATH_PREFIX,
  SyncStep,
  syncStep1Frame,
  syncStep2Frame,
  updateFrame,
} from '../../shared/protocol.ts'
import { CLIENT_PARAM, TOKEN_PARAM } from '../../shared/routes.ts'
import { waitFor, withTimeout } from './wait.ts'

/** Transaction origin of changes that came from the server, so they are not sent back. */
export const FROM_SERVER = Symbol('from-server')

export interface ReceivedFrame {
  type: number
  /** For Sync frames. */
  step?: number
  /** For Sync and Awareness frames. */
  payload?: Uint8Array
  data: Uint8Array
}

export interface CloseInfo {
  code: number
  reason: string
}

export interface RawClientOptions {
  /** Send SyncStep1 as soon as the socket opens (default true). */
  syncOnOpen?: boolean
  /** Answer the server's SyncStep1 with a SyncStep2 of the local document (default true). */
  answerSyncStep1?: boolean
  /** Send local document changes as Update frames (default true). */
  sendLocalUpdates?: boolean
  /** Start from this document instead of an empty one. */
  doc?: Y.Doc
  /**
   * The browser secret to present (`?client=`); default: the one of this doc's simulated
   * browser (`browserSecretOf`), so reconnecting with the same doc keeps its client ids.
   * null: present none, as a plain y-websocket client would.
   */
  secret?: string | null
  timeoutMs?: number
}

export function syncUrl(wsUrl: string, boardId: string, token?: string, secret?: string): string {
  const query = new URLSearchParams()
  if (token !== undefined) query.set(TOKEN_PARAM, token)
  if (secret !== undefined) query.set(CLIENT_PARAM, secret)
  const search = query.toString()
  return `${wsUrl}${SYNC_PATH_PREFIX}${encodeURIComponent(boardId)}${search === '' ? '' : `?${search}`}`
}

/** A new browser secret: 256 random bits, as the Stip client makes one per browser profile. */
export function newBrowserSecret(): string {
  return randomBytes(32).toString('base64url')
}

const browserSecrets = new WeakMap<Y.Doc, string>()

/**
 * The secret of the simulated browser that holds `doc`: one per doc unless a test says
 * otherwise (`useBrowserSecret`), so a raw client and a provider on the same doc are one
 * browser, and a fresh doc is a fresh browser.
 */
export function browserSecretOf(doc: Y.Doc): string {
  let secret = browserSecrets.get(doc)
  if (!secret) {
    secret = newBrowserSecret()
    browserSecrets.set(doc, secret)
  }
  return secret
}

/** Makes `doc` belong to the browser with `secret` (a reload, a second tab of one browser). */
export function useBrowserSecret(doc: Y.Doc, secret: string): void {
  browserSecrets.set(doc, secret)
}

/** A frame as tests look at it; `type` is -1 for a frame `readFrame` refuses. */
export function decodeFrame(data: Uint8Array): ReceivedFrame {
  const frame = readFrame(data)
  switch (frame.type) {
    case MessageType.Sync:
      return { type: frame.type, step: frame.step, payload: 'update' in frame ? frame.update : frame.stateVector, data }
    case MessageType.Awareness:
      return { type: frame.type, payload: frame.update, data }
    default:
      return { type: frame.type, data }
  }
}

export class RawClient {
  readonly doc: Y.Doc
  readonly frames: ReceivedFrame[] = []
  /** Set once the socket has closed. */
  closeInfo: CloseInfo | null = null
  readonly closed: Promise<CloseInfo>
  /** Errors the socket reported (kept so they don't become uncaught exceptions). */
  readonly errors: Error[] = []
  private step1Sent = 0
  private step2Received = 0
  private readonly frameListeners = new Set<(frame: ReceivedFrame) => void>()

  private constructor(
    readonly socket: WebSocket,
    doc: Y.Doc,
    private readonly options: Required<Omit<RawClientOptions, 'doc' | 'secret'>>,
  ) {
    this.doc = doc
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeInfo = { code, reason: reason.toString() }
        resolve(this.closeInfo)
      })
    })
    socket.on('error', (error) => this.errors.push(error))
    socket.on('message', (data, isBinary) => {
      if (!isBinary) return
      this.receive(toBytes(data))
    })
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== FROM_SERVER && this.options.sendLocalUpdates) this.sendUpdate(update)
    })
  }

  /** Opens a sync connection; rejects if the upgrade is refused or the socket closes first. */
  static async connect(
    wsUrl: string,
    boardId: string,
    token: string,
    options: RawClientOptions = {},
  ): Promise<RawClient> {
    const resolved = {
      syncOnOpen: options.syncOnOpen ?? true,
      answerSyncStep1: options.answerSyncStep1 ?? true,
      sendLocalUpdates: options.sendLocalUpdates ?? true,
      timeoutMs: options.timeoutMs ?? 5_000,
    }
    const doc = options.doc ?? new Y.Doc()
    const secret = options.secret === undefined ? browserSecretOf(doc) : (options.secret ?? undefined)
    const socket = new WebSocket(syncUrl(wsUrl, boardId, token, secret))
    const client = new RawClient(socket, doc, resolved)
    const opened = new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve())
      socket.once('unexpected-response', (_request, response) => {
        response.resume()
        socket.terminate()
        reject(new Error(`Upgrade refused with HTTP ${response.statusCode}`))
      })
      socket.once('close', (code) => reject(new Error(`Socket closed (${code}) before it opened`)))
      socket.once('error', (error) => reject(error))
    })
    await withTimeout(opened, resolved.timeoutMs, 'the sync socket to open')
    if (resolved.syncOnOpen) client.sendSyncStep1()
    return client
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN
  }

  /** Calls `listener` for every frame received from now on; returns an unsubscribe function. */
  onFrame(listener: (frame: ReceivedFrame) => void): () => void {
    this.frameListeners.add(listener)
    return () => this.frameListeners.delete(listener)
  }

  sendRaw(data: Uint8Array): void {
    // A send after the server closed the socket is dropped; the callback swallows the error.
    this.socket.send(data, () => {})
  }

  sendSyncStep1(): void {
    this.step1Sent++
    this.sendRaw(syncStep1Frame(Y.encodeStateVector(this.doc)))
  }

  sendSyncStep2(update: Uint8Array): void {
    this.sendRaw(syncStep2Frame(update))
  }

  sendUpdate(update: Uint8Array): void {
    this.sendRaw(updateFrame(update))
  }

  /** Waits until the server has answered every SyncStep1 this client sent. */
  async waitForSync(timeoutMs = this.options.timeoutMs): Promise<void> {
    await waitFor(() => this.step2Received >= this.step1Sent || this.closeInfo, {
      timeoutMs,
      message: 'the server to answer SyncStep1',
    })
    if (this.closeInfo) throw new Error(`Socket closed (${this.closeInfo.code} ${this.closeInfo.reason})`)
  }

  /**
   * Sends a SyncStep1 and waits for its answer. Frames on one socket are handled in order,
   * so once this resolves the server has handled everything this client sent before, and
   * everything it sent to this client before has arrived.
   */
  async roundTrip(timeoutMs = this.options.timeoutMs): Promise<void> {
    const before = this.step2Received
    this.sendSyncStep1()
    await waitFor(() => (this.step2Received > before && this.step2Received >= this.step1Sent) || this.closeInfo, {
      timeoutMs,
      message: 'a SyncStep2 answering our SyncStep1',
    })
    if (this.closeInfo) throw new Error(`Socket closed (${this.closeInfo.code} ${this.closeInfo.reason})`)
  }

  waitForClose(timeoutMs = this.options.timeoutMs): Promise<CloseInfo> {
    return withTimeout(this.closed, timeoutMs, 'the server to close the socket')
  }

  /** Closes the socket (if open) and waits for it to be closed. */
  async close(): Promise<void> {
    if (this.closeInfo) return
    this.socket.close()
    await withTimeout(this.closed, 2_000, 'the socket to close').catch(() => this.socket.terminate())
  }

  private receive(data: Uint8Array): void {
    let frame: ReceivedFrame
    try {
      frame = decodeFrame(data)
    } catch {
      frame = { type: -1, data }
    }
    this.frames.push(frame)
    if (frame.type === MessageType.Sync && frame.payload) {
      if (frame.step === SyncStep.Step1 && this.options.answerSyncStep1) {
        this.sendSyncStep2(Y.encodeStateAsUpdate(this.doc, frame.payload))
      } else if (frame.step === SyncStep.Step2 || frame.step === SyncStep.Update) {
        Y.applyUpdate(this.doc, frame.payload, FROM_SERVER)
        if (frame.step === SyncStep.Step2) this.step2Received++
      }
    }
    for (const listener of this.frameListeners) listener(frame)
  }
}

export interface RefusedUpgrade {
  /** HTTP status of the refusal, or null if the upgrade succeeded. */
  status: number | null
  body: string
  /** Frames received (must stay empty for a refused upgrade). */
  frames: Uint8Array[]
}

/** Tries to open a sync socket at `url` and reports how the server answered. */
export function attemptUpgrade(
  url: string,
  timeoutMs = 5_000,
  headers: Record<string, string> = {},
): Promise<RefusedUpgrade> {
  const socket = new WebSocket(url, { headers })
  const frames: Uint8Array[] = []
  socket.on('message', (data) => frames.push(toBytes(data)))
  socket.on('error', () => {})
  const result = new Promise<RefusedUpgrade>((resolve) => {
    socket.once('unexpected-response', (request, response) => {
      let body = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        body += chunk
      })
      response.on('end', () => {
        request.destroy()
        resolve({ status: response.statusCode ?? 0, body, frames })
      })
    })
    socket.once('open', () => {
      // Give the server a moment to send what it would send, then report the success.
      setTimeout(() => {
        socket.terminate()
        resolve({ status: null, body: '', frames })
      }, 200)
    })
    socket.once('close', () => resolve({ status: null, body: '', frames }))
  })
  return withTimeout(result, timeoutMs, `an answer to the upgrade of ${url}`)
}

function toBytes(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
