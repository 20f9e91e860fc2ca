/**
 * Lifecycle hooks: how behaviour is added to a room (metrics, custom messages, history…)
 * without flags in the room itself. A room runs an ordered list of `RoomHooks`; each may
 * implement any of the methods, all optional and synchronous, called in list order.
 *
 * A hook runs inside the room's own work (a frame being handled, a flush), so it must be
 * quick, and it can't break the room: an exception is logged and the next hook runs. The
 * events name what happened, in the order the room does it: e.g. for an update
 * `onReceived` → `onUpdateApplied` → (end of turn) `onStored` → `onSent` per receiver.
 * A frame whose very type can't be read reaches no hook but `onClosed` (MalformedMessage);
 * closing a connection reports `onDisconnected`, then `onClosed` with the code.
 */
import type { Logger } from '../log.ts'
import type { Connection, Room } from './room.ts'

export interface RoomHooks {
  onLoaded?(e: { room: Room; ms: number }): void
  onConnected?(e: { room: Room; connection: Connection }): void
  onDisconnected?(e: { room: Room; connection: Connection }): void
  /** Every frame received, before it is handled. */
  onReceived?(e: { room: Room; connection: Connection; type: number; bytes: number }): void
  /**
   * A frame whose message type the room does not handle itself (custom messages). Return
   * true if handled; unhandled → MalformedMessage as today.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a hook that takes no message need not return anything
  onMessage?(e: { room: Room; connection: Connection; type: number; payload: Uint8Array }): boolean | void
  /** An update accepted by the gate and applied. */
  onUpdateApplied?(e: { room: Room; connection: Connection; bytes: number }): void
  /** Every message sent to a connection. */
  onSent?(e: { room: Room; connection: Connection; bytes: number }): void
  /** A batch written to the store (before it is broadcast). */
  onStored?(e: { room: Room; bytes: number; ms: number }): void
  beforeCompact?(e: { room: Room }): void
  /**
   * The room closed a connection for cause (refused update, malformed frame, rotated link,
   * store failure, restart…).
   */
  onClosed?(e: { room: Room; connection: Connection; code: number }): void
  onReleased?(e: { room: Room }): void
}

/** The hooks that are notifications: every hook's method runs, whatever it returns. */
type Notification = Exclude<keyof RoomHooks, 'onMessage'>
type EventOf<K extends keyof RoomHooks> = Parameters<NonNullable<RoomHooks[K]>>[0]

/** Runs a room's hooks in order, each one shielded from the others' and the room's failures. */
export class HookRunner {
  constructor(
    private readonly hooks: readonly RoomHooks[],
    private readonly log: Logger,
  ) {}

  emit<K extends Notification>(name: K, event: EventOf<K>): void {
    for (const hook of this.hooks) {
      const method = hook[name] as ((e: EventOf<K>) => void) | undefined
      if (method) this.guard(name, event, () => method.call(hook, event))
    }
  }

  /** Offers a custom message to each hook in turn, until one handles it. */
  offerMessage(event: EventOf<'onMessage'>): boolean {
    for (const hook of this.hooks) {
      if (hook.onMessage && this.guard('onMessage', event, () => hook.onMessage?.(event)) === true) return true
    }
    return false
  }

  private guard<T>(name: keyof RoomHooks, event: { room: Room }, run: () => T): T | undefined {
    try {
      return run()
    } catch (error) {
      this.log.error('room hook failed', { board: event.room.boardId, hook: name, error: String(error) })
      return undefined
    }
  }
}
