/**
 * Batches on their way to a sink, a few at a time: the next batch is read
 * and parsed while earlier ones are stored (a sink on another thread, like
 * the SQLite writer, always has the next one ready). The sink settles in
 * order, so waiting for the oldest is enough to bound memory.
 *
 * @example
 * const pipe = new SinkPipe(sink, 4);
 * await pipe.send(batch); // waits only when 4 batches are in flight
 * await pipe.drain(); pipe.accepted; // every batch stored
 */
import type { SinkOutcome } from './ingest-ndjson.js';

export class SinkPipe<T> {
  readonly #sink: (batch: T[]) => Promise<readonly SinkOutcome[]>;
  readonly #depth: number;
  readonly #inFlight: Promise<void>[] = [];
  accepted = 0;
  duplicates = 0;

  constructor(sink: (batch: T[]) => Promise<readonly SinkOutcome[]>, depth: number) {
    this.#sink = sink;
    this.#depth = depth;
  }

  async send(batch: T[]): Promise<void> {
    if (this.#inFlight.length >= this.#depth) await this.#inFlight.shift();
    this.#inFlight.push(
      this.#sink(batch).then((outcomes) => {
        for (const o of outcomes) {
          if (o === 'duplicate') this.duplicates++;
          else this.accepted++;
        }
      }),
    );
  }

  /** Waits for every batch sent; the first failure is thrown. */
  async drain(): Promise<void> {
    while (this.#inFlight.length > 0) await this.#inFlight.shift();
  }

  /** Waits for every batch, failed or not (for cleanup after an error). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#inFlight);
  }
}
