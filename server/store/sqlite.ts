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
 * The room compacts the log into `snapshots` in the background.
 */
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { Role } from '../../shared/roles.ts'
import type { BoardRow, BoardStore, StoredDocument, StoreHealth, TokenGrant } from './types.ts'

const SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created TEXT NOT NULL
);
-- One main link per role (layer_id NULL), plus participant links scoped to a layer.
CREATE TABLE IF NOT EXISTS tokens (
  board_id TEXT NOT NULL REFERENCES boards(id),
  hash TEXT NOT NULL,
  role TEXT NOT NULL,
  layer_id TEXT,
  PRIMARY KEY (board_id, hash)
);
CREATE UNIQUE INDEX IF NOT EXISTS tokens_main_link ON tokens (board_id, role) WHERE layer_id IS NULL;
CREATE INDEX IF NOT EXISTS tokens_by_hash ON tokens (hash);
CREATE TABLE IF NOT EXISTS snapshots (
  board_id TEXT PRIMARY KEY REFERENCES boards(id),
  data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS updates (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  board_id TEXT NOT NULL REFERENCES boards(id),
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS updates_by_board ON updates (board_id, seq);
`

export interface SqliteStoreOptions {
  /**
   * `full` (default): every commit is fsynced, updates in the background (see above);
   * `normal`: SQLite's own `synchronous = NORMAL`, the disk is synced at checkpoints only.
   * Both survive a killed process.
   */
  synchronous?: 'full' | 'normal'
}

export class SqliteStore implements BoardStore {
  readonly file: string
  private db: Database.Database
  private lastError: string | null = null
  private statements
  /** The WAL file, fsynced after commits; null with `synchronous: 'normal'`. */
  private walFd: number | null = null
  private syncing = false
  private syncAgain = false

  constructor(dataDir: string, options: SqliteStoreOptions = {}) {
    fs.mkdirSync(dataDir, { recursive: true })
    this.file = path.join(dataDir, 'stip.sqlite')
    this.db = new Database(this.file)
    this.db.pragma('journal_mode = WAL')
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    this.db.exec(SCHEMA)
    // SQLite keeps the WAL file (same inode) for as long as the connection is open.
    if (options.synchronous !== 'normal') this.walFd = fs.openSync(`${this.file}-wal`, 'r')
    const db = this.db
    this.statements = {
      insertBoard: db.prepare('INSERT INTO boards (id, name, created) VALUES (?, ?, ?)'),
      getBoard: db.prepare<[string], BoardRow>('SELECT id, name, created FROM boards WHERE id = ?'),
      deleteMainToken: db.prepare('DELETE FROM tokens WHERE board_id = ? AND role = ? AND layer_id IS NULL'),
      insertToken: db.prepare('INSERT INTO tokens (board_id, role, layer_id, hash) VALUES (?, ?, ?, ?)'),
      findToken: db.prepare<[string, string], { role: Role; layer_id: string | null }>(
        'SELECT role, layer_id FROM tokens WHERE board_id = ? AND hash = ?',
      ),
      findTokenAnywhere: db.prepare<[string], { board_id: string; role: Role; layer_id: string | null }>(
        'SELECT board_id, role, layer_id FROM tokens WHERE hash = ? LIMIT 1',
      ),
      getSnapshot: db.prepare<[string], { data: Buffer }>('SELECT data FROM snapshots WHERE board_id = ?'),
      getUpdates: db.prepare<[string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM updates WHERE board_id = ? ORDER BY seq',
      ),
      insertUpdate: db.prepare('INSERT INTO updates (board_id, data) VALUES (?, ?)'),
      upsertSnapshot: db.prepare(
        'INSERT INTO snapshots (board_id, data) VALUES (?, ?) ON CONFLICT (board_id) DO UPDATE SET data = excluded.data',
      ),
      deleteUpdates: db.prepare('DELETE FROM updates WHERE board_id = ? AND seq <= ?'),
      documentBytes: db.prepare<[string, string], { bytes: number | null }>(
        `SELECT (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM updates WHERE board_id = ?)
              + (SELECT COALESCE(SUM(LENGTH(data)), 0) FROM snapshots WHERE board_id = ?) AS bytes`,
      ),
    }
  }

  createBoard(board: BoardRow, tokenHashes: Record<Role, string>): void {
    this.writeAndSync(() => {
      this.statements.insertBoard.run(board.id, board.name, board.created)
      for (const [role, hash] of Object.entries(tokenHashes))
        this.statements.insertToken.run(board.id, role, null, hash)
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
      this.statements.insertToken.run(boardId, role, null, tokenHash)
    })
  }

  addScopedToken(boardId: string, role: Role, layerId: string, tokenHash: string): void {
    this.writeAndSync(() => this.statements.insertToken.run(boardId, role, layerId, tokenHash))
  }

  loadDocument(boardId: string): StoredDocument {
    const snapshot = this.statements.getSnapshot.get(boardId)?.data ?? null
    const rows = this.statements.getUpdates.all(boardId)
    return {
      snapshot: snapshot && new Uint8Array(snapshot),
      updates: rows.map((row) => new Uint8Array(row.data)),
      lastSeq: rows.at(-1)?.seq ?? 0,
    }
  }

  appendUpdates(boardId: string, updates: Uint8Array[]): number {
    const seq = this.write(() => {
      let last = 0
      for (const update of updates) last = Number(this.statements.insertUpdate.run(boardId, update).lastInsertRowid)
      return last
    })
    this.syncInBackground()
    return seq
  }

  compact(boardId: string, snapshot: Uint8Array, upToSeq: number): void {
    this.writeAndSync(() => {
      this.statements.upsertSnapshot.run(boardId, snapshot)
      this.statements.deleteUpdates.run(boardId, upToSeq)
    })
  }

  documentBytes(boardId: string): number {
    return this.statements.documentBytes.get(boardId, boardId)?.bytes ?? 0
  }

  health(): StoreHealth {
    try {
      this.db.prepare('SELECT 1').get()
    } catch (error) {
      return { ok: false, detail: `sqlite unreadable: ${String(error)}` }
    }
    if (this.lastError) return { ok: false, detail: `last write failed: ${this.lastError}` }
    return { ok: true, detail: 'sqlite, WAL' }
  }

  close(): void {
    if (this.walFd !== null) {
      fs.fdatasyncSync(this.walFd)
      fs.closeSync(this.walFd)
      this.walFd = null
    }
    if (this.db.open) this.db.close()
  }

  /** Runs writes in one transaction and remembers whether the last one failed (disk full…). */
  private write<T>(fn: () => T): T {
    try {
      const result = this.db.transaction(fn)()
      this.lastError = null
      return result
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error)
      throw error
    }
  }

  private writeAndSync<T>(fn: () => T): T {
    const result = this.write(fn)
    if (this.walFd !== null) fs.fdatasyncSync(this.walFd)
    return result
  }

  /** Fsyncs the WAL off the main thread; commits made while one runs wait for the next. */
  private syncInBackground(): void {
    if (this.walFd === null) return
    if (this.syncing) {
      this.syncAgain = true
      return
    }
    this.syncing = true
    fs.fdatasync(this.walFd, (error) => {
      this.syncing = false
      if (error && this.walFd !== null) this.lastError = `fsync failed: ${error.message}`
      if (this.syncAgain && this.walFd !== null) {
        this.syncAgain = false
        this.syncInBackground()
      }
    })
  }
}
