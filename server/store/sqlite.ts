/**
 * The embedded default store: one SQLite file (`<dataDir>/stip.sqlite`) in WAL mode.
 *
 * Every accepted update is one row in `updates`, committed before the room broadcasts
 * it. A commit is written into the WAL file at once, so it survives a killed process.
 * To survive a power cut it must also reach the disk (fsync), which takes 0.3 ms
 * typically and 8 ms or more at p99 on a small VM: too long to stall every room. So with
 * `synchronous: 'full'` (the default) SQLite itself runs at `synchronous = NORMAL` and
 * this store fsyncs the WAL on libuv's thread pool after each commit (one at a time, the
 * next one covering every commit made meanwhile). The window a power cut can take is the
 * fsync in flight; clients that saw those updates still hold them and send them again.
 * Rare writes (boards, links, compaction) are fsynced before they return.
 * The room compacts the log into `snapshots` in the background: the snapshot names the row
 * it covers (`up_to_seq`) and the rows stay, with their time, as the board's history;
 * `checkpoints` keeps full states along it, `versions` the saved versions (types.ts).
 *
 * Erasure: `secure_delete` is on, so SQLite overwrites deleted content with zeros, and after
 * erasing a board the WAL is checkpointed and truncated, so none of its bytes stay in
 * either file.
 *
 * Faults:
 * - One process per data directory: `<dataDir>/stip.lock` is a second SQLite file held with
 *   an exclusive lock for as long as the store is open. The kernel drops the lock with the
 *   process, so a `kill -9` leaves nothing stale; a second server is refused at start
 *   (`DataDirInUseError`). The main file stays readable by other tools (backups, the bench).
 * - A failed write (disk full: `SQLITE_FULL`) throws and marks the store unhealthy until a
 *   later write succeeds; SQLite rolled the transaction back, so nothing half-written stays.
 * - A failed fsync marks the store unhealthy too. From then on every write is fsynced
 *   before it returns, and refused (throws) if that fsync fails again; the first one that
 *   succeeds makes the store healthy again.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { LinkKind } from '../../shared/api.ts'
import type { Role } from '../../shared/roles.ts'
import type { AuditAction, AuditActor, AutoTrigger, VersionKind } from '../../shared/versions.ts'
import { ConfigError } from '../config.ts'
import { newLinkId, SQL_NEW_LINK_ID, SQL_NOW } from './links.ts'
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

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created TEXT NOT NULL
);
-- One main link per role (layer_id NULL), plus participant links scoped to a layer. The
-- id names a link in the API (never the hash); id, kind and created came later: see migrate().
CREATE TABLE IF NOT EXISTS tokens (
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
-- The snapshot a room loads from covers the rows up to up_to_seq (came later: migrate()).
CREATE TABLE IF NOT EXISTS snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  data BLOB NOT NULL,
  up_to_seq INTEGER NOT NULL DEFAULT 0
);
-- Every accepted update, with the time it was stored (ms; came later: migrate()).
CREATE TABLE IF NOT EXISTS updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id),
  data BLOB NOT NULL,
  at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS updates_by_board ON updates (board_id, seq);
-- Full states along the history: the document after row seq, at that row's time.
CREATE TABLE IF NOT EXISTS checkpoints (
  board_id TEXT NOT NULL REFERENCES boards(id),
  seq INTEGER NOT NULL,
  at INTEGER NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (board_id, seq)
);
CREATE TABLE IF NOT EXISTS versions (
  board_id TEXT NOT NULL REFERENCES boards(id),
  id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  trigger TEXT,
  created TEXT NOT NULL,
  created_by_role TEXT,
  data BLOB NOT NULL,
  PRIMARY KEY (board_id, id)
);
CREATE INDEX IF NOT EXISTS versions_by_time ON versions (board_id, created);
-- What happened, by whom, when: never a token, a hash or anything a board held. No foreign
-- key: the line that a board was erased outlives the board.
CREATE TABLE IF NOT EXISTS audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  board_id TEXT
);
-- Which browser secret (its SHA-256) introduced each Yjs client id on a board: see
-- server/room/identity.ts. Written in the transaction of the update that introduced it.
CREATE TABLE IF NOT EXISTS client_owners (
  board_id TEXT NOT NULL REFERENCES boards(id),
  client_id INTEGER NOT NULL,
  secret_hash TEXT NOT NULL,
  PRIMARY KEY (board_id, client_id)
);
-- Dot-voting ballots, outside the document (server/facilitator/voting.ts): one row per
-- round and voter (the hash of their browser secret), votes as JSON {itemId: count}.
CREATE TABLE IF NOT EXISTS ballots (
  board_id TEXT NOT NULL REFERENCES boards(id),
  round_id TEXT NOT NULL,
  voter TEXT NOT NULL,
  votes TEXT NOT NULL,
  PRIMARY KEY (board_id, round_id, voter)
);
`

export interface SqliteStoreOptions {
  /**
   * `full` (default): every commit is fsynced, updates in the background (see above);
   * `normal`: SQLite's own `synchronous = NORMAL`, the disk is synced at checkpoints only.
   * Both survive a killed process.
   */
  synchronous?: 'full' | 'normal'
  /**
   * Hold `<dataDir>/stip.lock` so no second process opens the same data (default true).
   * False only for tools that read a live server's data next to it (the bench).
   */
  lock?: boolean
  /** How the WAL is fsynced; the tests give calls that really fail. */
  fsync?: Fsync
  /** The clock rows are stamped with (ms); the tests and the bench give their own. */
  now?: () => number
}

