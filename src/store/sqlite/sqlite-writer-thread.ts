/**
 * Event batches are written to SQLite on a thread of their own.
 *
 * better-sqlite3 is synchronous: on the main thread, a 10,000-event commit
 * would stop parsing, scoring and HTTP for its whole duration. Here the main
 * thread hands the batch over (one JSON string: V8 serialises it natively) and
 * goes on with the next one while this thread inserts and commits; the promise
 * resolves after the commit, so acknowledgements still mean "on disk".
 *
 * The thread has its own connection to the same WAL database; SQLite
 * serialises writers, and `busy_timeout` covers the rare write from the main
 * connection (keys, directory).
 *
 * The thread's code is plain JavaScript passed as a string (`eval`), so it
 * runs the same from the TypeScript sources and from the build.
 *
 * @example
 * const writer = new SqliteWriterThread('/data/tripline.db', PRAGMAS);
 * const outcomes = await writer.insert(rows); // ['accepted', 'duplicate', …]
 * await writer.close();
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { EventRow } from '../../domain/event-row.js';
import type { InsertOutcome } from '../port.js';

const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
for (const p of workerData.pragmas) db.pragma(p);
const insert = db.prepare(
  'INSERT INTO events (tenant, id, time_ms, type, outcome, account_id, source_ip, event, raw, received_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO NOTHING');
const insertAll = db.transaction((tuples, receivedAt) => {
  const accepted = new Uint8Array(tuples.length);
  for (let i = 0; i < tuples.length; i++) {
    const t = tuples[i];
    accepted[i] = insert.run(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], receivedAt).changes;
  }
  return accepted;
});
parentPort.on('message', (m) => {
  if (m.close) { db.close(); parentPort.postMessage({ closed: true }); return; }
  try {
    const accepted = insertAll(JSON.parse(m.payload), m.receivedAt);
    parentPort.postMessage({ seq: m.seq, accepted }, [accepted.buffer]);
  } catch (error) {
    parentPort.postMessage({ seq: m.seq, error: String(error && error.message || error) });
  }
});
`;

interface Reply {
  readonly seq?: number;
  readonly accepted?: Uint8Array;
  readonly error?: string;
  readonly closed?: true;
}

export class SqliteWriterThread {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (o: InsertOutcome[]) => void; reject: (e: Error) => void }
  >();
  #seq = 0;
  #failed: Error | undefined;
  #closing: Promise<void> | undefined;

  constructor(path: string, pragmas: readonly string[]) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, pragmas, driver } });
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) =>
      this.#fail(new Error(`SQLite writer thread exited (code ${code})`)),
    );
  }

  insert(rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    const tuples = rows.map(({ event, timeMs, eventJson, raw }) => [
      event.tenant,
      event.id,
      timeMs,
      event.type,
      event.outcome,
      event.account.id,
      event.source?.ip ?? null,
      eventJson,
      raw,
    ]);
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref(); // a pending write keeps the process alive
      this.#pending.set(seq, { resolve, reject });
      this.#worker.postMessage({
        seq,
        payload: JSON.stringify(tuples),
        receivedAt: new Date().toISOString(),
      });
    });
  }

  #settle(reply: Reply): void {
    if (reply.seq === undefined) return;
    const waiter = this.#pending.get(reply.seq);
    if (!waiter) return;
    this.#pending.delete(reply.seq);
    if (this.#pending.size === 0) this.#worker.unref();
    if (reply.error !== undefined) {
      waiter.reject(new Error(`SQLite write failed: ${reply.error}`));
      return;
    }
    const accepted = reply.accepted!;
    const outcomes: InsertOutcome[] = new Array(accepted.length);
    for (let i = 0; i < accepted.length; i++)
      outcomes[i] = accepted[i] === 1 ? 'accepted' : 'duplicate';
    waiter.resolve(outcomes);
  }

  #fail(error: Error): void {
    if (this.#closing && !this.#failed && this.#pending.size === 0) return; // a normal exit on close
    this.#failed ??= error;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }

  /** Waits for pending writes, closes the thread's connection, ends the thread. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#failed) {
        await this.#worker.terminate();
        return;
      }
      this.#worker.ref();
      await new Promise<void>((resolve) => {
        const onMessage = (reply: Reply) => {
          if (reply.closed) {
            this.#worker.off('message', onMessage);
            resolve();
          }
        };
        this.#worker.on('message', onMessage);
        // Messages are handled in order: this arrives after every pending batch.
        this.#worker.postMessage({ close: true });
      });
      await this.#worker.terminate();
    })();
    return this.#closing;
  }
}
