/**
 * Streams the lines of an NDJSON file (plain or gzip, detected by its magic
 * bytes; `-` is standard input) in constant memory, with byte progress.
 *
 * @example
 * for await (const line of readNdjson('events.ndjson.gz')) console.log(line.number, line.text);
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';

export interface NdjsonLine {
  /** 1-based line number in the (decompressed) file. */
  readonly number: number;
  readonly text: string;
  /** Set when the line was longer than the limit; `text` is then its first bytes only. */
  readonly tooLong?: true;
}

export interface NdjsonSource {
  /** What was asked for: a path, or `-`. */
  readonly name: string;
  /** File size in bytes, when known (not for stdin). */
  readonly size: number | undefined;
  /** Bytes read so far from the file (compressed bytes for gzip). */
  bytesRead(): number;
  lines(): AsyncGenerator<NdjsonLine>;
  /** The same lines, a decoded chunk's worth at a time (cheaper per line). */
  lineGroups(): AsyncGenerator<NdjsonLine[]>;
  /** The decoded text, chunk by chunk (instead of `lines`: either consumes the input). */
  text(): AsyncGenerator<string>;
}

export const MAX_LINE_BYTES = 1024 * 1024;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

export async function openNdjson(
  name: string,
  options: { stdin?: Readable; maxLineBytes?: number } = {},
): Promise<NdjsonSource> {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  let size: number | undefined;
  let input: Readable;
  if (name === '-') {
    input = options.stdin ?? process.stdin;
  } else {
    const info = await stat(name).catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        error.code === 'ENOENT' ? `${name}: no such file` : `${name}: ${error.message}`,
      );
    });
    if (info.isDirectory()) throw new Error(`${name}: is a directory`);
    size = info.size;
    input = createReadStream(name, { highWaterMark: 1024 * 1024 });
  }
  let bytes = 0;
  input.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });

  /**
   * The lines of each decoded chunk together: one await per chunk (about a
   * thousand lines of a 1 MiB read) instead of one per line.
   */
  async function* lineGroups(): AsyncGenerator<NdjsonLine[]> {
    const chunks = await decompressed(input);
    if (!chunks) return;
    const decoder = new StringDecoder('utf8');
    let carry = '';
    let skipping = false; // inside an over-long line, waiting for its end
    let lineNumber = 0;
    // A line of at most this many UTF-16 units cannot exceed maxLine bytes (3 bytes a unit at most).
    const surelyShort = Math.floor(maxLine / 3);
    for await (const chunk of chunks) {
      const text = decoder.write(chunk);
      const group: NdjsonLine[] = [];
      let start = 0;
      let nl = text.indexOf('\n', start);
      while (nl !== -1) {
        lineNumber++;
        if (skipping) {
          skipping = false;
        } else {
          const line = carry.length > 0 ? carry + text.slice(start, nl) : text.slice(start, nl);
          carry = '';
          if (line.length > surelyShort && Buffer.byteLength(line) > maxLine) {
            group.push({ number: lineNumber, text: line.slice(0, 200), tooLong: true });
          } else {
            group.push({ number: lineNumber, text: line });
          }
        }
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      if (!skipping) {
        carry += text.slice(start);
        if (carry.length > maxLine) {
          // Constant memory: report the line now and drop the rest of it.
          group.push({ number: lineNumber + 1, text: carry.slice(0, 200), tooLong: true });
          carry = '';
          skipping = true;
        }
      }
      if (group.length > 0) yield group;
    }
    const tail = carry + decoder.end();
    if (!skipping && tail.length > 0) yield [{ number: lineNumber + 1, text: tail }];
  }

  async function* lines(): AsyncGenerator<NdjsonLine> {
    for await (const group of lineGroups()) yield* group;
  }

  async function* text(): AsyncGenerator<string> {
    const chunks = await decompressed(input);
    if (!chunks) return;
    const decoder = new StringDecoder('utf8');
    for await (const chunk of chunks) yield decoder.write(chunk);
    const tail = decoder.end();
    if (tail) yield tail;
  }

  return { name, size, bytesRead: () => bytes, lines, lineGroups, text };
}

/**
 * The input's bytes, gunzipped when they start with gzip's magic bytes
 * (undefined for an empty input).
 */
export async function decompressed(input: Readable): Promise<AsyncIterable<Buffer> | undefined> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done) return undefined;
  const head: Buffer = first.value;
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1;
  const rest: AsyncIterable<Buffer> = {
    [Symbol.asyncIterator]: () => ({
      next: () => iterator.next(),
      return: async () => iterator.return?.() ?? { done: true, value: undefined },
    }),
  };
  if (!gzip)
    return (async function* () {
      yield head;
      yield* rest;
    })();
  const gunzip = createGunzip();
  void (async () => {
    try {
      if (!gunzip.write(head)) await new Promise((r) => gunzip.once('drain', r));
      for await (const chunk of rest) {
        if (!gunzip.write(chunk)) await new Promise((r) => gunzip.once('drain', r));
      }
      gunzip.end();
    } catch (error) {
      gunzip.destroy(error as Error);
    }
  })();
  return gunzip;
}
