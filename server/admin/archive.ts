/**
 * One file per board for the records office (Archiefwet): a ZIP (written and read with
 * fflate) of open formats only, readable without Stip:
 * - `stip-archive.json`: what this is (format, version), the board (id, name, created), when.
 * - `records.json`: every record of the board, exactly as the board stores it (tldraw's JSON).
 * - `meta.json`: the board-level values (its tldraw schema, iteration rhythm…).
 * - `versions.json` and `versions/NNN-<id>.json`: each saved version, its records and meta.
 * - `outline.txt`: the board as plain text (mission, layers, paths, milestones).
 * - `paths.csv`: the paths report, one row per milestone (as `GET …/paths` with text/csv).
 * - `board.pdf`: the board as a PDF (A3, the Export's PDF), when the server has Chromium to
 *   render it (`pdf.ts`); else the manifest and `LEESMIJ.txt` say it is missing and why.
 * - `LEESMIJ.txt`: the same list for a person.
 * Importing an archive makes a new board from `records.json` and `meta.json` and its
 * versions from theirs (the PDF is a rendering, not a source, and is ignored): the round
 * trip keeps every record and value as it was.
 *
 * Reading trusts nothing: the archive's unpacked size is bounded before anything is
 * unpacked, every record must pass the full Stip schema and every meta value its check, or
 * nothing is imported (`ArchiveError`, with what was wrong).
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate'
import * as Y from 'yjs'
import { ARCHIVE_PDF_FILE, type ArchivePdfStatus } from '../../shared/archivePdf.ts'
import { getMetaMap, getRecordsMap, isStoredRecord, type StoredRecord, setRecord } from '../../shared/doc.ts'
import { refuseMetaValue } from '../../shared/meta.ts'
import { ROLES, type Role } from '../../shared/roles.ts'
import { checkRecord } from '../../shared/schema/index.ts'
import { AUTO_TRIGGERS, type AutoTrigger, VERSION_KINDS, type VersionKind } from '../../shared/versions.ts'
import type { BoardRow, VersionRow } from '../store/types.ts'

export const ARCHIVE_FORMAT = 'stip-archive'
export const ARCHIVE_VERSION = 1
/** Bytes an archive may unpack to: far above a real board (256 MB at most), far below a ZIP bomb's. */
export const MAX_ARCHIVE_UNPACKED_BYTES = 1024 * 1024 * 1024

export class ArchiveError extends Error {}

/** A board's content as the archive holds it. */
export interface BoardContent {
  records: StoredRecord[]
  meta: Record<string, unknown>
}

export interface ArchivedVersion extends BoardContent {
  name: string
  kind: VersionKind
  trigger: AutoTrigger | null
  created: string
  createdByRole: Role | null
}

export interface Archive extends BoardContent {
  board: BoardRow
  versions: ArchivedVersion[]
}

/** The records and meta of a document, records sorted by id. */
export function contentOf(doc: Y.Doc): BoardContent {
  const records: StoredRecord[] = []
  for (const [id, value] of getRecordsMap(doc)) {
    const record = typeof value === 'string' ? (JSON.parse(value) as unknown) : value
    if (isStoredRecord(record, id)) records.push(record)
  }
  records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  return { records, meta: Object.fromEntries(getMetaMap(doc).entries()) }
}

/** A new document holding `content`, as one Yjs update. */
export function documentOf(content: BoardContent): Uint8Array {
  const doc = new Y.Doc()
  doc.transact(() => {
    const records = getRecordsMap(doc)
    for (const record of content.records) setRecord(records, record)
    const meta = getMetaMap(doc)
    for (const [key, value] of Object.entries(content.meta)) meta.set(key, value)
  })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}

const json = (value: unknown) => strToU8(`${JSON.stringify(value, null, 2)}\n`)

/** Why the PDF is missing, for a person reading `LEESMIJ.txt`. */
const PDF_MISSING: Record<Exclude<ArchivePdfStatus, 'included'>, string> = {
  'no-chromium': 'de server heeft geen Chromium om de tekening te maken (Debian-pakket "chromium")',
  failed: 'Chromium kon de tekening niet maken (zie het log van de server)',
  timeout: 'het maken van de tekening duurde te lang',
  empty: 'er staat niets op het bord',
}

const readme = (pdf: ArchivePdfStatus) => `Stip-archief van één bord
=========================

stip-archive.json   wat dit is: het bord (id, naam, aangemaakt) en wanneer het is vastgelegd
records.json        alle onderdelen van de tekening (tldraw-records, JSON), precies zoals opgeslagen
meta.json           instellingen van het bord (schema, iteratieritme)
versions.json       de bewaarde versies: naam, soort, tijd, wie
versions/           per versie de records en instellingen (JSON)
outline.txt         het bord als tekst: missie, lagen, paden en mijlpalen
paths.csv           de ontwikkelpaden, één regel per mijlpaal (puntkomma, UTF-8)
${
  pdf === 'included'
    ? `${ARCHIVE_PDF_FILE}           de tekening als PDF (A3), met missie, datum en legenda van de lagen`
    : `${ARCHIVE_PDF_FILE}           ontbreekt: ${PDF_MISSING[pdf]}.
                    Een PDF of poster maakt u ook in Stip zelf: open het bord en kies Exporteren.`
}

Een beheerder kan dit bestand in Stip importeren als een nieuw bord.
`

