/**
 * The writer: one per partition, group commit (DESIGN.md, "Runtime model").
 *
 * Every source submits through it. It takes what has queued, scores it in
 * event-time order (the score and decide stages), commits events and their
 * decisions in one transaction, then settles every submission in that batch.
 * A batch closes at the end of the event-loop turn its first submission
 * arrived in (or after `maxDelayMs`, when set), or at `maxBatch` events, so a
 * lone request is committed at once; while commits are in flight, what
 * arrives queues and goes in the next batch, so a flood is committed in large
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
  /** How long a batch stays open for more submissions; 0 (default): until the end of the event-loop turn. */
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

/** Decisions by tenant, then event id; null: stored without one. */
type Known = Map<string, Map<string, Decision | null>>;

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
  /** Cancels the pending start of a batch. */
  #timer: (() => void) | undefined;
  #inFlight = 0;
  readonly #idle: (() => void)[] = [];
  /** Waiting for the batches in flight to commit (quiesce). */
  readonly #drained: (() => void)[] = [];
  /** Quiesce calls under way: no new batch starts while above 0. */
  #paused = 0;
  #closed = false;
  /** Scoring runs batch after batch, in order, even while commits overlap. */
  #scoring: Promise<unknown> = Promise.resolve();
  /** The previous hand-over to a store that commits one batch at a time. */
  #storing: Promise<unknown> = Promise.resolve();
  /** Decisions of batches scored but not yet committed, by tenant and id. */
  readonly #uncommitted = new Set<Known>();

  constructor(store: Store, metrics: PipelineMetrics, options: WriterOptions = {}) {
    this.#store = store;
    this.#metrics = metrics;
    this.#maxBatch = options.maxBatch ?? 5000;
    this.#maxDelayMs = options.maxDelayMs ?? 0;
    this.#maxQueued = options.maxQueued ?? 200_000;
    // With a decide stage, a store that commits one batch at a time still lets
    // the next batch be scored while this one commits: two in flight, with
    // hand-overs serialised below.
    this.#maxInFlight = Math.max(options.decide ? 2 : 1, store.pipelineDepth);
    this.#decide = options.decide;
  }

  /** Events this writer has stored (not counting duplicates), since it was made. */
  accepted = 0;

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
      this.#timer?.();
      this.#timer = undefined;
      this.#pump();
    } else if (!this.#timer) {
      const fire = () => {
        this.#timer = undefined;
        this.#pump();
      };
      if (this.#maxDelayMs > 0) {
        const t = setTimeout(fire, this.#maxDelayMs);
        this.#timer = () => clearTimeout(t);
      } else {
        const t = setImmediate(fire);
        this.#timer = () => clearImmediate(t);
      }
    }
  }

  /**
   * Starts commits while the store takes more. Batches are taken and scored
   * in submission order; a store that applies batches in order (the SQLite
   * writer thread) may have several committing at once, and merges them into
   * fewer transactions.
   */
  #pump(): void {
    while (this.#paused === 0 && this.#queue.length > 0 && this.#inFlight < this.#maxInFlight) {
      const batch = this.#take();
      this.#inFlight++;
      void this.#commit(batch).finally(() => {
        this.#inFlight--;
        if (this.#inFlight === 0) for (const resolve of this.#drained.splice(0)) resolve();
        this.#pump();
        if (this.#inFlight === 0 && this.#queue.length === 0) {
          for (const resolve of this.#idle.splice(0)) resolve();
        }
      });
    }
  }

  /**
   * Runs `fn` at a moment when every batch taken so far is committed and no
   * other is being scored: the score stages' state then matches the store
   * exactly (a snapshot). Submissions queue meanwhile and go on after.
   */
  async quiesce<T>(fn: () => Promise<T>): Promise<T> {
    this.#paused++;
    try {
      if (this.#inFlight > 0) await new Promise<void>((r) => this.#drained.push(r));
      return await fn();
    } finally {
      this.#paused--;
      if (this.#paused === 0) this.#schedule();
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
   * Returns the batch's decisions by tenant and id, which stand for it in
   * {@link #uncommitted} until it commits.
   */
  async #score(rows: readonly EventRow[]): Promise<Known> {
    const decide = this.#decide!;
    // Batches handed over but not committed, taken before the store is
    // asked: one may commit (and leave the set) while we wait.
    const earlier = this.#uncommitted.size > 0 ? [...this.#uncommitted] : [];
    const byTenant = new Map<string, string[]>();
    for (const r of rows) {
      const list = byTenant.get(r.event.tenant);
      if (list) list.push(r.event.id);
      else byTenant.set(r.event.tenant, [r.event.id]);
    }
    const known: Known = new Map();
    for (const [tenant, ids] of byTenant) {
      const decided = new Map<string, Decision | null>();
      for (const [id, d] of await this.#store.findStored(tenant, ids)) decided.set(id, d ?? null);
      known.set(tenant, decided);
    }
    for (const i of inTimeOrder(rows)) {
      const row = rows[i]!;
      const decided = known.get(row.event.tenant)!;
      let decision = decided.get(row.event.id);
      for (let b = 0; decision === undefined && b < earlier.length; b++)
        decision = earlier[b]!.get(row.event.tenant)?.get(row.event.id);
      if (decision === undefined) {
        decision = decide(row.event, row.timeMs);
        decided.set(row.event.id, decision); // a repeat later in this batch keeps it
      }
      // The row is this batch's own (parsed for this submission): decided in place.
      if (decision) (row as { decision?: Decision }).decision = decision;
    }
    this.#uncommitted.add(known);
    return known;
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
    let scored: Known | undefined;
    try {
      let committed: Promise<InsertOutcome[]>;
      if (this.#decide) {
        const input = rows;
        // Scoring is chained batch after batch; the next batch may score as soon
        // as this one is handed to the store (wrapped, so waiting for the
        // hand-over does not wait for the commit).
        const handedOver = this.#scoring
          .then(() => this.#score(input))
          .then((known) => {
            scored = known;
            decisions = input.map((r) => r.decision);
            return { commit: this.#insert(input) };
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
      if (scored) this.#uncommitted.delete(scored);
      for (const p of batch) p.reject(error);
      return;
    }
    if (scored) this.#uncommitted.delete(scored);
    const seconds = (performance.now() - started) / 1000;
    this.#metrics.batches.inc();
    this.#metrics.batchSeconds.observe(seconds);
    this.#metrics.batchSize.observe(size);
    let offset = 0;
    let allow = 0;
    let challenge = 0;
    let deny = 0;
    for (const p of batch) {
      const results: WriteResult[] = new Array(p.count);
      let accepted = 0;
      for (let i = 0; i < p.count; i++) {
        const status = outcomes[offset + i]!;
        const decision = decisions[offset + i];
        if (status === 'accepted') accepted++;
        results[i] = decision ? { status, decision } : { status };
        if (decision) {
          const d = decision.decision;
          if (d === 'allow') allow++;
          else if (d === 'challenge') challenge++;
          else deny++;
        }
      }
      offset += p.count;
      this.accepted += accepted;
      if (accepted > 0)
        this.#metrics.events.inc({ source: p.source, result: 'accepted' }, accepted);
      if (p.count > accepted) {
        this.#metrics.events.inc({ source: p.source, result: 'duplicate' }, p.count - accepted);
      }
      p.resolve(results);
    }
    if (allow > 0) this.#metrics.decisions.inc({ decision: 'allow' }, allow);
    if (challenge > 0) this.#metrics.decisions.inc({ decision: 'challenge' }, challenge);
    if (deny > 0) this.#metrics.decisions.inc({ decision: 'deny' }, deny);
  }

  /** Commits everything queued, then refuses new submissions. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#timer?.();
    this.#timer = undefined;
    if (this.#inFlight === 0 && this.#queue.length === 0) return;
    const idle = new Promise<void>((resolve) => this.#idle.push(resolve));
    this.#pump();
    await idle;
  }
}

/**
 * Indexes of rows by event time, ties in arrival order. Batches are mostly in
 * order already (files are written in time order): one pass checks that and
 * skips the sort.
 */
function inTimeOrder(rows: readonly EventRow[]): number[] {
  const order = new Array<number>(rows.length);
  let sorted = true;
  for (let i = 0; i < rows.length; i++) {
    order[i] = i;
    if (i > 0 && rows[i]!.timeMs < rows[i - 1]!.timeMs) sorted = false;
  }
  return sorted ? order : order.sort((a, b) => rows[a]!.timeMs - rows[b]!.timeMs || a - b);
}
