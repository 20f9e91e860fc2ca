/**
 * Where a cold join's time goes: `npx tsx bench/join-breakdown.ts [records] [joins] [kinds…]`.
 * Loads a board of N records on each server, then times fresh raw clients joining it, with
 * timestamps at every step the client can see: socket open (TCP + upgrade), the first byte
 * of the server's answer after our SyncStep1 went out, its last byte, ws handing the
 * reassembled message over, and Yjs having applied it.
 */

import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import { WebSocket } from 'ws'
import * as Y from 'yjs'
import { killAll, type ServerKind, ServerProcess } from './lib/servers.ts'
import { median, now, sleep } from './lib/stats.ts'
import { SyncClient, shapeRecord } from './lib/sync-client.ts'

const records = Number(process.argv[2] ?? 10_000)
const joins = Number(process.argv[3] ?? 7)
const kinds = (
  process.argv.slice(4).length ? process.argv.slice(4) : ['stip-full', 'y-websocket', 'hocuspocus-sqlite']
) as ServerKind[]
process.on('exit', killAll)

interface Steps {
  open: number
  firstByte: number
  lastByte: number
  message: number
  applied: number
  bytes: number
}

/** One join, by hand, y-websocket dialect or hocuspocus. */
function joinOnce(url: string, hocus: string | null): Promise<Steps> {
  return new Promise((resolve, reject) => {
    const t0 = now()
    const doc = new Y.Doc()
    // As the bench's client (and a provider) does: an update listener makes Yjs encode what it applied.
    if (process.env.LISTEN) doc.on('update', () => {})
    const ws = new WebSocket(url, { perMessageDeflate: false })
    ws.binaryType = 'nodebuffer'
    const steps: Partial<Steps> = {}
    let sentStep1 = 0
    let lastData = 0
    let bytes = 0
    ws.on('error', reject)
    const send = (write: (e: encoding.Encoder) => void) => {
      const e = encoding.createEncoder()
      if (hocus) encoding.writeVarString(e, hocus)
      write(e)
      ws.send(encoding.toUint8Array(e))
    }
    ws.on('upgrade', () => {})
    ws.on('open', () => {
      steps.open = now() - t0
      // biome-ignore lint/suspicious/noExplicitAny: reach for the raw socket to timestamp chunks
      const socket = (ws as any)._socket as import('node:net').Socket
      socket.prependListener('data', (chunk: Buffer) => {
        if (!sentStep1) return
        const t = now() - t0
        if (steps.firstByte === undefined && chunk.length > 1000) steps.firstByte = t
        lastData = t
        bytes += chunk.length
      })
      if (hocus) {
        send((e) => {
          encoding.writeVarUint(e, 2)
          encoding.writeVarUint(e, 0)
          encoding.writeVarString(e, 'bench')
        })
      }
      send((e) => {
        encoding.writeVarUint(e, 0)
        encoding.writeVarUint(e, 0)
        encoding.writeVarUint8Array(e, Y.encodeStateVector(doc))
      })
      sentStep1 = now() - t0
    })
    ws.on('message', (data: Buffer) => {
      const d = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
      if (hocus) decoding.readVarString(d)
      if (decoding.readVarUint(d) !== 0) return
      const step = decoding.readVarUint(d)
      const payload = decoding.readVarUint8Array(d)
      if (step === 0) return
      // The answer: one SyncStep2, or (Stip) the base as an Update and then a SyncStep2.
      if (steps.message === undefined) {
        steps.message = now() - t0
        steps.lastByte = lastData
      }
      Y.applyUpdate(doc, payload)
      if (step !== 1) return
      steps.applied = now() - t0
      steps.bytes = bytes
      ws.terminate()
      if (doc.getMap('records').size < records) reject(new Error('short'))
      resolve(steps as Steps)
    })
  })
}

for (const kind of kinds) {
  const server = await ServerProcess.start(kind)
  const room = await server.createRoom(`breakdown-${records}`)
  const loader = await SyncClient.open(server.endpoint(room))
  for (let start = 0; start < records; start += 500) {
    loader.doc.transact(() => {
      for (let i = start; i < Math.min(records, start + 500); i++)
        loader.put(shapeRecord(`shape:r${i}`, (i % 100) * 200, Math.floor(i / 100) * 120))
    })
    await sleep(0)
  }
  await sleep(500)
  const endpoint = server.endpoint(room)
  const hocus = endpoint.dialect === 'hocuspocus' ? endpoint.docName : null
  const all: Steps[] = []
  for (let i = 0; i < joins + 1; i++) {
    const steps = await joinOnce(endpoint.url, hocus)
    if (i > 0) all.push(steps) // the first one warms up
    await sleep(150)
  }
  const m = (f: (s: Steps) => number) => median(all.map(f)).toFixed(1)
  console.log(
    `${kind.padEnd(18)} total ${m((s) => s.applied)}  open ${m((s) => s.open)}  open→1st byte ${m((s) => s.firstByte - s.open)}  transfer ${m((s) => s.lastByte - s.firstByte)}  last byte→message ${m((s) => s.message - s.lastByte)}  apply ${m((s) => s.applied - s.message)}  (${(all[0].bytes / 1e6).toFixed(2)} MB)`,
  )
  // The first join after a change: one record added before each.
  const afterChange: Steps[] = []
  for (let i = 0; i < joins; i++) {
    loader.put(shapeRecord(`shape:changed${i}`, -200, -120 * (i + 1)))
    await sleep(50)
    afterChange.push(await joinOnce(endpoint.url, hocus))
    await sleep(150)
  }
  const c = (f: (s: Steps) => number) => median(afterChange.map(f)).toFixed(1)
  console.log(
    `${kind.padEnd(18)} AFTER CHANGE total ${c((s) => s.applied)}  open→1st byte ${c((s) => s.firstByte - s.open)}  apply ${c((s) => s.applied - s.message)}`,
  )
  loader.close()
  if (kind === 'stip-full' || kind === 'hocuspocus-sqlite') {
    await sleep(1500)
    const fromStorage: Steps[] = []
    const loads: number[] = []
    for (let i = 0; i < Number(process.env.RESTARTS ?? 3); i++) {
      await server.stop()
      await server.restart()
      server.child.stdout?.on('data', (chunk: Buffer) => {
        const match = /"room loaded".*?"ms":(\d+)/.exec(chunk.toString())
        if (match) loads.push(Number(match[1]))
      })
      await sleep(300)
      fromStorage.push(await joinOnce(server.endpoint(room).url, hocus))
    }
    const s = (f: (s: Steps) => number) => median(fromStorage.map(f)).toFixed(1)
    console.log(
      `${kind.padEnd(18)} STORAGE total ${s((s) => s.applied)}  open ${s((s) => s.open)}  open→1st byte ${s((s) => s.firstByte - s.open)}  transfer ${s((s) => s.lastByte - s.firstByte)}  last byte→message ${s((s) => s.message - s.lastByte)}  apply ${s((s) => s.applied - s.message)}  room loaded ${loads.join(',')} ms`,
    )
  }
  await server.stop()
}
process.exit(0)
