/**
 * Yjs updates built byte by byte that cost the server far more than their size suggests:
 * many tiny structs, and one long chain of items that each name only their left neighbour.
 * Both are valid Yjs v1 updates (`writeStructs`, `writeDeleteSet` of Yjs's encoding); the
 * lib0 encoding below writes an update's inside, not a Stip frame (frames are built with
 * shared/protocol.ts).
 */
import * as encoding from 'lib0/encoding'
import { RECORDS_ROOT } from '../../shared/doc.ts'

/** `count` GC structs of length 1 under one new client id: two bytes each. */
export function tinyStructs(count: number, client = 0x5eed): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1) // one client
  encoding.writeVarUint(encoder, count)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 0) // from clock 0
  for (let i = 0; i < count; i++) {
    encoding.writeUint8(encoder, 0) // GC
    encoding.writeVarUint(encoder, 1)
  }
  encoding.writeVarUint(encoder, 0) // empty delete set
  return encoding.toUint8Array(encoder)
}

/**
 * `count` items under `records[key]`, each already deleted, the first naming its map and
 * key, every other naming only its left neighbour (the one before): to find where the last
 * one lives, a reader walks back through all of them.
 */
export function originChain(count: number, key: string, client = 0x0c4a1): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, 1)
  encoding.writeVarUint(encoder, count)
  encoding.writeVarUint(encoder, client)
  encoding.writeVarUint(encoder, 0)
  for (let i = 0; i < count; i++) {
    if (i === 0) {
      encoding.writeUint8(encoder, 0b00100001) // parentSub, ContentDeleted
      encoding.writeVarUint(encoder, 1) // parent is a root, by name
      encoding.writeVarString(encoder, RECORDS_ROOT)
      encoding.writeVarString(encoder, key)
    } else {
      encoding.writeUint8(encoder, 0b10000001) // origin, ContentDeleted
      encoding.writeVarUint(encoder, client)
      encoding.writeVarUint(encoder, i - 1)
    }
    encoding.writeVarUint(encoder, 1) // deleted length
  }
  encoding.writeVarUint(encoder, 0)
  return encoding.toUint8Array(encoder)
}
