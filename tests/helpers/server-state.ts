/**
 * Waiting until the server holds what a browser just made. An edit reaches the server a
 * moment after the page shows it (over the page's socket, after tldraw's and the binding's
 * batching), so a test that then asks the server (an API call) or opens another browser on
 * the board must first wait for the server to have it — never for a fixed time. Each wait
 * polls the facilitator's API, is bounded, and says on timeout what it last saw.
 */
import type { BoardInfo, LayerListResponse } from '../../shared/api.ts'
import { api } from './api.ts'
import type { BoardServer } from './browser-server.ts'
import { waitFor } from './wait.ts'

const TIMEOUT_MS = 10_000
const INTERVAL_MS = 50

/** Waits until `GET /api/boards/:id/layers` lists `layerId`. */
export async function waitForServerLayer(env: BoardServer, layerId: string, timeoutMs = TIMEOUT_MS): Promise<void> {
  let seen = 'nothing yet'
  try {
    await waitFor(
      async () => {
        const response = await api<LayerListResponse>(env.server.url, `/api/boards/${env.board.id}/layers`, {
          token: env.board.tokens.facilitator,
        })
        seen = response.status === 200 ? JSON.stringify(response.body.layers.map((layer) => layer.id)) : response.text
        return response.status === 200 && response.body.layers.some((layer) => layer.id === layerId)
      },
      { timeoutMs, intervalMs: INTERVAL_MS, message: `the server to list layer ${layerId}` },
    )
  } catch (error) {
    throw new Error(`${(error as Error).message}; it listed ${seen}`)
  }
}

/** Waits until the board on the server holds at least `count` shapes (the north star counts). */
export async function waitForServerShapes(env: BoardServer, count: number, timeoutMs = TIMEOUT_MS): Promise<void> {
  let seen = 'nothing yet'
  try {
    await waitFor(
      async () => {
        const response = await api<BoardInfo>(env.server.url, `/api/boards/${env.board.id}`, {
          token: env.board.tokens.facilitator,
        })
        seen = response.status === 200 ? `${response.body.counts.shapes} shapes` : response.text
        return response.status === 200 && response.body.counts.shapes >= count
      },
      { timeoutMs, intervalMs: INTERVAL_MS, message: `the server to hold ${count} shapes` },
    )
  } catch (error) {
    throw new Error(`${(error as Error).message}; it held ${seen}`)
  }
}