/** The fsync calls the store makes, Node's by default. */
export interface Fsync {
  sync(fd: number): void
  background(fd: number, done: (error: NodeJS.ErrnoException | null) => void): void
}

const NODE_FSYNC: Fsync = { sync: fs.fdatasyncSync, background: fs.fdatasync }

/** Another process has this data directory open. main.ts reports it as a configuration error. */
export class DataDirInUseError extends ConfigError {}

/** A commit made and the promise of `durable()` waiting for the fsync that covers it. */
interface DurabilityWaiter {
  commit: number
  resolve(): void
  reject(error: Error): void
}

export class SqliteStore implements BoardStore {
  readonly file: string
  private db: Database.Database
  /** Held open (and locked) for the store's lifetime; null with `lock: false`. */
  private lock: Database.Database | null
  private lastError: string | null = null
  /** Set when an fsync failed; cleared by the first write whose own fsync succeeds. */
  private syncError: string | null = null
  private statements
  /**
   * Runs a function in a transaction (a savepoint when one is open). Made once: each
   * `db.transaction()` call builds four wrappers and their properties (7 µs), and a commit
   * with a fresh one took about 11 µs longer [2].
   */
  private readonly transact: <T>(fn: () => T) => T
  private readonly fsync: Fsync
  /** The WAL file, fsynced after commits; null with `synchronous: 'normal'`. */
  private walFd: number | null = null
  private syncing = false
  /** An fsync to start once the current piece of work is done (`syncInBackground`). */
  private syncQueued = false
  private syncAgain = false
  /** Commits made, and how many of them an fsync is known to cover. */
  private commits = 0
  private syncedCommits = 0
  private waiters: DurabilityWaiter[] = []
  private readonly defaultMaxPages: number
  private readonly now: () => number

