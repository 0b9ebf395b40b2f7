/**
 * A progress bar on stderr, drawn only when stderr is a terminal and at most
 * ten times a second, so piping or CI logs stay clean.
 */
import type { CliIo } from './command.js';

export class ProgressBar {
  readonly #out: CliIo['stderr'];
  readonly #enabled: boolean;
  #last = 0;
  #drawn = false;

  constructor(io: CliIo, enabled = Boolean(io.stderr.isTTY)) {
    this.#out = io.stderr;
    this.#enabled = enabled;
  }

  update(fraction: number | undefined, text: string, force = false): void {
    if (!this.#enabled) return;
    const now = Date.now();
    if (!force && now - this.#last < 100) return;
    this.#last = now;
    const columns = this.#out.columns ?? 80;
    let line = text;
    if (fraction !== undefined) {
      const width = Math.max(10, Math.min(24, columns - text.length - 9));
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
      line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% ${text}`;
    }
    this.#out.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
    this.#drawn = true;
  }

  done(): void {
    if (this.#drawn) this.#out.write('\r\x1b[2K');
    this.#drawn = false;
  }
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
