/**
 * Identity: under which Yjs client ids a connection may write, and the first step of the
 * gate. Every browser profile presents a random secret on the sync socket (`CLIENT_PARAM`);
 * the server keeps only its hash, and records which hash introduced each client id on the
 * board (in the same store transaction as the update that introduced it). So:
 * - structs under a client id new to the board claim it for the sender;
 * - structs under an id the sender's secret introduced continue it (reconnects, offline
 *   work, two tabs of one browser);
 * - structs under anyone else's id, beyond what the server holds, are stripped from the
 *   update with the deletions they may have caused [1] (logged, the sender stays connected
 *   and is asked again once the document changes): an honest client relays other authors'
 *   structs when the server lost them, and nobody may write or claim clocks under an id
 *   that is not theirs. Ids the server holds without an owner — the server's own (the first
 *   document, restores) and those written before owners were recorded — belong to nobody
 *   and stay frozen: otherwise whoever asked first could take a facilitator's legacy id.
 * Then what is left must be complete (`shared/updates.ts`): if it is not, it is not applied
 * and the room asks the sender again once the document has changed.
 *
 * A page announces its client id in its presence before it writes anything (y-websocket's
 * awareness id is the doc's client id), and everyone on the board sees it. So the room
 * reserves an announced id that is new to the board for the announcing browser (`Room`,
 * through `RoomPresence.onOwnId`), stored like any claim: nobody who read the id off a
 * cursor can write under it first and make that person's first edits vanish. Only for a
 * browser with a real secret: a plain y-websocket client gets a new made-up hash on every
 * connection, and a reservation would shut it out of its own id after a reconnect.
 */
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import {
  type ClientRun,
  clientRuns,
  clientsBeyondDoc,
  type DecodedUpdate,
  deletesLiveContent,
  deletionsOfClients,
  findIncompleteness,
  withDeleteSet,
  withoutClients,
  withoutRanges,
} from '../../shared/updates.ts'
import type { ClientOwner } from '../store/types.ts'

/**
 * The secret hash of a connection that presented no secret (an integrator's plain
 * y-websocket client): one of its own, so it may introduce client ids but continues none
 * after it reconnects. Random, so it can never equal a real secret's hash.
 */
export function unknownBrowser(): string {
  return `${UNKNOWN_BROWSER}${randomBytes(16).toString('hex')}`
}

const UNKNOWN_BROWSER = 'none:'

/** Whether `secretHash` is a real browser secret's, not one `unknownBrowser` made up. */
export function isKnownBrowser(secretHash: string): boolean {
  return !secretHash.startsWith(UNKNOWN_BROWSER)
}

/** Which secret hash introduced each client id of one board; the room keeps it loaded. */
export class ClientOwners {
  private readonly owners: Map<number, string>

  /** `isServerClient`: the room doc's own client id, which only the server writes under. */
  constructor(
    stored: Iterable<ClientOwner>,
    private readonly isServerClient: (client: number) => boolean,
  ) {
    this.owners = new Map()
    for (const { client, secretHash } of stored) this.owners.set(client, secretHash)
  }

  ownerOf(client: number): string | undefined {
    return this.owners.get(client)
  }

  /** Whether nobody has written under `client` on this board yet, not even the server. */
  isNew(doc: Y.Doc, client: number): boolean {
    return !this.isServerClient(client) && !this.owners.has(client) && Y.getState(doc.store, client) === 0
  }

  /** Records claims the gate accepted, at once, so the next frame is judged with them. */
  claim(claims: readonly ClientOwner[]): void {
    for (const { client, secretHash } of claims) this.owners.set(client, secretHash)
  }

  get size(): number {
    return this.owners.size
  }
}

export type IdentityVerdict =
  | {
      readonly ok: true
      /** The update to judge further and apply: without other authors' structs. */
      readonly update: Uint8Array
      /** `update` decoded, and its structs per client: the gate decodes an update once [3]. */
      readonly decoded: DecodedUpdate
      readonly runs: ReadonlyMap<number, ClientRun>
      /** Client ids new to the board that the update introduces, for the sender. */
      readonly claims: readonly ClientOwner[]
      /** Client ids whose structs were stripped (someone else's, beyond what the server holds). */
      readonly stripped: readonly number[]
    }
  | {
      readonly ok: false
      readonly reason: 'malformed' | 'incomplete'
      readonly message: string
      readonly stripped: readonly number[]
      /** Incomplete: the client id whose content is missing (`Incompleteness.waitsOn`). */
      readonly waitsOn?: number
    }

