/**
 * A board with a layer tree, for the layer rights tests. A facilitator builds it through
 * the sync socket exactly as the client would (layer records and shapes in `records`):
 *
 *   layer:root "Missie & strategie"      shape:north-star, shape:in-root
 *   ├─ layer:sociaal "Sociaal domein"     shape:in-sociaal
 *   │  ├─ layer:jeugd "Team Jeugd"        shape:in-jeugd
 *   │  └─ layer:besloten "Besloten" 🔒    shape:in-besloten
 *   │     └─ layer:werkgroep "Werkgroep"  shape:in-werkgroep   (locked through its parent)
 *   └─ layer:publiek "Publiekszaken"      shape:in-publiek
 *
 * and a participant link scoped to "Sociaal domein" is made through the API. The locked
 * layer sits inside Sociaal domein on purpose: there, only the lock stops that participant.
 */
import type { CreateLinkResponse } from '../../shared/api.ts'
import type { StoredRecord } from '../../shared/doc.ts'
import { type LayerRecord, ROOT_LAYER_ID } from '../../shared/layers.ts'
import { CloseCode, MessageType, SyncStep } from '../../shared/protocol.ts'
import { api, createBoard, type TestBoard, tokenFromLink } from './api.ts'
import { type CloseInfo, RawClient, type RawClientOptions } from './raw-client.ts'
import { putRecords, recordsSnapshot, shapeRecord } from './records.ts'
import { startTestServer, type TestServer } from './server.ts'

export const SOCIAAL = 'layer:sociaal'
export const JEUGD = 'layer:jeugd'
export const BESLOTEN = 'layer:besloten'
export const WERKGROEP = 'layer:werkgroep'
export const PUBLIEK = 'layer:publiek'

/** The shape the fixture puts in each layer. */
export const SHAPE_IN = {
  [ROOT_LAYER_ID]: 'shape:in-root',
  [SOCIAAL]: 'shape:in-sociaal',
  [JEUGD]: 'shape:in-jeugd',
  [BESLOTEN]: 'shape:in-besloten',
  [WERKGROEP]: 'shape:in-werkgroep',
  [PUBLIEK]: 'shape:in-publiek',
} as const

/** A layer record as the client's panel writes it. */
export function layerRecord(
  id: string,
  name: string,
  parentId: string,
  fields: Partial<Omit<LayerRecord, 'id' | 'typeName' | 'name' | 'parentId'>> = {},
): StoredRecord {
  const layer: LayerRecord = {
    id,
    typeName: 'layer',
    name,
    parentId,
    color: 'green',
    description: '',
    owner: '',
    index: 1,
    visible: true,
    locked: false,
    meta: {},
    ...fields,
  }
  return layer as unknown as StoredRecord
}

/** A geo shape in `layerId` (`meta.layerId`); null leaves it without one (the root). */
export function shapeInLayer(id: string, layerId: string | null): StoredRecord {
  return { ...shapeRecord(id), meta: layerId === null ? {} : { layerId } }
}

export function fixtureLayers(): StoredRecord[] {
  return [
    layerRecord(SOCIAAL, 'Sociaal domein', ROOT_LAYER_ID, { index: 1, color: 'green' }),
    layerRecord(PUBLIEK, 'Publiekszaken', ROOT_LAYER_ID, { index: 2, color: 'orange' }),
    layerRecord(JEUGD, 'Team Jeugd', SOCIAAL, { index: 1, color: 'light-green' }),
    layerRecord(BESLOTEN, 'Besloten', SOCIAAL, { index: 2, color: 'grey', locked: true }),
    layerRecord(WERKGROEP, 'Werkgroep', BESLOTEN, { index: 1, color: 'violet' }),
  ]
}

export function fixtureShapes(): StoredRecord[] {
  return [
    shapeInLayer(SHAPE_IN[ROOT_LAYER_ID], null),
    ...[SOCIAAL, JEUGD, BESLOTEN, WERKGROEP, PUBLIEK].map((layerId) =>
      shapeInLayer(SHAPE_IN[layerId as keyof typeof SHAPE_IN], layerId),
    ),
  ]
}

