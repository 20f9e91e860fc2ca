/**
 * The PostgreSQL store (`DATABASE_URL`), for several Stip processes sharing one database
 * (README "Several processes"). Same tables and behaviour as the SQLite store (sqlite.ts),
 * same contract (contract.ts); SQLite stays the embedded default.
 *
 * Synchronous over a worker: `BoardStore` is synchronous because a room stores a turn's
 * updates before it broadcasts them. node-postgres is asynchronous, so the queries run in a
 * worker thread (postgres-worker.mjs) and this thread waits for the answer (synckit, on
 * `Atomics.wait`): one PostgreSQL round trip per call, a turn's writes in one transaction.
 * The event loop is blocked for that round trip; an asynchronous store would remove the
 * block, at the price of changing every caller (README has the figures).
 *
 * Leases and fencing (server/cluster/): one process owns a board's room at a time. It holds
 * the board's row in `leases` (owner, its internal address, an expiry it renews, and an
 * `epoch` that grows with every new owner). Every write of a board's document — the
 * appended updates, a compaction — runs `stip_fence(board, epoch)` first in its transaction:
 * it locks the lease row and refuses the write (`FencedWriteError`) unless the epoch is
 * still the board's. A new owner's takeover bumps the epoch under that lock, so a process
 * that was paused or cut off and lost its lease can never store again. Outside a cluster
 * (`fencing: false`) nothing is fenced: one process, as with SQLite.
 *
 * Durability: a commit returns once PostgreSQL has it (its own `synchronous_commit`, on by
 * default, so committed means on disk); `durable()` resolves at once.
 *
 * Erasure: the rows are deleted in one transaction; PostgreSQL frees their space at the next
 * (auto)vacuum, which the README asks the administrator to know about.
 *
 * Space: `limitSpace` is the administrator's quota in bytes of document data, checked before
 * a write is sent: a write that would pass it is refused whole, as a full disk would refuse
 * it, and the store reports it until a write succeeds again.
 */