/** The archive of one board: see the header. */
export function writeArchive(input: {
  board: BoardRow
  content: BoardContent
  versions: { row: VersionRow; content: BoardContent }[]
  outline: string
  pathsCsv: string
  exported: string
  /** The board's PDF, or why there is none. */
  pdf: { status: 'included'; bytes: Uint8Array } | { status: Exclude<ArchivePdfStatus, 'included'> }
}): Uint8Array {
  const files: Record<string, Uint8Array> = {}
  const index = input.versions.map(({ row }, i) => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    trigger: row.trigger,
    created: row.created,
    createdByRole: row.createdByRole,
    file: `versions/${String(i + 1).padStart(3, '0')}-${row.id}.json`,
  }))
  files['stip-archive.json'] = json({
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    exported: input.exported,
    board: { id: input.board.id, name: input.board.name, created: input.board.created },
    records: input.content.records.length,
    versions: index.length,
    pdf: input.pdf.status === 'included' ? ARCHIVE_PDF_FILE : null,
    pdfStatus: input.pdf.status,
  })
  files['records.json'] = json(input.content.records)
  files['meta.json'] = json(input.content.meta)
  files['versions.json'] = json(index)
  input.versions.forEach(({ content }, i) => {
    files[index[i].file] = json(content)
  })
  files['outline.txt'] = strToU8(input.outline)
  files['paths.csv'] = strToU8(input.pathsCsv)
  // A PDF is compressed already: stored as it is.
  if (input.pdf.status === 'included') files[ARCHIVE_PDF_FILE] = input.pdf.bytes
  files['LEESMIJ.txt'] = strToU8(readme(input.pdf.status))
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, bytes]) => [name, [bytes, { level: name === ARCHIVE_PDF_FILE ? 0 : 6 }]]),
    ),
    { mtime: new Date(input.exported) },
  )
}

/** The JSON in one file of the archive; throws `ArchiveError` when it is missing or not JSON. */
function readJson(files: Record<string, Uint8Array>, name: string): unknown {
  const bytes = files[name]
  if (!bytes) throw new ArchiveError(`the archive has no ${name}`)
  try {
    return JSON.parse(strFromU8(bytes))
  } catch {
    throw new ArchiveError(`${name} is not JSON`)
  }
}

/** Records and meta that may go onto a board: each record valid for the full schema, each value its check. */
function readContent(records: unknown, meta: unknown, where: string): BoardContent {
  if (!Array.isArray(records)) throw new ArchiveError(`${where}: the records are not a list`)
  const seen = new Set<string>()
  for (const record of records) {
    const check = checkRecord(record)
    if (!check.ok) throw new ArchiveError(`${where}: a record is ${check.reason}: ${check.message}`)
    if (!isStoredRecord(record)) throw new ArchiveError(`${where}: a record's id does not name its kind`)
    if (seen.has(record.id)) throw new ArchiveError(`${where}: ${record.id} is there twice`)
    seen.add(record.id)
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta))
    throw new ArchiveError(`${where}: the board settings are not an object`)
  for (const [key, value] of Object.entries(meta)) {
    const refused = refuseMetaValue(key, value)
    if (refused) throw new ArchiveError(`${where}: ${refused}`)
  }
  return { records: records as StoredRecord[], meta: meta as Record<string, unknown> }
}

const oneOf = <T extends string>(values: readonly T[], value: unknown): value is T => values.includes(value as T)

/** Reads an archive `writeArchive` wrote; throws `ArchiveError` saying what is wrong. */
export function readArchive(bytes: Uint8Array): Archive {
  let unpacked = 0
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter: (file) => {
        unpacked += file.originalSize
        if (unpacked > MAX_ARCHIVE_UNPACKED_BYTES) throw new ArchiveError('the archive unpacks to more than 1 GB')
        return true
      },
    })
  } catch (error) {
    if (error instanceof ArchiveError) throw error
    throw new ArchiveError('not a ZIP file, or a damaged one')
  }
  const manifest = readJson(files, 'stip-archive.json') as Record<string, unknown>
  if (manifest?.format !== ARCHIVE_FORMAT || manifest.version !== ARCHIVE_VERSION)
    throw new ArchiveError(`not a ${ARCHIVE_FORMAT} version ${ARCHIVE_VERSION}`)
  const board = manifest.board as Record<string, unknown> | undefined
  if (typeof board?.name !== 'string' || typeof board.created !== 'string' || typeof board.id !== 'string')
    throw new ArchiveError('stip-archive.json does not name the board')
  const content = readContent(readJson(files, 'records.json'), readJson(files, 'meta.json'), 'the board')
  const index = readJson(files, 'versions.json')
  if (!Array.isArray(index)) throw new ArchiveError('versions.json is not a list')
  const versions = index.map((entry: Record<string, unknown>, i): ArchivedVersion => {
    const where = `version ${i + 1}`
    if (
      typeof entry?.name !== 'string' ||
      typeof entry.created !== 'string' ||
      typeof entry.file !== 'string' ||
      !oneOf(VERSION_KINDS, entry.kind) ||
      !(entry.trigger === null || oneOf(AUTO_TRIGGERS, entry.trigger)) ||
      !(entry.createdByRole === null || oneOf(ROLES, entry.createdByRole))
    )
      throw new ArchiveError(`${where} is not described right in versions.json`)
    const file = readJson(files, entry.file) as { records?: unknown; meta?: unknown } | null
    return {
      ...readContent(file?.records, file?.meta, where),
      name: entry.name,
      kind: entry.kind,
      trigger: entry.trigger as AutoTrigger | null,
      created: entry.created,
      createdByRole: entry.createdByRole as Role | null,
    }
  })
  return { board: { id: board.id, name: board.name, created: board.created }, ...content, versions }
}
