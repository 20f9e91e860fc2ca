/**
 * How large a picture may be, said once for the browser and the server. tldraw inlines a
 * pasted or dropped image (or video) into its asset record as a base64 data URL, so the
 * server's limit on one asset record's JSON (`STIP_MAX_ASSET_BYTES`, `server/room/limits.ts`)
 * and the editor's limit on the file (`maxAssetSize`, which tells the person "file too big"
 * before anything is sent) are the same limit in two units. The server hands the file
 * limit to the client in `GET /api/config`, so raising `STIP_MAX_ASSET_BYTES` raises both.
 *
 * The default is what one frame may cost the server: an asset record of about 4 MB blocks
 * its event loop for about 30 ms while it is judged, applied and stored (issue #10's bound
 * is 50 ms; `bench/worst-frame.ts`).
 */

const MiB = 1024 * 1024

/** Bytes of an asset record's JSON besides its data URL's base64: the prefix, name, size, meta. */
const ASSET_RECORD_OVERHEAD_BYTES = 16 * 1024

/** Bytes of the largest picture file the editor takes by default. */
export const DEFAULT_MAX_IMAGE_FILE_BYTES = 3 * MiB

/** Bytes of the asset record's JSON that a file of `fileBytes` becomes (base64: 4 per 3). */
export function assetBytesForFile(fileBytes: number): number {
  return Math.ceil(fileBytes / 3) * 4 + ASSET_RECORD_OVERHEAD_BYTES
}

/** The largest file whose asset record fits within `assetBytes` (the inverse of `assetBytesForFile`). */
export function fileBytesForAsset(assetBytes: number): number {
  return Math.max(0, Math.floor((assetBytes - ASSET_RECORD_OVERHEAD_BYTES) / 4) * 3)
}
