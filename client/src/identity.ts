/**
 * Who this browser is: a random id made once (no accounts in Stip), the name the person
 * typed, and a colour derived from the id so it stays the same every visit and in every
 * other participant's view.
 */
import { safeGet, safeSet } from './storage.ts'

const ID_KEY = 'stip:browser-id'
const NAME_KEY = 'stip:name'

/** Distinct, readable on white, and not too close to tldraw's selection blue. */
const PALETTE = [
  '#e03131',
  '#2f9e44',
  '#1971c2',
  '#f08c00',
  '#9c36b5',
  '#0c8599',
  '#c2255c',
  '#5c940d',
  '#e8590c',
  '#3b5bdb',
  '#862e9c',
  '#087f5b',
]

/** This browser's stable id (made on first use). */
export function getBrowserId(): string {
  const saved = safeGet(ID_KEY)
  if (saved && /^[A-Za-z0-9_-]{8,64}$/.test(saved)) return saved
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  safeSet(ID_KEY, id)
  return id
}

/** The colour that belongs to `id`: a string hash into the palette. */
export function colorForId(id: string): string {
  let hash = 0
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0
  return PALETTE[Math.abs(hash) % PALETTE.length]
}

/** The name this person gave before, or null when we still have to ask. */
export function getSavedName(): string | null {
  const name = safeGet(NAME_KEY)?.trim()
  return name ? name : null
}

export function saveName(name: string): void {
  safeSet(NAME_KEY, name.trim())
}

/** Longest name we show next to a cursor; longer ones are cut. */
export const MAX_NAME_LENGTH = 40
