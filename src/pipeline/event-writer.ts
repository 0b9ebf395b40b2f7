/**
 * The writer: one per partition, group commit (DESIGN.md, "Runtime model").
 *
 * Every source submits through it. It takes what has queued, scores it in
 * event-time order (the score and decide stages), commits events and their
 * decisions in one transaction, then settles every submission in that batch.
 * A batch closes after `maxDelayMs` or at `maxBatch` events, so a lone request
 * is answered in milliseconds while a flood is committed in large
 * transactions. A promise resolves only after its events are committed: that
 * is what lets a 2xx mean "on disk".
 *
 * An event already stored (or already in a batch on its way) is not scored
 * again: it gets the decision it got the first time, so re-ingesting a file
 * teaches the profiles nothing twice.
 *
 * @example
 * const writer = new EventWriter(store, metrics, { decide: (e, t) => engine.process(e, t) });
 * const results = await writer.submit(rows, 'http'); // [{ status: 'accepted', decision: {…} }]
 */
import type { Decision } from '../domain/decision.js';
import type { EventRow } from '../domain/event-row.js';
import type { NativeEvent } from '../domain/event.js';
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
  /** The score and decide stages; without it events are stored undecided. */
  readonly decide?: (event: NativeEvent, timeMs: number) => Decision;
}

export interface WriteResult {
  readonly status: InsertOutcome;
  /** Absent only when the writer has no `decide` stage, or for an event stored before there was one. */
  readonly decision?: Decision;
}

interface Pending {
  /** Dropped once handed to the store, so a batch's events need not outlive its hand-over. */
  rows: readonly EventRow[] | undefined;
  readonly count: number;
  readonly source: string;
  readonly resolve: (results: WriteResult[]) => void;
  readonly reject: (error: unknown) => void;
}

export class EventWriter {
  readonly #store: Store;
  readonly #metrics: PipelineMetrics;
  readonly #maxBatch: number;
  readonly #maxDelayMs: number;
  readonly #maxQueued: number;
  readonly #maxInFlight: number;
  readonly #decide: WriterOptions['decide'];
  #queue: Pending[] = [];
  #queued = 0;
  #timer: NodeJS.Timeout | undefined;
  #inFlight = 0;
  readonly #idle: (() => void)[] = [];
  #closed = false;
  /** Scoring runs batch after batch, in order, even while commits overlap. */
  #scoring: Promise<unknown> = Promise.resolve();
  /** The previous hand-over to a store that commits one batch at a time. */
  #storing: Promise<unknown> = Promise.resolve();
  /** Decisions of events scored but not yet committed, by tenant and id. */
  readonly #uncommitted = new Map<string, Decision | undefined>();

  constructor(store: Store, metrics: PipelineMetrics, options: WriterOptions = {}) {
    this.#store = store;
    this.#metrics = metrics;
    this.#maxBatch = options.maxBatch ?? 5000;
    this.#maxDelayMs = options.maxDelayMs ?? 2;
    this.#maxQueued = options.maxQueued ?? 200_000;
    // With a decide stage, a store that commits one batch at a time still lets
    // the next batch be scored while this one commits: two in flight, with
    // hand-overs serialised below.
    this.#maxInFlight = Math.max(options.decide ? 2 : 1, store.pipelineDepth);
    this.#decide = options.decide;
  }

  /** Events waiting to be committed. */
  get queued(): number {
    return this.#queued;
  }

