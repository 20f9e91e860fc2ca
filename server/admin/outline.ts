/**
 * The board as plain text, for the archive: its mission, its layers as a tree, and every
 * development path with its milestones (from the paths report, `shared/pathReport.ts`), in
 * Dutch, readable without Stip in any text editor a records office has.
 */
import type { PathsResponse } from '../../shared/api.ts'
import type { StoredRecord } from '../../shared/doc.ts'
import { NORTH_STAR_ID } from '../../shared/schema/index.ts'

const STATUS = { planned: 'gepland', 'in-progress': 'bezig', done: 'behaald' } as const

/** The text of tldraw rich text (a ProseMirror document), paragraphs on their own lines. */
export function richTextToLines(value: unknown): string {
  const lines: string[] = []
  let line = ''
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return
    const { text, content, type } = node as { text?: unknown; content?: unknown; type?: unknown }
    if (typeof text === 'string') line += text
    if (Array.isArray(content)) for (const child of content) visit(child)
    if (type === 'paragraph' || type === 'heading') {
      lines.push(line.trim())
      line = ''
    }
  }
  visit(value)
  if (line.trim()) lines.push(line.trim())
  return lines.filter((l) => l !== '').join('\n')
}

export function outlineText(report: PathsResponse, records: readonly StoredRecord[], exported: string): string {
  const northStar = records.find((record) => record.id === NORTH_STAR_ID) as
    | (StoredRecord & { props?: { mission?: unknown } })
    | undefined
  const mission = richTextToLines(northStar?.props?.mission) || '(nog geen missie)'
  const out: string[] = [
    `Stip — ${report.name}`,
    `Bord ${report.boardId}, vastgelegd ${exported}`,
    '',
    'Missie',
    ...mission.split('\n').map((line) => `  ${line}`),
    '',
    report.rhythm.chosen
      ? `Iteraties: elke ${report.rhythm.weeks} weken vanaf ${report.rhythm.firstStart}; nu iteratie ${report.currentIteration.number} (${report.currentIteration.start} – ${report.currentIteration.end})`
      : 'Iteraties: nog geen ritme gekozen',
    '',
    'Lagen',
  ]
  for (const layer of report.layers) {
    const p = layer.progress
    out.push(
      `${'  '.repeat(layer.depth + 1)}- ${layer.name} (${p.paths} paden, ${p.done} van ${p.total} mijlpalen behaald)`,
    )
  }
  for (const layer of report.layers) {
    if (layer.paths.length === 0 && layer.looseMilestones.length === 0) continue
    out.push('', `Laag: ${layer.name}`)
    for (const path of layer.paths) {
      const reach = path.reachesNorthStar ? 'bereikt de stip' : 'bereikt de stip nog niet'
      out.push(`  Pad ${path.number} (${reach}; ${path.progress.done} van ${path.progress.total} behaald)`)
      path.milestones.forEach((m, i) => {
        const days = m.start || m.end ? `, ${m.start || '?'} – ${m.end || '?'}` : ''
        const owner = m.owner ? `, ${m.owner}` : ''
        const late = m.overdue ? ', te laat' : ''
        out.push(`    ${i + 1}. ${m.title || '(zonder titel)'}${owner}${days}: ${STATUS[m.status]}${late}`)
        if (m.description) out.push(`       ${m.description.replace(/\s+/g, ' ')}`)
      })
    }
    if (layer.looseMilestones.length > 0) {
      out.push('  Mijlpalen op geen pad:')
      for (const m of layer.looseMilestones) out.push(`    - ${m.title || '(zonder titel)'}: ${STATUS[m.status]}`)
    }
  }
  return `${out.join('\n')}\n`
}
