/**
 * SQLite backend (better-sqlite3), the embedded default.
 *
 * Event batches go to a writer thread with its own connection
 * (sqlite-writer-thread.ts), so commits never block the main thread, when
 * the process has a second core to run it on. On a single core the thread
 * cannot run beside the main one, and handing each batch over (serialising,
 * copying, parsing it again) only adds work: batches are then written on the
 * main thread, as they are for an in-memory database, which another
 * connection cannot see. `TRIPLINE_SQLITE_WRITER=thread|inline` overrides.
 * Directory imports run as one synchronous transaction on the main
 * connection: nothing can interleave with it. Kysely serves everything else,
 * but never multi-statement transactions, which could interleave with those.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DirectoryRecord } from '../../domain/directory-record.js';
import { KyselyStore } from '../kysely-store.js';
import type { DecisionRow } from '../kysely-store.js';
import type { DirectoryImportResult, EventRow, InsertOutcome, StoredEvent } from '../port.js';
import { eventColumns, toDirectoryRow, toStoredEvent } from '../rows.js';
import type { EventSelect } from '../rows.js';
import type { Database } from '../schema.js';
import { SqliteWriterThread } from './sqlite-writer-thread.js';

/**
 * Every connection's settings. WAL with `synchronous=FULL`: each commit is
 * fsynced, so an acknowledged batch survives a crash or power loss; batches
 * are large (group commit), so one fsync per batch costs little. A bigger page
 * cache keeps the per-account index pages of interleaved inserts in memory
 * between batches, and fewer, larger checkpoints: together 1.5-2x the ingest
 * rate of the defaults.
 */
const PRAGMAS = [
  'journal_mode = WAL',
  'synchronous = FULL',
  'busy_timeout = 10000',
  'cache_size = -65536',
  'wal_autocheckpoint = 10000',
] as const;

/**
 * Where event batches are written: `thread` (a writer thread), `inline` (the
 * main thread), or `auto` (a thread when the process may use more than one core).
 */
export type SqliteWriterMode = 'thread' | 'inline' | 'auto';

export interface SqliteOpenOptions {
  /** Default: `TRIPLINE_SQLITE_WRITER`, else `auto`. */
  readonly writer?: SqliteWriterMode;
  /**
   * `auto` writes on a thread when the process may use at least this many
   * cores (default 2). A server answering single events sets 3: on two
   * cores, handing each small batch to a thread costs more than committing
   * it in place (docs/PERFORMANCE.md, "HTTP").
   */
  readonly threadFromCores?: number;
}

/** Days looked up per statement when reading an account's events. */
const DAYS_PER_LOOKUP = 64;

const WRITER_MODES: readonly string[] = ['thread', 'inline', 'auto'];

/** The mode asked for, from the option or the environment; a wrong value is an error, not a default. */
export function sqliteWriterMode(asked: string | undefined): SqliteWriterMode {
  const mode = asked ?? process.env.TRIPLINE_SQLITE_WRITER ?? 'auto';
  if (!WRITER_MODES.includes(mode)) {
    throw new Error(
      `SQLite writer mode ${JSON.stringify(mode)} (TRIPLINE_SQLITE_WRITER): expected thread, inline or auto`,
    );
  }
  return mode as SqliteWriterMode;
}

export class SqliteStore extends KyselyStore {
  readonly dialect = 'sqlite' as const;
  readonly location: string;
  protected readonly db: Kysely<Database>;
  readonly #sqlite: BetterSqlite3.Database;
  /** Absent for an in-memory database, which another connection cannot see. */
  #writerThread: SqliteWriterThread | undefined;
  #insertBatch!: (rows: readonly EventRow[], receivedAt: string) => InsertOutcome[];
  #upsertDirectory!: (records: readonly DirectoryRecord[], now: string) => DirectoryImportResult;
  #findStored!: BetterSqlite3.Statement<[string, string]>;
  #firstDay!: BetterSqlite3.Statement<[]>;
  #lastDay!: BetterSqlite3.Statement<[]>;
  #accountDays!: BetterSqlite3.Statement<unknown[]>;

