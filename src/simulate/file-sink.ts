/**
 * A buffered text file writer that respects backpressure, so writing millions
 * of lines neither holds them all in memory nor outruns the disk.
 *
 * Text is UTF-8-encoded straight into a reusable chunk buffer (no intermediate
 * joined string); a full chunk is handed to the stream, and `write` returns a
 * promise only when the stream asks us to wait (`const p = sink.write(line);
 * if (p) await p;`), which keeps the hot loop free of a microtask per line.
 *
 * @example
 * const sink = new FileSink('/tmp/out/events.ndjson');
 * for (const line of lines) { const p = sink.write(line); if (p) await p; }
 * await sink.close();
 */
import { once } from 'node:events';
import { type WriteStream, createWriteStream } from 'node:fs';

const CHUNK = 1 << 20;

/** Buffered, backpressure-aware writer of one text file. */
export class FileSink {
  readonly #stream: WriteStream;
  #chunk = Buffer.allocUnsafe(CHUNK);
  #used = 0;
  #error: Error | null = null;

  constructor(path: string) {
    this.#stream = createWriteStream(path);
    this.#stream.on('error', (err) => {
      this.#error = err;
    });
  }

  /** Append text; returns a promise when the caller must wait for the disk. */
  write(text: string): Promise<void> | undefined {
    // Worst case UTF-8 is 3 bytes per UTF-16 unit; hand over the chunk before it could overflow.
    if (this.#used + text.length * 3 > CHUNK) {
      const wait = this.#handOver();
      if (text.length * 3 > CHUNK) {
        this.#stream.write(text, 'utf8');
        return wait;
      }
      this.#used += this.#chunk.write(text, this.#used, 'utf8');
      return wait;
    }
    this.#used += this.#chunk.write(text, this.#used, 'utf8');
    return undefined;
  }

  /** Give the filled chunk to the stream and start a new one; a promise if the stream is full. */
  #handOver(): Promise<void> | undefined {
    if (this.#error) throw this.#error;
    if (this.#used === 0) return undefined;
    const full = this.#chunk.subarray(0, this.#used);
    this.#chunk = Buffer.allocUnsafe(CHUNK);
    this.#used = 0;
    return this.#stream.write(full) ? undefined : once(this.#stream, 'drain').then(() => undefined);
  }

  /** Flush what is buffered and close the file. */
  async close(): Promise<void> {
    const wait = this.#handOver();
    if (wait) await wait;
    await new Promise<void>((resolve, reject) => {
      this.#stream.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    if (this.#error) throw this.#error;
  }
}