/** Judges whose structs an update carries and whether the rest continues from the doc. */
export function judgeIdentity(
  secretHash: string,
  update: Uint8Array,
  doc: Y.Doc,
  owners: ClientOwners,
): IdentityVerdict {
  let decoded: DecodedUpdate
  let runs: Map<number, ClientRun>
  try {
    decoded = Y.decodeUpdate(update)
    runs = clientRuns(decoded)
  } catch (error) {
    return { ok: false, reason: 'malformed', message: `Not a Yjs update: ${String(error)}`, stripped: [] }
  }
  const claims: ClientOwner[] = []
  const stripped: number[] = []
  for (const client of clientsBeyondDoc(doc, runs)) {
    if (owners.ownerOf(client) === secretHash) continue
    if (owners.isNew(doc, client)) claims.push({ client, secretHash })
    else stripped.push(client)
  }
  if (stripped.length > 0) {
    // [1] The deletions the stripped structs may have caused go with them; the rest are the sender's.
    const caused = deletionsOfClients(doc, runs, stripped)
    const withoutStructs = withoutClients(update, stripped)
    const ds = Y.decodeUpdate(withoutStructs).ds.clients
    const filtered = withDeleteSet(withoutStructs, withoutRanges(ds, caused), ds)
    update = filtered ?? withoutStructs
    decoded = Y.decodeUpdate(update)
    runs = clientRuns(decoded)
    // [2] Not cut as written: its deletions may be what the stripped structs did. Wait.
    if (filtered === null && deletesLiveContent(doc, decoded)) {
      return { ok: false, reason: 'incomplete', message: 'deletes beside stripped structs', stripped }
    }
  }
  const incomplete = findIncompleteness(doc, decoded, runs)
  if (incomplete !== null) {
    // [4] Missing content of the sender's own ids it brings itself when asked; another's only comes with its clock.
    const own = runs.has(incomplete.waitsOn) || owners.ownerOf(incomplete.waitsOn) === secretHash
    const waitsOn = own ? undefined : incomplete.waitsOn
    return { ok: false, reason: 'incomplete', message: incomplete.message, stripped, waitsOn }
  }
  return { ok: true, update, decoded, runs, claims, stripped }
}

// [1] A delete set does not say which struct caused which deletion. A Y.Map write deletes
//     the key's previous value, and Yjs does that itself when the write integrates as the
//     key's newest value (`shared/updates.ts` [3]), so for a struct that is applied that
//     deletion is redundant, and for a stripped one it must not happen: the forged or
//     relayed "new value" is gone, the old one would be too. So the deletions the stripped
//     structs may have caused are dropped with them: every deletion of their clients'
//     clocks beyond what the server holds (content not applied), each stripped item's
//     origin (the value it overwrote) and the value its key holds now. What remains is the
//     sender's own (an explicit delete, or one a kept struct causes too) and is judged like
//     any other, by completeness and rights. Holding the whole update back instead, as this
//     gate once did, deadlocks after a lost tail: every author's browser relays the others'
//     lost structs and their deletions, so nobody's update is ever applied. What was dropped
//     an honest relayer still holds: the room asks it again once the document changes
//     (`resyncAsked`), and a y-websocket client answers with all the server lacks.
// [3] Decoding is most of what reading a big update costs (a 5,000-shape paste: about a
//     tenth of the gate's time, per decode), so inspection reads the structs decoded here.
// [2] The cut needs the update to end with its delete set written as Yjs writes it, which
//     `Y.diffUpdate`'s output does; should a Yjs version write it otherwise, the gate falls
//     back to holding back an update whose deletions remove live content.
// [4] An update with a gap in the sender's own clocks (the server lost its tail) is made
//     whole by the sender's own answer to the SyncStep1 it gets; should that answer not
//     come, it is asked again after the next change of the board. An update that builds on
//     another author's content waits for that author's clock instead: nothing else can
//     bring it, and asking after every batch would have it send all it has, again and
//     again, for as long as that author stays away.
