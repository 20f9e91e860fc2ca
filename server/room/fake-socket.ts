/**
 * What the room's unit tests connect with: an object-literal socket that records what the
 * room sends it and how it was closed, and the document those frames add up to. A room
 * needs nothing more of a socket (`RoomSocket`), so no network is involved.
 */
import * as Y from 'yjs'
import { MessageType, readFrame, SyncStep } from '../../shared/protocol.ts'
import type { RoomSocket } from './room.ts'

export interface FakeSocket extends RoomSocket {
  sent: Uint8Array[]
  closed: number | null
}

export function fakeSocket(): FakeSocket {
  const socket: FakeSocket = {
    sent: [],
    closed: null,
    send(data: Uint8Array) {
      socket.sent.push(data)
    },
    close(code: number) {
      socket.closed = code
    },
  }
  return socket
}

/** The document updates a socket received, applied to a fresh doc. */
export function docSeenBy(socket: FakeSocket): Y.Doc {
  const doc = new Y.Doc()
  for (const bytes of socket.sent) {
    const frame = readFrame(bytes)
    if (frame.type === MessageType.Sync && frame.step !== SyncStep.Step1) Y.applyUpdate(doc, frame.update)
  }
  return doc
}

/** Resolves after the room's end-of-turn work (`setImmediate`) has run. */
export const tick = () => new Promise((resolve) => setImmediate(resolve))