  submit(rows: readonly EventRow[], source: string): Promise<WriteResult[]> {
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
   * Starts commits while the store takes more. Batches are taken and scored
   * in submission order; a store that applies batches in order (the SQLite
   * writer thread) may have several committing at once, and merges them into
   * fewer transactions.
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

  /**
   * Scores a batch in event-time order. Events already stored, already in an
   * uncommitted batch, or repeated in this one keep the first decision.
   */
  async #score(rows: readonly EventRow[]): Promise<{ rows: EventRow[]; keys: string[] }> {
    const decide = this.#decide!;
    // Decisions of batches handed over but not committed, taken before the
    // store is asked: one may commit (and leave this map) while we wait.
    const pending = new Map<string, Decision | undefined>();
    const byTenant = new Map<string, string[]>();
    for (const r of rows) {
      const key = `${r.event.tenant}\u0000${r.event.id}`;
      if (this.#uncommitted.has(key)) pending.set(key, this.#uncommitted.get(key));
      const list = byTenant.get(r.event.tenant);
      if (list) list.push(r.event.id);
      else byTenant.set(r.event.tenant, [r.event.id]);
    }
    const stored = new Map<string, Decision | undefined>(pending);
    for (const [tenant, ids] of byTenant) {
      for (const [id, d] of await this.#store.findStored(tenant, ids))
        stored.set(`${tenant}\u0000${id}`, d);
    }
    const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.timeMs - rows[b]!.timeMs || a - b);
    const out: EventRow[] = new Array(rows.length);
    const keys: string[] = [];
    for (const i of order) {
      const row = rows[i]!;
      const key = `${row.event.tenant}\u0000${row.event.id}`;
      let decision: Decision | undefined;
      if (stored.has(key)) decision = stored.get(key);
      else {
        decision = decide(row.event, row.timeMs);
        this.#uncommitted.set(key, decision);
        stored.set(key, decision); // a repeat later in this batch keeps it
        keys.push(key);
      }
      out[i] = decision ? { ...row, decision } : row;
    }
    return { rows: out, keys };
  }

  /**
   * Hands rows to the store. A store that takes one batch at a time gets the
   * next only once the previous one has committed, so commits stay in order.
   */
  #insert(rows: readonly EventRow[]): Promise<InsertOutcome[]> {
    if (this.#store.pipelineDepth > 1) return this.#store.insertEvents(rows);
    const commit = this.#storing.then(() => this.#store.insertEvents(rows));
    this.#storing = commit.then(
      () => undefined,
      () => undefined,
    );
    return commit;
  }

  async #commit(batch: Pending[]): Promise<void> {
    let rows: readonly EventRow[] | undefined =
      batch.length === 1 ? batch[0]!.rows! : batch.flatMap((p) => p.rows!);
    const size = rows.length;
    for (const p of batch) p.rows = undefined;
    const started = performance.now();
    let outcomes: InsertOutcome[];
    let decisions: (Decision | undefined)[] = [];
    let scoredKeys: string[] = [];
    try {
      let committed: Promise<InsertOutcome[]>;
      if (this.#decide) {
        const input = rows;
        // Scoring is chained batch after batch; the next batch may score as soon
        // as this one is handed to the store (wrapped, so waiting for the
        // hand-over does not wait for the commit).
        const handedOver = this.#scoring
          .then(() => this.#score(input))
          .then((s) => {
            scoredKeys = s.keys;
            decisions = s.rows.map((r) => r.decision);
            return { commit: this.#insert(s.rows) };
          });
        this.#scoring = handedOver.then(
          () => undefined,
          () => undefined,
        );
        committed = handedOver.then((h) => h.commit);
      } else {
        committed = this.#insert(rows);
      }
      // Events live on only where the store needs them (the SQLite writer thread
      // has its own copy): short-lived objects are cheap to collect, promoted ones are not.
      rows = undefined;
      outcomes = await committed;
    } catch (error) {
      // The transaction rolled back: nothing of this batch is stored, and every submitter is told.
      for (const k of scoredKeys) this.#uncommitted.delete(k);
      for (const p of batch) p.reject(error);
      return;
    }
    for (const k of scoredKeys) this.#uncommitted.delete(k);
    const seconds = (performance.now() - started) / 1000;
    this.#metrics.batches.inc();
    this.#metrics.batchSeconds.observe(seconds);
    this.#metrics.batchSize.observe(size);
    let offset = 0;
    for (const p of batch) {
      const results: WriteResult[] = new Array(p.count);
      let accepted = 0;
      for (let i = 0; i < p.count; i++) {
        const status = outcomes[offset + i]!;
        const decision = decisions[offset + i];
        if (status === 'accepted') accepted++;
        results[i] = decision ? { status, decision } : { status };
        if (decision) this.#metrics.decisions.inc({ decision: decision.decision });
      }
      offset += p.count;
      if (accepted > 0)
        this.#metrics.events.inc({ source: p.source, result: 'accepted' }, accepted);
      if (p.count > accepted) {
        this.#metrics.events.inc({ source: p.source, result: 'duplicate' }, p.count - accepted);
      }
      p.resolve(results);
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