import { createSyncFn } from 'synckit'
import type { LinkKind } from '../../shared/api.ts'
import { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import type { AuditAction, AuditActor, AutoTrigger, VersionKind } from '../../shared/versions.ts'
import { newLinkId } from './links.ts'
import { parseVotes } from './sqlite.ts'
import type {
  AuditRow,
  BallotRow,
  BoardRow,
  BoardStorage,
  BoardStore,
  Checkpoint,
  ClientOwner,
  HistoryRow,
  LinkRow,
  NewVersion,
  StoredDocument,
  StoreHealth,
  TokenGrant,
  VersionRow,
} from './types.ts'

/** The local PostgreSQL the development machines and CI run. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'

interface Statement {
  text: string
  values?: unknown[]
}
type Row = Record<string, unknown>
type WorkerRequest =
  | { op: 'open'; id: number; url: string; schema: string }
  | { op: 'run'; id: number; statements: Statement[]; transaction: boolean }
  | { op: 'close'; id: number }
type WorkerAnswer =
  | { results: { rows: Row[]; rowCount: number }[] }
  | { error: { message: string; code: string | null } }

let worker: ((request: WorkerRequest) => WorkerAnswer) | undefined
let nextConnection = 1

/** One worker per process, shared by every store in it (each with its own connection). */
function callWorker(request: WorkerRequest): WorkerAnswer {
  worker ??= createSyncFn<(request: WorkerRequest) => Promise<WorkerAnswer>>(
    new URL('./postgres-worker.mjs', import.meta.url),
    // Past the worker's own limits (5 s to connect, 5 s per statement), for a batch of several.
    { timeout: 30_000 },
  )
  return worker(request)
}

/** PostgreSQL refused a statement; `code` is its SQLSTATE (e.g. 23505, a duplicate key). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message)
  }
}

/** A document write carried an epoch that is no longer the board's: this process lost its lease. */
export class FencedWriteError extends PostgresError {
  /** How the room closes its clients (room.ts `fail`): reconnect now, to the new owner. */
  readonly closeCode = CloseCode.Handover
}

/** A write that would pass the store's quota (`limitSpace`); nothing of it was written. */
export class QuotaExceededError extends Error {}

const LEASE_COLUMNS = `SELECT board_id, epoch, owner, address,
  (extract(epoch FROM expires_at) * 1000)::float8 AS expires, expires_at > now() AS live FROM leases`

/** SQLSTATE `stip_fence` raises (class SF: Stip fencing). */
const FENCED = 'SF001'

/** A lease as a process sees it: whose, where, until when, and the epoch writes carry. */
export interface Lease {
  boardId: string
  epoch: number
  owner: string
  address: string
  expiresAt: number
  /** Not expired, by PostgreSQL's clock (the one every process shares). */
  live: boolean
}

/** The advisory lock key the schema is created under (any constant; Stip's own). */
const SCHEMA_LOCK = 0x5371_0001

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  n BIGSERIAL UNIQUE,
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  n BIGSERIAL UNIQUE,
  board_id TEXT NOT NULL REFERENCES boards(id),
  hash TEXT NOT NULL,
  role TEXT NOT NULL,
  layer_id TEXT,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY (board_id, hash)
);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_main_link ON tokens (board_id, role) WHERE layer_id IS NULL;
CREATE INDEX IF NOT EXISTS tokens_by_hash ON tokens (hash);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_by_id ON tokens (board_id, id);
CREATE TABLE IF NOT EXISTS snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  data BYTEA NOT NULL,
  up_to_seq BIGINT NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS updates (
  seq BIGSERIAL PRIMARY KEY,
  board_id TEXT NOT NULL REFERENCES boards(id),
  data BYTEA NOT NULL,
  at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS updates_by_board ON updates (board_id, seq);
CREATE INDEX IF NOT EXISTS updates_by_time ON updates (board_id, at);
CREATE TABLE IF NOT EXISTS checkpoints (
  board_id TEXT NOT NULL REFERENCES boards(id),
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (board_id, seq)
);
CREATE TABLE IF NOT EXISTS versions (
  n BIGSERIAL UNIQUE,
  board_id TEXT NOT NULL REFERENCES boards(id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  trigger TEXT,
  created TEXT NOT NULL,
  created_by_role TEXT,
  data BYTEA NOT NULL,
  PRIMARY KEY (board_id, id)
);
CREATE INDEX IF NOT EXISTS versions_by_time ON versions (board_id, created);
CREATE TABLE IF NOT EXISTS audit (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  board_id TEXT
);
CREATE TABLE IF NOT EXISTS client_owners (
  board_id TEXT NOT NULL REFERENCES boards(id),
  client_id BIGINT NOT NULL,
  secret_hash TEXT NOT NULL,
  PRIMARY KEY (board_id, client_id)
);
CREATE TABLE IF NOT EXISTS ballots (
  board_id TEXT NOT NULL REFERENCES boards(id),
  round_id TEXT NOT NULL,
  voter TEXT NOT NULL,
  votes TEXT NOT NULL,
  PRIMARY KEY (board_id, round_id, voter)
);
-- One owner per board (server/cluster/). A row is never deleted, only released (expired),
-- so the epoch only grows: an old owner's epoch can never become current again. No foreign
-- key: a lease may outlive an erased board.
CREATE TABLE IF NOT EXISTS leases (
  board_id TEXT PRIMARY KEY,
  epoch BIGINT NOT NULL,
  owner TEXT NOT NULL,
  address TEXT NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL
);
-- Fencing: locks the lease row (a takeover waits for this write) and refuses the write
-- unless its epoch is still the board's.
CREATE OR REPLACE FUNCTION stip_fence(board TEXT, expected BIGINT) RETURNS void AS $$
BEGIN
  PERFORM 1 FROM leases WHERE board_id = board AND epoch = expected FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'write fenced: board % is no longer held with epoch %', board, expected USING ERRCODE = '${FENCED}';
  END IF;
END
$$ LANGUAGE plpgsql;
`

export interface PostgresStoreOptions {
  /** `DATABASE_URL`; default the local server (`DEFAULT_DATABASE_URL`). */
  url?: string
  /** The schema the tables live in (`STIP_DATABASE_SCHEMA`, default `public`); tests use a fresh one. */
  schema?: string
  /** Fence document writes with the lease epochs (`holdLease`); on in a cluster. */
  fencing?: boolean
  /** The clock rows are stamped with (ms). */
  now?: () => number
}

export class PostgresStore implements BoardStore {
  readonly schema: string
  private readonly id = nextConnection++
  private readonly now: () => number
  private readonly fencing: boolean
  /** The epoch of each lease this process holds: what its document writes are fenced with. */
  private readonly epochs = new Map<string, number>()
  private lastError: string | null = null
  private quota: number | null = null
  private open = true

  constructor(options: PostgresStoreOptions = {}) {
    this.schema = options.schema ?? 'public'
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema))
      throw new Error(`schema "${this.schema}" must be lower-case letters, digits and _`)
    this.now = options.now ?? Date.now
    this.fencing = options.fencing ?? false
    this.call({ op: 'open', id: this.id, url: options.url ?? DEFAULT_DATABASE_URL, schema: this.schema })
    // Several processes start at once: one at a time creates or upgrades the tables, or
    // PostgreSQL refuses the losers ("tuple concurrently updated").
    this.run([{ text: `SELECT pg_advisory_xact_lock(${SCHEMA_LOCK})` }, { text: SCHEMA }], true)
  }

  // --- Leases (server/cluster/lease.ts decides when; these are the statements) ---

  /**
   * Takes the board's lease for `owner` if nobody holds it, it expired, or `owner` holds it
   * already; a new holder gets the next epoch. Returns the lease as it is now either way,
   * and whether it was taken over from a holder that let it expire (died, paused) rather
   * than released it.
   */
  claimLease(
    boardId: string,
    owner: string,
    address: string,
    ttlMs: number,
  ): { lease: Lease; mine: boolean; takenOver: boolean } {
    const [previous, claimed, current] = this.run(
      [
        {
          text: `SELECT owner, expires_at < now() AS expired, expires_at = '-infinity' AS released
                 FROM leases WHERE board_id = $1 FOR UPDATE`,
          values: [boardId],
        },
        {
          text: `INSERT INTO leases (board_id, epoch, owner, address, expires_at)
                 VALUES ($1, 1, $2, $3, now() + $4 * interval '1 millisecond')
                 ON CONFLICT (board_id) DO UPDATE SET epoch = leases.epoch + 1, owner = excluded.owner,
                   address = excluded.address, expires_at = excluded.expires_at
                 WHERE leases.expires_at < now() OR leases.owner = excluded.owner
                 RETURNING epoch`,
          values: [boardId, owner, address, ttlMs],
        },
        { text: `${LEASE_COLUMNS} WHERE board_id = $1`, values: [boardId] },
      ],
      true,
    )
    const lease = leaseOf(current.rows[0])
    const mine = claimed.rowCount === 1
    if (mine) this.epochs.set(boardId, lease.epoch)
    const before = previous.rows[0]
    const takenOver =
      mine && before !== undefined && before.owner !== owner && before.expired === true && before.released !== true
    return { lease, mine, takenOver }
  }

  /** Renews every lease `owner` holds with the epochs it knows; returns the boards whose lease it lost. */
  renewLeases(owner: string, ttlMs: number): string[] {
    if (this.epochs.size === 0) return []
    const boards = [...this.epochs.keys()]
    const [renewed] = this.run([
      {
        text: `UPDATE leases SET expires_at = now() + $2 * interval '1 millisecond'
               WHERE owner = $1 AND board_id = ANY($3::text[]) AND epoch = ANY($4::bigint[])
               RETURNING board_id, epoch`,
        values: [owner, ttlMs, boards, boards.map((board) => this.epochs.get(board))],
      },
    ])
    const kept = new Set(
      renewed.rows.filter((row) => this.epochs.get(String(row.board_id)) === row.epoch).map((row) => row.board_id),
    )
    const lost = boards.filter((board) => !kept.has(board))
    for (const board of lost) this.epochs.delete(board)
    return lost
  }

  /** Gives the lease up (it expires now, its epoch stays): the next claim anywhere takes it at once. */
  releaseLease(boardId: string, owner: string): void {
    const epoch = this.epochs.get(boardId)
    this.epochs.delete(boardId)
    if (epoch === undefined) return
    this.run([
      {
        text: `UPDATE leases SET expires_at = '-infinity' WHERE board_id = $1 AND owner = $2 AND epoch = $3`,
        values: [boardId, owner, epoch],
      },
    ])
  }

  /** The board's lease as stored, if it ever had one. */
  leaseOf(boardId: string): Lease | undefined {
    const [found] = this.run([
      {
        text: `${LEASE_COLUMNS} WHERE board_id = $1`,
        values: [boardId],
      },
    ])
    return found.rows[0] ? leaseOf(found.rows[0]) : undefined
  }

  /** Whether this process holds the board's lease (as far as it knows: the fence has the last word). */
  holds(boardId: string): boolean {
    return this.epochs.has(boardId)
  }

  /** Boards whose lease this process holds. */
  heldBoards(): string[] {
    return [...this.epochs.keys()]
  }

  // --- BoardStore ---

  createBoard(board: BoardRow, tokenHashes: Record<Role, string>, firstUpdate?: Uint8Array): void {
    const statements: Statement[] = [
      {
        text: 'INSERT INTO boards (id, name, created) VALUES ($1, $2, $3)',
        values: [board.id, board.name, board.created],
      },
    ]
    for (const [role, hash] of Object.entries(tokenHashes))
      statements.push(insertToken(board.id, role, null, hash, newLinkId(), 'main', board.created))
    if (firstUpdate)
      statements.push({
        text: 'INSERT INTO updates (board_id, data, at) VALUES ($1, $2, $3)',
        values: [board.id, firstUpdate, this.now()],
      })
    this.write(statements)
  }

  getBoard(id: string): BoardRow | undefined {
    const row = this.one('SELECT id, name, created FROM boards WHERE id = $1', [id])
    return row && boardOf(row)
  }

  findToken(boardId: string, tokenHash: string): TokenGrant | undefined {
    const row = this.one('SELECT role, layer_id FROM tokens WHERE board_id = $1 AND hash = $2', [boardId, tokenHash])
    return row && { role: row.role as Role, layerId: (row.layer_id as string | null) ?? null }
  }

  replaceToken(boardId: string, role: Role, tokenHash: string): void {
    this.write([
      { text: 'DELETE FROM tokens WHERE board_id = $1 AND role = $2 AND layer_id IS NULL', values: [boardId, role] },
      insertToken(boardId, role, null, tokenHash, newLinkId(), 'main', new Date().toISOString()),
      this.tokensChanged(boardId),
    ])
  }

  findTokenAnywhere(tokenHash: string): (TokenGrant & { boardId: string }) | undefined {
    const row = this.one('SELECT board_id, role, layer_id FROM tokens WHERE hash = $1 LIMIT 1', [tokenHash])
    return row && { boardId: String(row.board_id), role: row.role as Role, layerId: (row.layer_id as string) ?? null }
  }

  addScopedToken(
    boardId: string,
    role: Role,
    layerId: string,
    tokenHash: string,
    kind: Exclude<LinkKind, 'main'> = 'scoped',
  ): LinkRow {
    const row: LinkRow = { id: newLinkId(), kind, role, layerId, created: new Date().toISOString() }
    this.write([insertToken(boardId, role, layerId, tokenHash, row.id, row.kind, row.created)])
    return row
  }

  listLinks(boardId: string): LinkRow[] {
    return this.all('SELECT id, kind, role, layer_id, created FROM tokens WHERE board_id = $1 ORDER BY created, n', [
      boardId,
    ]).map((row) => ({
      id: String(row.id),
      kind: row.kind as LinkKind,
      role: row.role as Role,
      layerId: (row.layer_id as string | null) ?? null,
      created: String(row.created),
    }))
  }

  revokeLink(boardId: string, linkId: string): string | undefined {
    const [deleted] = this.write([
      {
        text: "DELETE FROM tokens WHERE board_id = $1 AND id = $2 AND kind <> 'main' RETURNING hash",
        values: [boardId, linkId],
      },
      this.tokensChanged(boardId),
    ])
    return deleted.rows[0] ? String(deleted.rows[0].hash) : undefined
  }

  loadDocument(boardId: string): StoredDocument {
    const [snapshots, updates] = this.run(
      [
        { text: 'SELECT data, up_to_seq FROM snapshots WHERE board_id = $1', values: [boardId] },
        {
          text: `SELECT seq, data FROM updates WHERE board_id = $1
                 AND seq > COALESCE((SELECT up_to_seq FROM snapshots WHERE board_id = $1), 0) ORDER BY seq`,
          values: [boardId],
        },
      ],
      true,
    )
    const snapshot = snapshots.rows[0]
    return {
      snapshot: snapshot ? bytesOf(snapshot.data) : null,
      updates: updates.rows.map((row) => bytesOf(row.data)),
      lastSeq: Number(updates.rows.at(-1)?.seq ?? snapshot?.up_to_seq ?? 0),
    }
  }

  appendUpdates(boardId: string, updates: Uint8Array[], owners: readonly ClientOwner[] = []): number {
    const at = this.now()
    const statements: Statement[] = updates.map((update) => ({
      text: 'INSERT INTO updates (board_id, data, at) VALUES ($1, $2, $3) RETURNING seq',
      values: [boardId, update, at],
    }))
    for (const { client, secretHash } of owners)
      statements.push({
        text: 'INSERT INTO client_owners (board_id, client_id, secret_hash) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        values: [boardId, client, secretHash],
      })
    const results = this.writeFenced(boardId, statements)
    const inserted = results.filter((result) => result.rows[0]?.seq !== undefined)
    return Number(inserted.at(-1)?.rows[0].seq ?? 0)
  }

  loadClientOwners(boardId: string): ClientOwner[] {
    return this.all('SELECT client_id, secret_hash FROM client_owners WHERE board_id = $1', [boardId]).map((row) => ({
      client: Number(row.client_id),
      secretHash: String(row.secret_hash),
    }))
  }

  durable(): Promise<void> {
    return Promise.resolve()
  }

  limitSpace(extraBytes: number | null): void {
    this.quota = extraBytes
  }

  compact(boardId: string, snapshot: Uint8Array, upToSeq: number, options: { checkpoint?: boolean } = {}): void {
    const statements: Statement[] = [
      {
        text: `INSERT INTO snapshots (board_id, data, up_to_seq) VALUES ($1, $2, $3)
               ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, up_to_seq = excluded.up_to_seq`,
        values: [boardId, snapshot, upToSeq],
      },
    ]
    if (options.checkpoint) statements.push(this.checkpointStatement(boardId, upToSeq, snapshot))
    this.writeFenced(boardId, statements)
  }

  loadBallots(boardId: string, roundId: string): BallotRow[] {
    return this.all('SELECT voter, votes FROM ballots WHERE board_id = $1 AND round_id = $2 ORDER BY voter', [
      boardId,
      roundId,
    ]).map((row) => ({ voter: String(row.voter), votes: parseVotes(String(row.votes)) }))
  }

  saveBallot(boardId: string, roundId: string, { voter, votes }: BallotRow): void {
    if (Object.keys(votes).length === 0)
      this.write([
        {
          text: 'DELETE FROM ballots WHERE board_id = $1 AND round_id = $2 AND voter = $3',
          values: [boardId, roundId, voter],
        },
      ])
    else
      this.write([
        {
          text: `INSERT INTO ballots (board_id, round_id, voter, votes) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (board_id, round_id, voter) DO UPDATE SET votes = excluded.votes`,
          values: [boardId, roundId, voter, JSON.stringify(votes)],
        },
      ])
  }

  deleteBallots(boardId: string, roundId: string): void {
    this.write([{ text: 'DELETE FROM ballots WHERE board_id = $1 AND round_id = $2', values: [boardId, roundId] }])
  }

  documentBytes(boardId: string): number {
    const row = this.one(
      `SELECT (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM updates WHERE board_id = $1
                 AND seq > COALESCE((SELECT up_to_seq FROM snapshots WHERE board_id = $1), 0))
            + (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM snapshots WHERE board_id = $1) AS bytes`,
      [boardId],
    )
    return Number(row?.bytes ?? 0)
  }

  listBoards(): BoardRow[] {
    return this.all('SELECT id, name, created FROM boards ORDER BY created, n').map(boardOf)
  }

  lastActivity(boardId: string): number | null {
    const at = this.one('SELECT MAX(at) AS at FROM updates WHERE board_id = $1', [boardId])?.at
    return at === null || at === undefined ? null : Number(at)
  }

  storageOf(boardId: string): BoardStorage {
    const sizes = this.one(
      `SELECT (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM snapshots WHERE board_id = $1) AS snapshot,
              (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM updates WHERE board_id = $1) AS history,
              (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM checkpoints WHERE board_id = $1) AS checkpoints,
              (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM versions WHERE board_id = $1) AS versions`,
      [boardId],
    )
    const [snapshot, history, checkpoints, versions] = ['snapshot', 'history', 'checkpoints', 'versions'].map((key) =>
      Number(sizes?.[key] ?? 0),
    )
    return {
      document: this.documentBytes(boardId),
      history,
      checkpoints,
      versions,
      total: snapshot + history + checkpoints + versions,
    }
  }

  saveVersion(boardId: string, version: NewVersion): VersionRow {
    const row: VersionRow = {
      id: newLinkId(),
      name: version.name,
      kind: version.kind,
      trigger: version.trigger ?? null,
      created: version.created ?? new Date(this.now()).toISOString(),
      createdByRole: version.createdByRole,
      bytes: version.state.length,
    }
    this.write([
      {
        text: `INSERT INTO versions (board_id, id, name, kind, trigger, created, created_by_role, data)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        values: [boardId, row.id, row.name, row.kind, row.trigger, row.created, row.createdByRole, version.state],
      },
    ])
    return row
  }

  listVersions(boardId: string): VersionRow[] {
    return this.all(
      `SELECT id, name, kind, trigger, created, created_by_role, LENGTH(data) AS bytes
       FROM versions WHERE board_id = $1 ORDER BY created, n`,
      [boardId],
    ).map(versionOf)
  }

  loadVersion(boardId: string, versionId: string): { row: VersionRow; state: Uint8Array } | undefined {
    const found = this.one(
      `SELECT id, name, kind, trigger, created, created_by_role, LENGTH(data) AS bytes, data
       FROM versions WHERE board_id = $1 AND id = $2`,
      [boardId, versionId],
    )
    return found && { row: versionOf(found), state: bytesOf(found.data) }
  }

  deleteVersion(boardId: string, versionId: string): boolean {
    const [deleted] = this.write([
      { text: 'DELETE FROM versions WHERE board_id = $1 AND id = $2', values: [boardId, versionId] },
    ])
    return deleted.rowCount > 0
  }

  historyInfo(boardId: string) {
    const info = this.one(
      `SELECT COUNT(*)::int AS rows, MIN(at) AS first, MAX(at) AS last, MAX(seq) AS seq,
              (SELECT COUNT(*)::int FROM checkpoints WHERE board_id = $1) AS checkpoints
       FROM updates WHERE board_id = $1`,
      [boardId],
    )
    const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value))
    return {
      rows: Number(info?.rows ?? 0),
      firstAt: numberOrNull(info?.first),
      lastAt: numberOrNull(info?.last),
      lastSeq: Number(info?.seq ?? 0),
      checkpoints: Number(info?.checkpoints ?? 0),
    }
  }

  seqAt(boardId: string, at: number): number {
    return Number(
      this.one('SELECT MAX(seq) AS seq FROM updates WHERE board_id = $1 AND at <= $2', [boardId, at])?.seq ?? 0,
    )
  }

  checkpointAtOrBefore(boardId: string, seq: number): Checkpoint | undefined {
    const found = this.one(
      'SELECT seq, at, data FROM checkpoints WHERE board_id = $1 AND seq <= $2 ORDER BY seq DESC LIMIT 1',
      [boardId, seq],
    )
    return found && { seq: Number(found.seq), at: Number(found.at), state: bytesOf(found.data) }
  }

  listCheckpoints(boardId: string): { seq: number; at: number; bytes: number }[] {
    return this.all('SELECT seq, at, LENGTH(data) AS bytes FROM checkpoints WHERE board_id = $1 ORDER BY seq', [
      boardId,
    ]).map((row) => ({ seq: Number(row.seq), at: Number(row.at), bytes: Number(row.bytes) }))
  }

  addCheckpoint(boardId: string, seq: number, state: Uint8Array): void {
    this.write([this.checkpointStatement(boardId, seq, state)])
  }

  historyRows(boardId: string, afterSeq: number, upToSeq: number): HistoryRow[] {
    return this.all('SELECT seq, at, data FROM updates WHERE board_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq', [
      boardId,
      afterSeq,
      upToSeq,
    ]).map((row) => ({ seq: Number(row.seq), at: Number(row.at), update: bytesOf(row.data) }))
  }

  historyTimes(boardId: string): { seq: number; at: number }[] {
    return this.all('SELECT seq, at FROM updates WHERE board_id = $1 ORDER BY seq', [boardId]).map((row) => ({
      seq: Number(row.seq),
      at: Number(row.at),
    }))
  }

  historySince(boardId: string, afterSeq: number): { rows: number; bytes: number } {
    const found = this.one(
      'SELECT COUNT(*)::int AS rows, COALESCE(SUM(LENGTH(data)), 0) AS bytes FROM updates WHERE board_id = $1 AND seq > $2',
      [boardId, afterSeq],
    )
    return { rows: Number(found?.rows ?? 0), bytes: Number(found?.bytes ?? 0) }
  }

  pruneHistory(boardId: string, beforeSeq: number, keep: readonly number[]): void {
    this.write([
      {
        text: `DELETE FROM updates WHERE board_id = $1 AND seq < $2
                 AND seq <= COALESCE((SELECT up_to_seq FROM snapshots WHERE board_id = $1), 0)`,
        values: [boardId, beforeSeq],
      },
      {
        text: 'DELETE FROM checkpoints WHERE board_id = $1 AND seq < $2 AND NOT (seq = ANY($3::bigint[]))',
        values: [boardId, beforeSeq, [...keep]],
      },
    ])
  }

  eraseBoard(boardId: string): boolean {
    const tables = ['ballots', 'client_owners', 'tokens', 'snapshots', 'checkpoints', 'versions', 'updates']
    const results = this.write([
      ...tables.map((table) => ({ text: `DELETE FROM ${table} WHERE board_id = $1`, values: [boardId] })),
      { text: 'DELETE FROM boards WHERE id = $1', values: [boardId] },
      this.tokensChanged(boardId),
    ])
    return (results.at(-2)?.rowCount ?? 0) > 0
  }

  appendAudit(entry: { action: AuditAction; actor: AuditActor; boardId: string | null }): void {
    this.write([
      {
        text: 'INSERT INTO audit (at, action, actor, board_id) VALUES ($1, $2, $3, $4)',
        values: [new Date(this.now()).toISOString(), entry.action, entry.actor, entry.boardId],
      },
    ])
  }

  listAudit(limit: number): AuditRow[] {
    return this.all('SELECT at, action, actor, board_id FROM audit ORDER BY id DESC LIMIT $1', [limit]).map((row) => ({
      at: String(row.at),
      action: row.action as AuditAction,
      actor: row.actor as AuditActor,
      boardId: (row.board_id as string | null) ?? null,
    }))
  }

  health(): StoreHealth {
    if (!this.open) return { ok: false, detail: 'postgresql: the store was closed' }
    try {
      this.run([{ text: 'SELECT 1' }])
    } catch (error) {
      return { ok: false, detail: `postgresql unreachable: ${messageOf(error)}` }
    }
    if (this.lastError) return { ok: false, detail: `last write failed: ${this.lastError}` }
    return { ok: true, detail: `postgresql, schema ${this.schema}` }
  }

  close(): void {
    if (!this.open) return
    this.open = false
    this.call({ op: 'close', id: this.id })
  }

  /** Runs the migration's inserts (migrate-to-postgres.ts) in one transaction. */
  importRows(statements: Statement[]): void {
    this.run(statements, true)
  }

  /** Drops the store's schema and everything in it (tests: a fresh schema per run). */
  dropSchema(): void {
    this.run([{ text: `DROP SCHEMA IF EXISTS "${this.schema}" CASCADE` }])
  }

  /**
   * The channel every process LISTENs on (server/cluster/notify.ts): a board's tokens
   * changed, so sockets opened with a token the store no longer knows are closed wherever
   * they are. NOTIFY is sent when the transaction commits, never for one rolled back.
   */
  get tokensChannel(): string {
    return `stip_tokens_${this.schema}`
  }

  // --- Plumbing ---

  private tokensChanged(boardId: string): Statement {
    return { text: 'SELECT pg_notify($1, $2)', values: [this.tokensChannel, boardId] }
  }

  private checkpointStatement(boardId: string, seq: number, state: Uint8Array): Statement {
    return {
      text: `INSERT INTO checkpoints (board_id, seq, at, data) VALUES ($1, $2,
               COALESCE((SELECT at FROM updates WHERE seq = $2 AND board_id = $1), $3), $4)
             ON CONFLICT (board_id, seq) DO UPDATE SET data = excluded.data`,
      values: [boardId, seq, this.now(), state],
    }
  }

  /**
   * A document write, with the fence in front of it in a cluster (see the header). A write
   * the fence refuses forgets the lease: this process owns the board no more.
   */
  private writeFenced(boardId: string, statements: Statement[]): { rows: Row[]; rowCount: number }[] {
    if (!this.fencing) return this.write(statements)
    const epoch = this.epochs.get(boardId)
    if (epoch === undefined)
      throw new FencedWriteError(`write fenced: this process holds no lease on board ${boardId}`, FENCED)
    try {
      return this.write([{ text: 'SELECT stip_fence($1, $2)', values: [boardId, epoch] }, ...statements])
    } catch (error) {
      if (error instanceof FencedWriteError && this.epochs.get(boardId) === epoch) this.epochs.delete(boardId)
      throw error
    }
  }

  /** A write transaction: checked against the quota, its failure remembered for `health()`. */
  private write(statements: Statement[]): { rows: Row[]; rowCount: number }[] {
    const bytes = statements
      .flatMap((statement) => statement.values ?? [])
      .reduce<number>((sum, value) => sum + (value instanceof Uint8Array ? value.length : 0), 0)
    if (this.quota !== null && bytes > this.quota) {
      this.lastError = `the store's quota is used up (${bytes} bytes do not fit)`
      throw new QuotaExceededError(this.lastError)
    }
    try {
      const results = this.run(statements, true)
      if (this.quota !== null) this.quota -= bytes
      this.lastError = null
      return results
    } catch (error) {
      if (!(error instanceof FencedWriteError)) this.lastError = messageOf(error)
      throw error
    }
  }

  private one(text: string, values: unknown[] = []): Row | undefined {
    return this.run([{ text, values }])[0].rows[0]
  }

  private all(text: string, values: unknown[] = []): Row[] {
    return this.run([{ text, values }])[0].rows
  }

  private run(statements: Statement[], transaction = false): { rows: Row[]; rowCount: number }[] {
    if (!this.open) throw new PostgresError('the store was closed', 'STIP_CLOSED')
    const answer = this.call({ op: 'run', id: this.id, statements, transaction })
    return answer.results
  }

  private call(request: WorkerRequest): { results: { rows: Row[]; rowCount: number }[] } {
    const answer = callWorker(request)
    if ('error' in answer) {
      const { message, code } = answer.error
      throw code === FENCED ? new FencedWriteError(message, code) : new PostgresError(message, code)
    }
    return answer
  }
}

function insertToken(
  boardId: string,
  role: string,
  layerId: string | null,
  hash: string,
  id: string,
  kind: LinkKind,
  created: string,
): Statement {
  return {
    text: 'INSERT INTO tokens (board_id, role, layer_id, hash, id, kind, created) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    values: [boardId, role, layerId, hash, id, kind, created],
  }
}

function leaseOf(row: Row): Lease {
  return {
    boardId: String(row.board_id),
    epoch: Number(row.epoch),
    owner: String(row.owner),
    address: String(row.address),
    expiresAt: Number(row.expires),
    live: row.live === true,
  }
}

function boardOf(row: Row): BoardRow {
  return { id: String(row.id), name: String(row.name), created: String(row.created) }
}

function versionOf(row: Row): VersionRow {
  return {
    id: String(row.id),
    name: String(row.name),
    kind: row.kind as VersionKind,
    trigger: (row.trigger as AutoTrigger | null) ?? null,
    created: String(row.created),
    createdByRole: (row.created_by_role as Role | null) ?? null,
    bytes: Number(row.bytes),
  }
}

/** A bytea value as it came through the worker (a Uint8Array view), as a plain Uint8Array. */
function bytesOf(value: unknown): Uint8Array {
  const view = value as Uint8Array
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
