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
import { eventColumns } from '../rows.js';

/*
 * A batch travels as one string, three lines per event: a JSON array of the
 * small columns (keys and decision), the event JSON, and the raw record ('' for none). Neither of
 * the last two can hold a raw newline (each is one NDJSON line or the output of
 * JSON.stringify), so they cross without being escaped or parsed again.
 *
 * The thread commits whatever batches have arrived in one transaction (group
 * commit): fewer, larger transactions write each touched index page once.
 */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData, receiveMessageOnPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
for (const p of workerData.pragmas) db.pragma(p);
const insert = db.prepare(
  'INSERT INTO events (tenant, id, time_ms, type, outcome, account_id, source_ip, decision, score, reasons, event, raw, received_at) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, id) DO NOTHING');
const insertAll = db.transaction((messages) => {
  return messages.map((m) => {
    const lines = m.payload.split('\n');
    const accepted = new Uint8Array(lines.length / 3);
    for (let i = 0, r = 0; i < lines.length; i += 3, r++) {
      const c = JSON.parse(lines[i]);
      const raw = lines[i + 2];
      accepted[r] = insert.run(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], lines[i + 1], raw === '' ? null : raw, m.receivedAt).changes;
    }
    return accepted;
  });
});
const MAX_EVENTS = workerData.maxEvents;
parentPort.on('message', (first) => {
  const messages = [first];
  let events = first.count || 0;
  while (!messages[messages.length - 1].close && events < MAX_EVENTS) {
    const next = receiveMessageOnPort(parentPort);
    if (!next) break;
    messages.push(next.message);
    events += next.message.count || 0;
  }
  const closing = messages[messages.length - 1].close ? messages.pop() : undefined;
  if (messages.length > 0) {
    try {
      const results = insertAll(messages);
      messages.forEach((m, i) => parentPort.postMessage({ seq: m.seq, accepted: results[i] }, [results[i].buffer]));
    } catch (error) {
      const message = String((error && error.message) || error);
      for (const m of messages) parentPort.postMessage({ seq: m.seq, error: message });
    }
  }
  if (closing) { db.close(); parentPort.postMessage({ closed: true }); }
});
`;

/** Batches arriving together are committed together, up to this many events. */
const MAX_EVENTS_PER_TRANSACTION = 50_000;

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
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, pragmas, driver, maxEvents: MAX_EVENTS_PER_TRANSACTION },
    });
    this.#worker.unref();
    this.#worker.on('message', (reply: Reply) => this.#settle(reply));
    this.#worker.on('error', (error) => this.#fail(error));
    this.#worker.on('exit', (code) =>
      this.#fail(new Error(`SQLite writer thread exited (code ${code})`)),
    );
  }

  insert(rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    if (this.#failed) return Promise.reject(this.#failed);
    const parts: string[] = new Array(rows.length * 3);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      parts[i * 3] = JSON.stringify(eventColumns(row));
      parts[i * 3 + 1] = row.eventJson;
      parts[i * 3 + 2] = row.raw ?? '';
    }
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref(); // a pending write keeps the process alive
      this.#pending.set(seq, { resolve, reject });
      this.#worker.postMessage({
        seq,
        count: rows.length,
        payload: parts.join('\n'),
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