  constructor(dataDir: string, options: SqliteStoreOptions = {}) {
    fs.mkdirSync(dataDir, { recursive: true })
    this.file = path.join(dataDir, 'stip.sqlite')
    this.fsync = options.fsync ?? NODE_FSYNC
    this.now = options.now ?? Date.now
    this.lock = options.lock === false ? null : lockDataDir(dataDir)
    this.db = new Database(this.file, NATIVE_BINDING)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('secure_delete = ON')
    this.db.exec(SCHEMA)
    migrateTokens(this.db)
    migrateHistory(this.db)
    // SQLite keeps the WAL file (same inode) for as long as the connection is open.
    if (options.synchronous !== 'normal') this.walFd = fs.openSync(`${this.file}-wal`, 'r')
    this.defaultMaxPages = Number(this.db.pragma('max_page_count', { simple: true }))
    const db = this.db
    this.transact = db.transaction((fn: () => unknown) => fn()) as <T>(fn: () => T) => T
    this.statements = {
      insertBoard: db.prepare('INSERT INTO boards (id, name, created) VALUES (?, ?, ?)'),
      getBoard: db.prepare<[string], BoardRow>('SELECT id, name, created FROM boards WHERE id = ?'),
      deleteMainToken: db.prepare('DELETE FROM tokens WHERE board_id = ? AND role = ? AND layer_id IS NULL'),
      insertToken: db.prepare(
        'INSERT INTO tokens (board_id, role, layer_id, hash, id, kind, created) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      listLinks: db.prepare<
        [string],
        { id: string; kind: LinkKind; role: Role; layer_id: string | null; created: string }
      >('SELECT id, kind, role, layer_id, created FROM tokens WHERE board_id = ? ORDER BY created, rowid'),
      findLink: db.prepare<[string, string], { hash: string }>(
        "SELECT hash FROM tokens WHERE board_id = ? AND id = ? AND kind <> 'main'",
      ),
      deleteLink: db.prepare('DELETE FROM tokens WHERE board_id = ? AND id = ?'),
      findToken: db.prepare<[string, string], { role: Role; layer_id: string | null }>(
        'SELECT role, layer_id FROM tokens WHERE board_id = ? AND hash = ?',
      ),
      findTokenAnywhere: db.prepare<[string], { board_id: string; role: Role; layer_id: string | null }>(
        'SELECT board_id, role, layer_id FROM tokens WHERE hash = ? LIMIT 1',
      ),
      getSnapshot: db.prepare<[string], { data: Buffer; up_to_seq: number }>(
        'SELECT data, up_to_seq FROM snapshots WHERE board_id = ?',
      ),
      getUpdates: db.prepare<[string, number], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE board_id = ? AND seq > ? ORDER BY seq',
      ),
      lastSeq: db.prepare<[string], { seq: number | null }>('SELECT MAX(seq) AS seq FROM updates WHERE board_id = ?'),
      insertUpdate: db.prepare('INSERT INTO updates (board_id, data, at) VALUES (?, ?, ?)'),
      insertOwner: db.prepare(
        'INSERT INTO client_owners (board_id, client_id, secret_hash) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      getOwners: db.prepare<[string], { client_id: number; secret_hash: string }>(
        'SELECT client_id, secret_hash FROM client_owners WHERE board_id = ?',
      ),
      getBallots: db.prepare<[string, string], { voter: string; votes: string }>(
        'SELECT voter, votes FROM ballots WHERE board_id = ? AND round_id = ? ORDER BY voter',
      ),
      upsertBallot: db.prepare(
        'INSERT INTO ballots (board_id, round_id, voter, votes) VALUES (?, ?, ?, ?) ON CONFLICT (board_id, round_id, voter) DO UPDATE SET votes = excluded.votes',
      ),
      deleteBallot: db.prepare('DELETE FROM ballots WHERE board_id = ? AND round_id = ? AND voter = ?'),
      deleteBallots: db.prepare('DELETE FROM ballots WHERE board_id = ? AND round_id = ?'),
      upsertSnapshot: db.prepare(
        `INSERT INTO snapshots (board_id, data, up_to_seq) VALUES (?, ?, ?)
         ON CONFLICT (board_id) DO UPDATE SET data = excluded.data, up_to_seq = excluded.up_to_seq`,
      ),
      documentBytes: db.prepare<{ board: string }, { bytes: number | null }>(
        `SELECT (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM updates WHERE board_id = $board
                   AND seq > COALESCE((SELECT up_to_seq FROM snapshots WHERE board_id = $board), 0))
              + (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM snapshots WHERE board_id = $board) AS bytes`,
      ),
      storage: db.prepare<
        { board: string },
        { snapshot: number; history: number; checkpoints: number; versions: number }
      >(
        `SELECT (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM snapshots WHERE board_id = $board) AS snapshot,
                (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM updates WHERE board_id = $board) AS history,
                (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM checkpoints WHERE board_id = $board) AS checkpoints,
                (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM versions WHERE board_id = $board) AS versions`,
      ),
      listBoards: db.prepare<[], BoardRow>('SELECT id, name, created FROM boards ORDER BY created, rowid'),
      lastActivity: db.prepare<[string], { at: number | null }>('SELECT MAX(at) AS at FROM updates WHERE board_id = ?'),
      insertVersion: db.prepare(
        `INSERT INTO versions (board_id, id, name, kind, trigger, created, created_by_role, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      listVersions: db.prepare<[string], VersionColumns>(
        `SELECT id, name, kind, trigger, created, created_by_role, LENGTH(data) AS bytes
         FROM versions WHERE board_id = ? ORDER BY created, rowid`,
      ),
      getVersion: db.prepare<[string, string], VersionColumns & { data: Buffer }>(
        `SELECT id, name, kind, trigger, created, created_by_role, LENGTH(data) AS bytes, data
         FROM versions WHERE board_id = ? AND id = ?`,
      ),
      deleteVersion: db.prepare('DELETE FROM versions WHERE board_id = ? AND id = ?'),
      historyInfo: db.prepare<
        [string],
        { rows: number; first: number | null; last: number | null; seq: number | null }
      >('SELECT COUNT(*) AS rows, MIN(at) AS first, MAX(at) AS last, MAX(seq) AS seq FROM updates WHERE board_id = ?'),
      checkpointCount: db.prepare<[string], { count: number }>(
        'SELECT COUNT(*) AS count FROM checkpoints WHERE board_id = ?',
      ),
      seqAt: db.prepare<[string, number], { seq: number | null }>(
        'SELECT MAX(seq) AS seq FROM updates WHERE board_id = ? AND at <= ?',
      ),
      checkpointAtOrBefore: db.prepare<[string, number], { seq: number; at: number; data: Buffer }>(
        'SELECT seq, at, data FROM checkpoints WHERE board_id = ? AND seq <= ? ORDER BY seq DESC LIMIT 1',
      ),
      listCheckpoints: db.prepare<[string], { seq: number; at: number; bytes: number }>(
        'SELECT seq, at, LENGTH(data) AS bytes FROM checkpoints WHERE board_id = ? ORDER BY seq',
      ),
      upsertCheckpoint: db.prepare(
        `INSERT INTO checkpoints (board_id, seq, at, data) VALUES ($board, $seq,
           COALESCE((SELECT at FROM updates WHERE seq = $seq AND board_id = $board), $now), $data)
         ON CONFLICT (board_id, seq) DO UPDATE SET data = excluded.data`,
      ),
      historyRows: db.prepare<[string, number, number], { seq: number; at: number; data: Buffer }>(
        'SELECT seq, at, data FROM updates WHERE board_id = ? AND seq > ? AND seq <= ? ORDER BY seq',
      ),
      historyTimes: db.prepare<[string], { seq: number; at: number }>(
        'SELECT seq, at FROM updates WHERE board_id = ? ORDER BY seq',
      ),
      historySince: db.prepare<[string, number], { rows: number; bytes: number | null }>(
        'SELECT COUNT(*) AS rows, SUM(LENGTH(data)) AS bytes FROM updates WHERE board_id = ? AND seq > ?',
      ),
      pruneRows: db.prepare<{ board: string; before: number }>(
        `DELETE FROM updates WHERE board_id = $board AND seq < $before
           AND seq <= COALESCE((SELECT up_to_seq FROM snapshots WHERE board_id = $board), 0)`,
      ),
      pruneCheckpoints: db.prepare<{ board: string; before: number; keep: string }>(
        `DELETE FROM checkpoints WHERE board_id = $board AND seq < $before
           AND seq NOT IN (SELECT value FROM json_each($keep))`,
      ),
      insertAudit: db.prepare('INSERT INTO audit (at, action, actor, board_id) VALUES (?, ?, ?, ?)'),
      listAudit: db.prepare<[number], { at: string; action: AuditAction; actor: AuditActor; board_id: string | null }>(
        'SELECT at, action, actor, board_id FROM audit ORDER BY id DESC LIMIT ?',
      ),
    }
  }

  createBoard(board: BoardRow, tokenHashes: Record<Role, string>, firstUpdate?: Uint8Array): void {
    this.writeAndSync(() => {
      this.statements.insertBoard.run(board.id, board.name, board.created)
      for (const [role, hash] of Object.entries(tokenHashes))
        this.statements.insertToken.run(board.id, role, null, hash, newLinkId(), 'main', board.created)
      if (firstUpdate) this.statements.insertUpdate.run(board.id, firstUpdate, this.now())
    })
  }

  getBoard(id: string): BoardRow | undefined {
    return this.statements.getBoard.get(id)
  }

  findToken(boardId: string, tokenHash: string): TokenGrant | undefined {
    const row = this.statements.findToken.get(boardId, tokenHash)
    return row && { role: row.role, layerId: row.layer_id }
  }

  findTokenAnywhere(tokenHash: string): (TokenGrant & { boardId: string }) | undefined {
    const row = this.statements.findTokenAnywhere.get(tokenHash)
    return row && { boardId: row.board_id, role: row.role, layerId: row.layer_id }
  }

  replaceToken(boardId: string, role: Role, tokenHash: string): void {
    this.writeAndSync(() => {
      this.statements.deleteMainToken.run(boardId, role)
      this.statements.insertToken.run(boardId, role, null, tokenHash, newLinkId(), 'main', new Date().toISOString())
    })
  }

  addScopedToken(
    boardId: string,
    role: Role,
    layerId: string,
    tokenHash: string,
    kind: Exclude<LinkKind, 'main'> = 'scoped',
  ): LinkRow {
    const row: LinkRow = { id: newLinkId(), kind, role, layerId, created: new Date().toISOString() }
    this.writeAndSync(() =>
      this.statements.insertToken.run(boardId, role, layerId, tokenHash, row.id, row.kind, row.created),
    )
    return row
  }

  listLinks(boardId: string): LinkRow[] {
    return this.statements.listLinks
      .all(boardId)
      .map((row) => ({ id: row.id, kind: row.kind, role: row.role, layerId: row.layer_id, created: row.created }))
  }

  revokeLink(boardId: string, linkId: string): string | undefined {
    return this.writeAndSync(() => {
      const found = this.statements.findLink.get(boardId, linkId)
      if (found) this.statements.deleteLink.run(boardId, linkId)
      return found?.hash
    })
  }

  loadClientOwners(boardId: string): ClientOwner[] {
    return this.statements.getOwners
      .all(boardId)
      .map((row) => ({ client: Number(row.client_id), secretHash: row.secret_hash }))
  }

  loadBallots(boardId: string, roundId: string): BallotRow[] {
    return this.statements.getBallots
      .all(boardId, roundId)
      .map((row) => ({ voter: row.voter, votes: parseVotes(row.votes) }))
  }

  saveBallot(boardId: string, roundId: string, { voter, votes }: BallotRow): void {
    this.write(() => {
      if (Object.keys(votes).length === 0) this.statements.deleteBallot.run(boardId, roundId, voter)
      else this.statements.upsertBallot.run(boardId, roundId, voter, JSON.stringify(votes))
    })
    this.syncInBackground()
  }

  deleteBallots(boardId: string, roundId: string): void {
    this.writeAndSync(() => this.statements.deleteBallots.run(boardId, roundId))
  }

  loadDocument(boardId: string): StoredDocument {
    return this.transact(() => {
      const snapshot = this.statements.getSnapshot.get(boardId)
      const rows = this.statements.getUpdates.all(boardId, snapshot?.up_to_seq ?? 0)
      return {
        snapshot: snapshot ? new Uint8Array(snapshot.data) : null,
        updates: rows.map((row) => new Uint8Array(row.data)),
        lastSeq: rows.at(-1)?.seq ?? snapshot?.up_to_seq ?? 0,
      }
    })
  }

  appendUpdates(boardId: string, updates: Uint8Array[], owners: readonly ClientOwner[] = []): number {
    const append = () => {
      let last = 0
      const at = this.now()
      for (const update of updates) last = Number(this.statements.insertUpdate.run(boardId, update, at).lastInsertRowid)
      for (const { client, secretHash } of owners) this.statements.insertOwner.run(boardId, client, secretHash)
      return last
    }
    // After a failed fsync, a write counts only once it is on disk: see the header.
    if (this.syncError !== null) return this.writeAndSync(append)
    const seq = this.write(append)
    this.syncInBackground()
    return seq
  }

  durable(): Promise<void> {
    if (this.walFd === null || this.syncedCommits >= this.commits) return Promise.resolve()
    return new Promise((resolve, reject) => this.waiters.push({ commit: this.commits, resolve, reject }))
  }

  /**
   * Caps the file at its current size plus `extraBytes` (rounded to pages), as a full disk
   * would; null lifts the cap. For tests, and for an administrator's quota.
   */
  limitSpace(extraBytes: number | null): void {
    const pages =
      extraBytes === null
        ? this.defaultMaxPages
        : Number(this.db.pragma('page_count', { simple: true })) +
          Math.ceil(extraBytes / Number(this.db.pragma('page_size', { simple: true })))
    this.db.pragma(`max_page_count = ${Math.floor(pages)}`)
  }

  compact(boardId: string, snapshot: Uint8Array, upToSeq: number, options: { checkpoint?: boolean } = {}): void {
    this.writeAndSync(() => {
      this.statements.upsertSnapshot.run(boardId, snapshot, upToSeq)
      if (options.checkpoint) this.insertCheckpoint(boardId, upToSeq, snapshot)
    })
  }

  documentBytes(boardId: string): number {
    return this.statements.documentBytes.get({ board: boardId })?.bytes ?? 0
  }

  listBoards(): BoardRow[] {
    return this.statements.listBoards.all()
  }

  lastActivity(boardId: string): number | null {
    return this.statements.lastActivity.get(boardId)?.at ?? null
  }

  storageOf(boardId: string): BoardStorage {
    const sizes = this.statements.storage.get({ board: boardId }) ?? {
      snapshot: 0,
      history: 0,
      checkpoints: 0,
      versions: 0,
    }
    return {
      document: this.documentBytes(boardId),
      history: sizes.history,
      checkpoints: sizes.checkpoints,
      versions: sizes.versions,
      total: sizes.snapshot + sizes.history + sizes.checkpoints + sizes.versions,
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
    this.writeAndSync(() =>
      this.statements.insertVersion.run(
        boardId,
        row.id,
        row.name,
        row.kind,
        row.trigger,
        row.created,
        row.createdByRole,
        version.state,
      ),
    )
    return row
  }

  listVersions(boardId: string): VersionRow[] {
    return this.statements.listVersions.all(boardId).map(versionRowOf)
  }

  loadVersion(boardId: string, versionId: string): { row: VersionRow; state: Uint8Array } | undefined {
    const found = this.statements.getVersion.get(boardId, versionId)
    return found && { row: versionRowOf(found), state: new Uint8Array(found.data) }
  }

  deleteVersion(boardId: string, versionId: string): boolean {
    return this.writeAndSync(() => this.statements.deleteVersion.run(boardId, versionId).changes > 0)
  }

  historyInfo(boardId: string) {
    const info = this.statements.historyInfo.get(boardId)
    return {
      rows: info?.rows ?? 0,
      firstAt: info?.first ?? null,
      lastAt: info?.last ?? null,
      lastSeq: info?.seq ?? 0,
      checkpoints: this.statements.checkpointCount.get(boardId)?.count ?? 0,
    }
  }

  seqAt(boardId: string, at: number): number {
    return this.statements.seqAt.get(boardId, at)?.seq ?? 0
  }

  checkpointAtOrBefore(boardId: string, seq: number): Checkpoint | undefined {
    const found = this.statements.checkpointAtOrBefore.get(boardId, seq)
    return found && { seq: found.seq, at: found.at, state: new Uint8Array(found.data) }
  }

  listCheckpoints(boardId: string): { seq: number; at: number; bytes: number }[] {
    return this.statements.listCheckpoints.all(boardId)
  }

  addCheckpoint(boardId: string, seq: number, state: Uint8Array): void {
    this.writeAndSync(() => this.insertCheckpoint(boardId, seq, state))
  }

  historyRows(boardId: string, afterSeq: number, upToSeq: number): HistoryRow[] {
    return this.statements.historyRows
      .all(boardId, afterSeq, upToSeq)
      .map((row) => ({ seq: row.seq, at: row.at, update: new Uint8Array(row.data) }))
  }

  historyTimes(boardId: string): { seq: number; at: number }[] {
    return this.statements.historyTimes.all(boardId)
  }

  historySince(boardId: string, afterSeq: number): { rows: number; bytes: number } {
    const found = this.statements.historySince.get(boardId, afterSeq)
    return { rows: found?.rows ?? 0, bytes: found?.bytes ?? 0 }
  }

  pruneHistory(boardId: string, beforeSeq: number, keep: readonly number[]): void {
    this.writeAndSync(() => {
      this.statements.pruneRows.run({ board: boardId, before: beforeSeq })
      this.statements.pruneCheckpoints.run({ board: boardId, before: beforeSeq, keep: JSON.stringify(keep) })
    })
  }

  eraseBoard(boardId: string): boolean {
    const erased = this.writeAndSync(() => {
      for (const table of ['ballots', 'client_owners', 'tokens', 'snapshots', 'checkpoints', 'versions', 'updates'])
        this.db.prepare(`DELETE FROM ${table} WHERE board_id = ?`).run(boardId)
      return this.db.prepare('DELETE FROM boards WHERE id = ?').run(boardId).changes > 0
    })
    // The WAL still holds the pages as they were before: copy them back and empty it.
    this.db.pragma('wal_checkpoint(TRUNCATE)')
    return erased
  }

  appendAudit(entry: { action: AuditAction; actor: AuditActor; boardId: string | null }): void {
    this.writeAndSync(() =>
      this.statements.insertAudit.run(new Date(this.now()).toISOString(), entry.action, entry.actor, entry.boardId),
    )
  }

  listAudit(limit: number): AuditRow[] {
    return this.statements.listAudit
      .all(limit)
      .map((row) => ({ at: row.at, action: row.action, actor: row.actor, boardId: row.board_id }))
  }

  private insertCheckpoint(boardId: string, seq: number, state: Uint8Array): void {
    this.statements.upsertCheckpoint.run({ board: boardId, seq, now: this.now(), data: state })
  }

  health(): StoreHealth {
    try {
      this.db.prepare('SELECT 1').get()
    } catch (error) {
      return { ok: false, detail: `sqlite unreadable: ${String(error)}` }
    }
    if (this.lastError) return { ok: false, detail: `last write failed: ${this.lastError}` }
    if (this.syncError) return { ok: false, detail: `${this.syncError}; writes are refused until one is fsynced` }
    return { ok: true, detail: 'sqlite, WAL' }
  }

  close(): void {
    try {
      this.syncNow()
    } finally {
      if (this.walFd !== null) fs.closeSync(this.walFd)
      this.walFd = null
      this.settle(new Error('the store was closed'))
      if (this.db.open) this.db.close()
      if (this.lock?.open) this.lock.close()
      this.lock = null
    }
  }

  /** Runs writes in one transaction and remembers whether the last one failed (disk full…). */
  private write<T>(fn: () => T): T {
    try {
      const result = this.transact(fn)
      this.commits++
      this.lastError = null
      return result
    } catch (error) {
      this.lastError = messageOf(error)
      throw error
    }
  }

  private writeAndSync<T>(fn: () => T): T {
    const result = this.write(fn)
    this.syncNow()
    return result
  }

  /** Fsyncs the WAL now; throws (and marks the store unhealthy) if that fails. */
  private syncNow(): void {
    if (this.walFd === null) return
    const covered = this.commits
    try {
      this.fsync.sync(this.walFd)
    } catch (error) {
      this.syncError = `fsync failed: ${messageOf(error)}`
      this.settle(error instanceof Error ? error : new Error(String(error)), covered)
      throw error
    }
    this.syncError = null
    this.syncedCommits = Math.max(this.syncedCommits, covered)
    this.settle(null, covered)
  }

  /**
   * Fsyncs the WAL off the main thread, once the caller's work is done [1]; commits made
   * meanwhile are covered by it, those made while one runs wait for the next.
   */
  private syncInBackground(): void {
    if (this.walFd === null || this.syncQueued) return
    this.syncQueued = true
    process.nextTick(() => {
      this.syncQueued = false
      this.startSync()
    })
  }

  private startSync(): void {
    if (this.walFd === null) return
    if (this.syncing) {
      this.syncAgain = true
      return
    }
    this.syncing = true
    const covered = this.commits
    this.fsync.background(this.walFd, (error) => {
      this.syncing = false
      if (this.walFd === null) return // closed meanwhile: close() synced everything
      if (error) {
        // The commits it covered may be lost on a power cut: writes are refused until one
        // is fsynced for real (see the header), and strict rooms waiting for them fail.
        this.syncError = `fsync failed: ${error.message}`
        this.settle(error, covered)
      } else {
        this.syncedCommits = Math.max(this.syncedCommits, covered)
        this.settle(null, covered)
      }
      if (this.syncAgain) {
        this.syncAgain = false
        this.startSync()
      }
    })
  }

  /** Resolves (or, with an error, rejects) the `durable()` promises of commits up to `upTo`. */
  private settle(error: Error | null, upTo = Number.POSITIVE_INFINITY): void {
    const done = this.waiters.filter((waiter) => waiter.commit <= upTo)
    this.waiters = this.waiters.filter((waiter) => waiter.commit > upTo)
    for (const waiter of done) {
      if (error) waiter.reject(error)
      else waiter.resolve()
    }
  }
}

// [1] Starting an fsync wakes a thread-pool thread. On a busy machine (2 cores) the woken
//     thread may take the main thread's core at once, and the main thread waits: a profile
//     of the fan-out at 1×100 with 20 movers had 12% of the main thread's time in the call
//     (`bench/profile-steady.ts`; 13 µs a call on an idle machine). A room commits, then
//     broadcasts (`room.ts` `flush`): started in the commit, that wait delayed every peer's
//     message. Started on `process.nextTick`, the fsync starts as soon as the flush has
//     sent its messages, before any other I/O or timer, and covers the same commits or
//     more; `strict` rooms wait for it (`durable()`) as before.
// [2] `appendUpdates` of one 200-byte update on a WAL file, five rounds of 5,000 calls, twice
//     each (2026-12-03): 44–56 µs a call with the one wrapper, 60–67 µs with a fresh
//     `db.transaction(fn)()` per write. In the fan-out at 10×20 every update is its own
//     commit, and better-sqlite3's `transaction` was the busiest JavaScript function under the
//     commit in its V8 profile (docs/BENCHMARKS.md, "Ten rooms at once").

/**
 * Gives the tokens table of a data folder made before links had ids its `id`, `kind` and
 * `created`, in place and in one transaction, so every existing link keeps working and can
 * be listed and revoked. What an old row cannot tell is filled in honestly: a link without a
 * layer is its role's main link; one with a layer is `scoped` (a join link's hash does not
 * say it was short); its time is its board's creation time, the earliest it can have been made.
 */
function migrateTokens(db: Database.Database): void {
  const columns = db.prepare<[], { name: string }>('PRAGMA table_info(tokens)').all()
  if (!columns.some((column) => column.name === 'id')) {
    db.transaction(() => {
      db.exec(`
        ALTER TABLE tokens ADD COLUMN id TEXT;
        ALTER TABLE tokens ADD COLUMN kind TEXT;
        ALTER TABLE tokens ADD COLUMN created TEXT;
        UPDATE tokens SET
          id = ${SQL_NEW_LINK_ID},
          kind = CASE WHEN layer_id IS NULL THEN 'main' ELSE 'scoped' END,
          created = COALESCE((SELECT created FROM boards WHERE boards.id = tokens.board_id), ${SQL_NOW});
      `)
    })()
  }
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS tokens_by_id ON tokens (board_id, id)')
}

interface VersionColumns {
  id: string
  name: string
  kind: VersionKind
  trigger: AutoTrigger | null
  created: string
  created_by_role: Role | null
  bytes: number
}

function versionRowOf(row: VersionColumns): VersionRow {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    trigger: row.trigger,
    created: row.created,
    createdByRole: row.created_by_role,
    bytes: row.bytes,
  }
}

/**
 * Gives a data folder made before history was kept the columns it needs, in place: each
 * stored update its time (the board's creation time, the earliest it can have been made,
 * for rows from before), each snapshot the row it covers (0: the old compaction deleted the
 * rows it covered, so every row left comes after it). An old snapshot also becomes the
 * history's first checkpoint (seq 0), since the rows after it build on it.
 */
function migrateHistory(db: Database.Database): void {
  const has = (table: string, column: string) =>
    db
      .prepare<[], { name: string }>(`PRAGMA table_info(${table})`)
      .all()
      .some((row) => row.name === column)
  db.transaction(() => {
    if (!has('updates', 'at')) {
      db.exec(`
        ALTER TABLE updates ADD COLUMN at INTEGER NOT NULL DEFAULT 0;
        UPDATE updates SET at = COALESCE(
          (SELECT CAST(ROUND((julianday(created) - 2440587.5) * 86400000) AS INTEGER) FROM boards
           WHERE boards.id = updates.board_id), 0);
      `)
    }
    if (!has('snapshots', 'up_to_seq')) {
      db.exec(`
        ALTER TABLE snapshots ADD COLUMN up_to_seq INTEGER NOT NULL DEFAULT 0;
        INSERT OR IGNORE INTO checkpoints (board_id, seq, at, data)
          SELECT board_id, 0, COALESCE((SELECT CAST(ROUND((julianday(created) - 2440587.5) * 86400000) AS INTEGER)
            FROM boards WHERE boards.id = snapshots.board_id), 0), data FROM snapshots;
      `)
    }
  })()
  db.exec('CREATE INDEX IF NOT EXISTS updates_by_time ON updates (board_id, at)')
}

/**
 * better-sqlite3's compiled addon, where its install (prebuild-install, or node-gyp with
 * `--release`) puts it. Without it better-sqlite3 asks the `bindings` package, which finds the
 * package's root from a stack trace and then tries a dozen build folders: 8–18 ms of every
 * start. If the file is not there (another kind of build), better-sqlite3 looks it up itself.
 */
const NATIVE_BINDING: { nativeBinding?: string } = (() => {
  try {
    return { nativeBinding: createRequire(import.meta.url).resolve('better-sqlite3/build/Release/better_sqlite3.node') }
  } catch {
    return {}
  }
})()

/**
 * Takes `<dataDir>/stip.lock`: a SQLite file in exclusive locking mode, whose lock SQLite
 * takes with the first write and keeps until the connection closes (or the process dies).
 * The pid written into it is for whoever looks at the file; the lock is what counts.
 */
function lockDataDir(dataDir: string): Database.Database {
  const file = path.join(dataDir, 'stip.lock')
  const lock = new Database(file, { timeout: 0, ...NATIVE_BINDING })
  try {
    lock.pragma('locking_mode = EXCLUSIVE')
    lock.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, since TEXT NOT NULL)')
    lock.transaction(() => {
      lock.exec('DELETE FROM holder')
      lock.prepare('INSERT INTO holder (pid, since) VALUES (?, ?)').run(process.pid, new Date().toISOString())
    })()
  } catch (error) {
    lock.close()
    if (error instanceof Database.SqliteError && error.code.startsWith('SQLITE_BUSY')) {
      throw new DataDirInUseError(
        `DATA_DIR ${dataDir} is in use by another Stip process (${file} is locked); stop that one first`,
      )
    }
    throw error
  }
  return lock
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A stored ballot's votes; a row that is not `{item: count}` counts as no votes (the PostgreSQL store's too). */
export function parseVotes(json: string): Record<string, number> {
  try {
    const value: unknown = JSON.parse(json)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
    const votes: Record<string, number> = {}
    for (const [item, count] of Object.entries(value)) {
      if (typeof count === 'number' && Number.isInteger(count) && count > 0) votes[item] = count
    }
    return votes
  } catch {
    return {}
  }
}