export interface LayeredBoard {
  server: TestServer
  board: TestBoard
  /** Token of the participant link scoped to Sociaal domein. */
  sociaalToken: string
  /** Opens a raw client and waits until it is in sync; closed by `closeClients`. */
  connect(token: string, options?: RawClientOptions): Promise<RawClient>
  /** Closes every client `connect` opened. */
  closeClients(): Promise<void>
  /** Closes the clients, stops the server and removes its data. */
  stop(): Promise<void>
}

export async function startLayeredBoard(boardName = 'Gemeente Voorbeeld'): Promise<LayeredBoard> {
  const server = await startTestServer()
  const clients: RawClient[] = []
  const connect = async (token: string, options?: RawClientOptions) => {
    const client = await RawClient.connect(server.wsUrl, board.id, token, options)
    clients.push(client)
    await client.waitForSync()
    return client
  }
  const closeClients = async () => {
    for (const client of clients.splice(0)) await client.close()
  }
  let board: TestBoard
  try {
    board = await createBoard(server.url, boardName)
    const facilitator = await connect(board.tokens.facilitator)
    putRecords(facilitator.doc, [...fixtureLayers(), ...fixtureShapes()])
    await facilitator.roundTrip()
    if (facilitator.closeInfo) throw new Error(`The facilitator was closed: ${JSON.stringify(facilitator.closeInfo)}`)
    const link = await api<CreateLinkResponse>(server.url, `/api/boards/${board.id}/links`, {
      token: board.tokens.facilitator,
      json: { role: 'participant', layerId: SOCIAAL },
    })
    if (link.status !== 201) throw new Error(`Creating the scoped link failed: ${link.status} ${link.text}`)
    await closeClients()
    return {
      server,
      board,
      sociaalToken: tokenFromLink(link.body.link),
      connect,
      closeClients,
      async stop() {
        await closeClients()
        await server.stop()
      },
    }
  } catch (error) {
    await closeClients()
    await server.stop()
    throw error
  }
}

export type Channel = 'Update' | 'SyncStep2'
export const CHANNELS: Channel[] = ['Update', 'SyncStep2']

/** Sends `update` as an Update or as a SyncStep2 frame. */
export function sendAs(client: RawClient, channel: Channel, update: Uint8Array): void {
  if (channel === 'Update') client.sendUpdate(update)
  else client.sendSyncStep2(update)
}

export interface Refusal {
  /** How the server closed the sender's socket; null if it was still open after 5 s. */
  close: CloseInfo | null
  /** Update frames the watcher received while the update was tried (must be none). */
  forwarded: number
  /** The watcher's records before and after. */
  before: Record<string, unknown>
  after: Record<string, unknown>
}

/**
 * Opens a connection with `token`, has it send `update` through `channel`, and reports
 * how the server closed it (if it did within 5 s) and what a watching facilitator received
 * meanwhile.
 */
export async function tryUpdate(
  env: LayeredBoard,
  token: string,
  channel: Channel,
  makeUpdate: (sender: RawClient) => Uint8Array,
): Promise<Refusal> {
  const watcher = await env.connect(env.board.tokens.facilitator, { sendLocalUpdates: false })
  const sender = await env.connect(token, { sendLocalUpdates: false })
  const before = recordsSnapshot(watcher.doc)
  const framesBefore = watcher.frames.length
  sendAs(sender, channel, makeUpdate(sender))
  const close = await sender.waitForClose(5_000).catch(() => null)
  // The server answers a SyncStep1 only after it has broadcast what it applied before.
  await watcher.roundTrip()
  const forwarded = watcher.frames
    .slice(framesBefore)
    .filter((frame) => frame.type === MessageType.Sync && frame.step === SyncStep.Update).length
  return { close, forwarded, before, after: recordsSnapshot(watcher.doc) }
}

/** The board's records as a fresh facilitator connection sees them after a server restart. */
export async function recordsAfterRestart(env: LayeredBoard): Promise<Record<string, unknown>> {
  await env.closeClients()
  await env.server.restart()
  const fresh = await env.connect(env.board.tokens.facilitator)
  return recordsSnapshot(fresh.doc)
}

export const FORBIDDEN = CloseCode.Forbidden
