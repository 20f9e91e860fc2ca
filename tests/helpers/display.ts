/**
 * For the wall display's browser tests: a server that can go down and come back on the
 * same port (a kiosk's page keeps its address), display links with query parameters,
 * valid tldraw shapes written from Node as a facilitator's client would, and reading what
 * the display shows.
 */
import { toRichText } from '@tldraw/tlschema'
import type { Page } from 'playwright-core'
import { type StipServer, startServer } from '../../server/app.ts'
import { silentLogger } from '../../server/log.ts'
import type { DisplaySettings } from '../../shared/display.ts'
import { META_DISPLAY_KEY } from '../../shared/display.ts'
import { getMetaMap, type StoredRecord } from '../../shared/doc.ts'
import { ROOT_LAYER_ID } from '../../shared/layers.ts'
import { stipSchema } from '../../shared/schema/index.ts'
import { createBoard, type TestBoard } from './api.ts'
import type { StipWindow } from './browser.ts'
import type { ProviderClient } from './provider.ts'
import { createTempDir, type TempDir } from './temp-dir.ts'

/** A server whose process "restarts": `down()` closes it, `up()` starts it on the same port and data. */
export interface OutageServer {
  readonly url: string
  readonly wsUrl: string
  board: TestBoard
  down(): Promise<void>
  up(): Promise<void>
  stop(): Promise<void>
}

export async function startOutageServer(boardName = 'Voorbeeld Digitaal 2030'): Promise<OutageServer> {
  const dir: TempDir = await createTempDir()
  let port = 0
  let current: StipServer | null = null
  const up = async () => {
    current = await startServer({ port, host: '127.0.0.1', dataDir: dir.path, log: silentLogger })
    port = current.port
  }
  try {
    await up()
    const url = `http://127.0.0.1:${port}`
    const board = await createBoard(url, boardName)
    return {
      url,
      wsUrl: url.replace(/^http/, 'ws'),
      board,
      up,
      async down() {
        const old = current
        current = null
        await old?.close()
      },
      async stop() {
        const old = current
        current = null
        try {
          await old?.close()
        } finally {
          await dir.remove()
        }
      },
    }
  } catch (error) {
    await (current as StipServer | null)?.close()
    await dir.remove()
    throw error
  }
}

/** The display link with query parameters; they go before the `#token=…` fragment. */
export function displayLink(link: string, params: Record<string, string> = {}): string {
  const url = new URL(link)
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value)
  return url.toString()
}

export interface ShapeFields {
  x: number
  y: number
  w?: number
  h?: number
  layerId?: string
  color?: string
  text?: string
}

/** A complete geo shape record, validated against Stip's schema, as the client would write it. */
export function geoShape(
  id: string,
  { x, y, w = 200, h = 120, layerId = ROOT_LAYER_ID, color = 'blue', text = '' }: ShapeFields,
) {
  const record = {
    id: id.startsWith('shape:') ? id : `shape:${id}`,
    typeName: 'shape',
    type: 'geo',
    x,
    y,
    rotation: 0,
    index: 'a2',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    props: {
      geo: 'rectangle',
      dash: 'draw',
      url: '',
      w,
      h,
      growY: 0,
      scale: 1,
      flipX: false,
      flipY: false,
      labelColor: 'black',
      color,
      fill: 'semi',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: toRichText(text),
    },
    meta: { layerId },
  }
  stipSchema.types.shape.validate(record)
  return record as unknown as StoredRecord
}

/** Writes live display settings the way the facilitator's control does. */
export function setLiveDisplaySettings(client: ProviderClient, patch: Partial<DisplaySettings>): void {
  const meta = getMetaMap(client.doc)
  const current = (meta.get(META_DISPLAY_KEY) as object | undefined) ?? {}
  client.doc.transact(() => meta.set(META_DISPLAY_KEY, { ...current, ...patch }))
}

/** The caption the display shows now (empty when none). */
export async function captionText(page: Page): Promise<string> {
  return (await page.locator('[data-testid="display-caption"]').allTextContents()).join('')
}

/** The display's camera. */
export function camera(page: Page): Promise<{ x: number; y: number; z: number }> {
  return page.evaluate(() => {
    const { x, y, z } = (window as unknown as StipWindow).__stipEditor.getCamera()
    return { x, y, z }
  })
}

/** Whether shape `id` lies (mostly) inside what the display shows. */
export function isInView(page: Page, id: string): Promise<boolean> {
  return page.evaluate((shapeId) => {
    const editor = (window as unknown as StipWindow).__stipEditor
    const bounds = editor.getShapePageBounds(shapeId)
    return bounds !== undefined && editor.getViewportPageBounds().contains(bounds)
  }, id)
}
