/**
 * QR codes for the join panel, with `qrcode-generator` (MIT, no dependencies, no network,
 * around since 2009 and still maintained): it hands out the module matrix, which we draw
 * as one SVG path — crisp at any size from a 1080p projector to a 4K lobby screen.
 */
import qrcode from 'qrcode-generator'

/** Modules of white around the code, as the QR standard asks (scanners need it). */
const QUIET_ZONE = 4

/** The SVG path (one square per dark module) and the size in modules, quiet zone included. */
export function qrPath(text: string): { d: string; size: number } {
  // Medium error correction: survives glare on a glossy screen, keeps modules big.
  const code = qrcode(0, 'M')
  code.addData(text, 'Byte')
  code.make()
  const count = code.getModuleCount()
  const parts: string[] = []
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (code.isDark(row, col)) parts.push(`M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`)
    }
  }
  return { d: parts.join(''), size: count + 2 * QUIET_ZONE }
}
