/**
 * The board's PDF in the records office's archive: the words the server and the page it
 * opens in headless Chromium share. The server mints a short-lived internal grant, opens
 * `/b/<board>/archive-pdf#token=…` (the internal page, never linked from anywhere), waits
 * for the page to register `window.__stipBuildPdf`, calls it and puts the bytes into the
 * ZIP as `board.pdf`. The admin API's answer says whether the PDF is in (`x-stip-archive-pdf`).
 */

/** The app's address of the internal page: `/b/<board>/archive-pdf`. */
export const ARCHIVE_PDF_SEGMENT = 'archive-pdf'

export function archivePdfPath(boardId: string): string {
  return `/b/${encodeURIComponent(boardId)}/${ARCHIVE_PDF_SEGMENT}`
}

/** The file in the ZIP. */
export const ARCHIVE_PDF_FILE = 'board.pdf'

/** The archive's answer says here whether the PDF is in it: one of `ArchivePdfStatus`. */
export const ARCHIVE_PDF_HEADER = 'x-stip-archive-pdf'

/**
 * `included`: `board.pdf` is in the ZIP. `no-chromium`: no browser is installed (or it is
 * turned off, `STIP_CHROMIUM=off`). `failed`: the browser could not make it. `timeout`: it
 * took longer than allowed. `empty`: the board has nothing drawn.
 */
export const ARCHIVE_PDF_STATUSES = ['included', 'no-chromium', 'failed', 'timeout', 'empty'] as const
export type ArchivePdfStatus = (typeof ARCHIVE_PDF_STATUSES)[number]

/** The name of the hook the internal page registers on `window`. */
export const ARCHIVE_PDF_HOOK = '__stipBuildPdf'

/** What the server asks the page for. */
export interface ArchivePdfRequest {
  /** The date printed under the mission (ISO 8601): the archive's own time. */
  date: string
}

/** What the hook answers: the PDF as base64 (bytes cross the DevTools protocol as text), or why not. */
export type ArchivePdfAnswer = { ok: true; base64: string } | { ok: false; reason: 'empty' | 'failed'; detail: string }

/** The paper of the archive's PDF: A3, turned to suit the drawing (200 dpi, see the export). */
export const ARCHIVE_PDF_PAPER = 'A3'