  private constructor(path: string) {
    super();
    this.location = path === ':memory:' ? ':memory:' : resolve(path);
    if (path !== ':memory:') mkdirSync(dirname(this.location), { recursive: true });
    this.#sqlite = new BetterSqlite3(path);
    // Takes effect only on a new database, and must come before WAL is on.
    // Larger pages: fewer page writes per transaction for the interleaved
    // per-account index (measured +20% insert rate over 4 KiB).
    this.#sqlite.pragma('page_size = 16384');
    for (const p of PRAGMAS) this.#sqlite.pragma(p);
    this.db = new Kysely<Database>({ dialect: new SqliteDialect({ database: this.#sqlite }) });
  }

  /** Opens (creating if needed) the database file and applies migrations. */
  static async open(path: string, options: SqliteOpenOptions = {}): Promise<SqliteStore> {
    const mode = sqliteWriterMode(options.writer);
    const store = new SqliteStore(path);
    try {
      await store.migrate();
    } catch (error) {
      await store.close();
      throw error;
    }
    store.#prepare();
    const thread =
      mode === 'thread' ||
      (mode === 'auto' && availableParallelism() >= (options.threadFromCores ?? 2));
    if (path !== ':memory:' && thread)
      store.#writerThread = new SqliteWriterThread(store.location, PRAGMAS);
    return store;
  }

  #prepare(): void {
    const sqlite = this.#sqlite;
    const insert = sqlite.prepare(
      `INSERT INTO events (tenant, id, time_ms, type, outcome, account_id, source_ip, decision, score, reasons, event, raw, received_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO NOTHING`,
    );
    this.#insertBatch = sqlite.transaction((rows: readonly EventRow[], receivedAt: string) => {
      const outcomes: InsertOutcome[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!;
        const info = insert.run(...eventColumns(row), row.eventJson, row.raw, receivedAt);
        outcomes[i] = info.changes === 1 ? 'accepted' : 'duplicate';
      }
      return outcomes;
    });

    // Asked for every batch before it is scored: one prepared statement, the
    // ids passed as one JSON array (Kysely would build and prepare a new
    // statement per call and per length). CROSS JOIN keeps the ids as the
    // outer loop, each one a lookup in the (tenant, id) index.
    this.#findStored = sqlite.prepare(
      `SELECT e.id, e.decision, e.score, e.reasons FROM json_each(?) AS j
       CROSS JOIN events AS e ON e.tenant = ? AND e.id = j.value`,
    );

    // The per-account index leads with the day (migration 0005): an account's
    // events are read a run of days at a time, newest first, each day one
    // lookup of (day, account).
    this.#firstDay = sqlite.prepare('SELECT min(time_ms / 86400000) AS day FROM events');
    this.#lastDay = sqlite.prepare('SELECT max(time_ms / 86400000) AS day FROM events');
    this.#accountDays = sqlite.prepare(
      // INDEXED BY: without statistics the planner may prefer the (tenant, id)
      // index, which reads every event of the tenant; with it, a missing index
      // is an error rather than a slow scan.
      `SELECT seq, id, event, raw, received_at, decision, score, reasons
       FROM events INDEXED BY events_day_account
       WHERE time_ms / 86400000 IN (${Array(DAYS_PER_LOOKUP).fill('?').join(', ')})
         AND account_id = ? AND tenant = ?
       ORDER BY time_ms DESC, seq DESC LIMIT ?`,
    );

    const exists = sqlite.prepare('SELECT 1 FROM directory WHERE tenant = ? AND account_id = ?');
    const upsert = sqlite.prepare(
      `INSERT INTO directory (tenant, account_id, email, tags, record, updated_at)
       VALUES (@tenant, @account_id, @email, @tags, @record, @updated_at)
       ON CONFLICT (tenant, account_id) DO UPDATE SET
         email = excluded.email, tags = excluded.tags, record = excluded.record,
         updated_at = excluded.updated_at`,
    );
    this.#upsertDirectory = sqlite.transaction(
      (records: readonly DirectoryRecord[], now: string) => {
        let created = 0;
        let updated = 0;
        for (const record of records) {
          if (exists.get(record.tenant, record.account.id)) updated++;
          else created++;
          upsert.run(toDirectoryRow(record, now));
        }
        return { created, updated };
      },
    );
  }

  /** Whether event batches go to a writer thread (false: written on the calling thread). */
  get writerThread(): boolean {
    return this.#writerThread !== undefined;
  }

  /** The writer thread applies batches in order, merging those that queue up. */
  override get pipelineDepth(): number {
    return this.#writerThread ? 4 : 1;
  }

  override get writesInline(): boolean {
    return this.#writerThread === undefined;
  }

  async insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    if (rows.length === 0) return [];
    if (this.#writerThread) return this.#writerThread.insert(rows);
    return this.#insertBatch(rows, new Date().toISOString());
  }

  protected override async storedDecisionRows(
    tenant: string,
    ids: readonly string[],
  ): Promise<DecisionRow[]> {
    return this.#findStored.all(JSON.stringify(ids), tenant) as DecisionRow[];
  }

  override async listAccountEvents(
    tenant: string,
    accountId: string,
    limit: number,
  ): Promise<StoredEvent[]> {
    const first = (this.#firstDay.get() as { day: number | null }).day;
    const last = (this.#lastDay.get() as { day: number | null }).day;
    const out: StoredEvent[] = [];
    if (first === null || last === null || limit <= 0) return out;
    const days: (number | null)[] = new Array(DAYS_PER_LOOKUP);
    for (let top = last; top >= first && out.length < limit; top -= DAYS_PER_LOOKUP) {
      // Days below the first are passed as NULL, which matches nothing.
      for (let i = 0; i < DAYS_PER_LOOKUP; i++) days[i] = top - i >= first ? top - i : null;
      const rows = this.#accountDays.all(...days, accountId, tenant, limit - out.length);
      for (const row of rows as EventSelect[]) out.push(toStoredEvent(row));
    }
    return out;
  }

  async upsertDirectory(records: readonly DirectoryRecord[]): Promise<DirectoryImportResult> {
    if (records.length === 0) return { created: 0, updated: 0 };
    return this.#upsertDirectory(records, new Date().toISOString());
  }

  async close(): Promise<void> {
    await this.#writerThread?.close();
    // Kysely's destroy closes the better-sqlite3 handle it was given.
    await this.db.destroy();
  }
}
