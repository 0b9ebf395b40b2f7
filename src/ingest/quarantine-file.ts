/**
 * Where rejected lines go, so nothing is silently dropped: one JSON object per
 * rejected line with its source, line number, reason and the original text.
 * The file is created on the first rejection only, and appended to.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { Problem } from '../domain/validation.js';

export interface QuarantineEntry {
  readonly source: string;
  readonly line: number;
  /** Where in the file, when a line number alone does not say it (`record 7 (line 40)`). */
  readonly position?: string;
  readonly error: string;
  readonly problems?: readonly Problem[];
  readonly record: string;
}

export class QuarantineFile {
  readonly path: string;
  #stream: WriteStream | undefined;
  #count = 0;

  constructor(path: string) {
    this.path = path;
  }

  get count(): number {
    return this.#count;
  }

  async write(entry: QuarantineEntry): Promise<void> {
    if (!this.#stream) {
      mkdirSync(dirname(this.path), { recursive: true });
      this.#stream = createWriteStream(this.path, { flags: 'a' });
    }
    this.#count++;
    const line = JSON.stringify({ at: new Date().toISOString(), ...entry }) + '\n';
    if (!this.#stream.write(line)) {
      await new Promise<void>((resolve) => this.#stream!.once('drain', () => resolve()));
    }
  }

  async close(): Promise<void> {
    const stream = this.#stream;
    if (!stream) return;
    this.#stream = undefined;
    await new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(resolve);
    });
  }
}
