/**
 * The writer: one per partition, group commit (DESIGN.md, "Runtime model").
 *
 * Every source submits through it. It takes what has queued, commits it in one
 * transaction, then settles every submission in that batch. A batch closes
 * after `maxDelayMs` or at `maxBatch` events, so a lone request is answered in
 * milliseconds while a flood is committed in large transactions. A promise
 * resolves only after its events are committed: that is what lets a 2xx mean
 * "on disk".
 *
 * Scoring (later stages) runs here too, in event-time order inside each batch.
 *
 * @example
 * const writer = new EventWriter(store, metrics);
 * const outcomes = await writer.submit(rows, 'http'); // ['accepted', 'duplicate']
 */
import type { EventRow } from '../domain/event-row.js';
import { TriplineError } from '../errors.js';
import type { PipelineMetrics } from '../observe/metrics.js';
import type { InsertOutcome, Store } from '../store/port.js';

export interface WriterOptions {
  /** Events per transaction at most (a larger single submission is committed alone). */
  readonly maxBatch?: number;
  /** How long a batch stays open for more submissions. */
  readonly maxDelayMs?: number;
  /** Queued events beyond which submissions are refused with OVERLOADED. */
  readonly maxQueued?: number;
}

interface Pending {
  /** Dropped once handed to the store, so a batch's events need not outlive its hand-over. */
  rows: readonly EventRow[] | undefined;
  readonly count: number;
  readonly source: string;
  readonly resolve: (outcomes: InsertOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

export class EventWriter {
  readonly #store: Store;
  readonly #metrics: PipelineMetrics;
  readonly #maxBatch: number;
  readonly #maxDelayMs: number;
  readonly #maxQueued: number;
  #queue: Pending[] = [];
  #queued = 0;
  readonly #maxInFlight: number;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  readonly #idle: (() => void)[] = [];
  #closed = false;

  constructor(store: Store, metrics: PipelineMetrics, options: WriterOptions = {}) {
    this.#store = store;
    this.#metrics = metrics;
    this.#maxBatch = options.maxBatch ?? 5000;
    this.#maxDelayMs = options.maxDelayMs ?? 2;
    this.#maxQueued = options.maxQueued ?? 200_000;
    this.#maxInFlight = Math.max(1, store.pipelineDepth);
  }

  /** Events waiting to be committed. */
  get queued(): number {
    return this.#queued;
  }

  submit(rows: readonly EventRow[], source: string): Promise<InsertOutcome[]> {
    if (this.#closed) return Promise.reject(new Error('writer is closed'));
    if (rows.length === 0) return Promise.resolve([]);
    if (this.#queued + rows.length > this.#maxQueued && this.#queued > 0) {
      return Promise.reject(new TriplineError('OVERLOADED'));
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ rows, count: rows.length, source, resolve, reject });
      this.#queued += rows.length;
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#inFlight >= this.#maxInFlight) return; // a finishing commit pumps the queue
    if (this.#queued >= this.#maxBatch) {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#pump();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#pump();
      }, this.#maxDelayMs);
    }
  }

  /**
   * Starts commits while the store takes more. Batches are taken, and (later)
   * scored, in submission order; a store that applies batches in order (the
   * SQLite writer thread) may have several committing at once, and merges
   * them into fewer transactions.
   */
  #pump(): void {
    while (this.#queue.length > 0 && this.#inFlight < this.#maxInFlight) {
      const batch = this.#take();
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        this.#pump();
        if (this.#inFlight === 0 && this.#queue.length === 0) {
          for (const resolve of this.#idle.splice(0)) resolve();
        }
      });
    }
  }

  #take(): Pending[] {
    const batch: Pending[] = [];
    let size = 0;
    while (this.#queue.length > 0) {
      const next = this.#queue[0]!;
      if (batch.length > 0 && size + next.count > this.#maxBatch) break;
      batch.push(this.#queue.shift()!);
      size += next.count;
    }
    this.#queued -= size;
    return batch;
  }

  async #commit(batch: Pending[]): Promise<void> {
    let rows: readonly EventRow[] | undefined =
      batch.length === 1 ? batch[0]!.rows! : batch.flatMap((p) => p.rows!);
    const size = rows.length;
    for (const p of batch) p.rows = undefined;
    const started = performance.now();
    let outcomes: InsertOutcome[];
    try {
      const committed = this.#store.insertEvents(rows);
      // Events live on only where the store needs them (the SQLite writer thread
      // has its own copy): short-lived objects are cheap to collect, promoted ones are not.
      rows = undefined;
      outcomes = await committed;
    } catch (error) {
      // The transaction rolled back: nothing of this batch is stored, and every submitter is told.
      for (const p of batch) p.reject(error);
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    this.#metrics.batches.inc();
    this.#metrics.batchSeconds.observe(seconds);
    this.#metrics.batchSize.observe(size);
    let offset = 0;
    for (const p of batch) {
      const mine = outcomes.slice(offset, offset + p.count);
      offset += p.count;
      let accepted = 0;
      for (const o of mine) if (o === 'accepted') accepted++;
      if (accepted > 0)
        this.#metrics.events.inc({ source: p.source, result: 'accepted' }, accepted);
      if (mine.length > accepted) {
        this.#metrics.events.inc({ source: p.source, result: 'duplicate' }, mine.length - accepted);
      }
      p.resolve(mine);
    }
  }

  /** Commits everything queued, then refuses new submissions. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#inFlight === 0 && this.#queue.length === 0) return;
    const idle = new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#pump();
    await idle;
  }
}
