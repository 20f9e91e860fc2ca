/**
 * A page's JavaScript heap as a leak test should read it: after forced garbage collections,
 * and without compiled code.
 *
 * Compiled code grows for a while on any page that keeps working, as V8 optimises what runs
 * often (about 0.8 MB on the wall display over 9,000 remote updates), and stops where the
 * bundle's hot code ends; it is not what a page keeps of what it was sent. So the objects
 * are summed from a heap snapshot (CDP `HeapProfiler.takeHeapSnapshot`), leaving out nodes
 * of type `code`.
 */
import type { CDPSession } from 'playwright-core'

/** The parts of V8's heap snapshot format read here and in bench/scenarios/display-heap.ts. */
export interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
  nodes: number[]
  strings: string[]
}

async function collectGarbage(cdp: CDPSession): Promise<void> {
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage')
}

/** The heap snapshot of `cdp`'s page, parsed (`HeapProfiler.enable` must have been sent). */
export async function takeHeapSnapshot(cdp: CDPSession): Promise<HeapSnapshot> {
  const chunks: string[] = []
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
  try {
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  } finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
  }
  return JSON.parse(chunks.join('')) as HeapSnapshot
}

/** MiB of live objects on the page, compiled code left out, after forced collections. */
export async function liveObjectsMiB(cdp: CDPSession): Promise<number> {
  await collectGarbage(cdp)
  const snapshot = await takeHeapSnapshot(cdp)
  const fields = snapshot.snapshot.meta.node_fields
  const width = fields.length
  const typeAt = fields.indexOf('type')
  const sizeAt = fields.indexOf('self_size')
  const code = snapshot.snapshot.meta.node_types[0].indexOf('code')
  let bytes = 0
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    if (snapshot.nodes[i + typeAt] !== code) bytes += snapshot.nodes[i + sizeAt]
  }
  return bytes / 1024 / 1024
}
