/**
 * The file-ingest job: NDJSON lines → parse → validate → sink, in batches, with
 * bad lines reported (line number + reason) and quarantined while the rest
 * goes on. Memory stays constant: at most `inFlight + 1` batches are held at once.
 *
 * The sink is whatever stores a batch (the pipeline's writer for events, the
 * store for directory records); ingest knows nothing of storage.
 *
 * @example
 * const summary = await ingestNdjson({
 *   files: ['events.ndjson'], parse: parseEventLine, sink: (rows) => writer.submit(rows),
 *   quarantine: new QuarantineFile('tripline.quarantine.ndjson'),
 * });
 */
import type { Readable } from 'node:stream';
import type { Problem } from '../domain/validation.js';
import { formatProblems } from '../domain/validation.js';
import { openNdjson } from './ndjson-reader.js';
import { SinkPipe } from './sink-pipe.js';
import type { QuarantineFile } from './quarantine-file.js';

export type LineParse<T> =
  { ok: true; value: T } | { ok: false; error: string; problems?: readonly Problem[] };

export type SinkOutcome = 'accepted' | 'duplicate' | 'updated';

export interface IngestProgress {
  readonly file: string;
  readonly fileIndex: number;
  readonly files: number;
  readonly bytesRead: number;
  readonly bytesTotal: number | undefined;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  /** Since the job started. */
  readonly seconds: number;
}

export interface IngestSummary {
  readonly files: number;
  readonly lines: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly seconds: number;
  /** Set when some lines were rejected. */
  readonly quarantine?: string;
}

export interface Rejection {
  readonly source: string;
  readonly line: number;
  readonly message: string;
}

export interface IngestOptions<T> {
  readonly files: readonly string[];
  readonly parse: (text: string) => LineParse<T>;
  readonly sink: (batch: T[]) => Promise<readonly SinkOutcome[]>;
  readonly quarantine: QuarantineFile;
  readonly batchSize?: number;
  /** Called with each full batch as it is sent: the size of the batches after it (default: `batchSize` throughout). */
  readonly nextBatchSize?: (batch: readonly T[]) => number;
  /** Batches handed to the sink and not yet settled, at most (default 4). */
  readonly inFlight?: number;
  readonly stdin?: Readable;
  readonly onProgress?: (p: IngestProgress) => void;
  /** Called for each rejected line (the CLI prints the first few). */
  readonly onReject?: (r: Rejection) => void;
}

export async function ingestNdjson<T>(options: IngestOptions<T>): Promise<IngestSummary> {
  const started = performance.now();
  let batchSize = options.batchSize ?? 4096;
  let rejected = 0;
  let lines = 0;
  const pipe = new SinkPipe(options.sink, options.inFlight ?? 4);

  try {
    for (const [fileIndex, file] of options.files.entries()) {
      const source = await openNdjson(file, { stdin: options.stdin });
      const progress = () =>
        options.onProgress?.(
          fileProgress(file, fileIndex, options.files.length, source, pipe, rejected, started),
        );
      let batch: T[] = [];
      for await (const group of source.lineGroups()) {
        for (const line of group) {
          if (line.text.trim() === '') continue;
          lines++;
          const parsed: LineParse<T> = line.tooLong
            ? { ok: false, error: `line longer than ${1024 * 1024} bytes` }
            : options.parse(line.text);
          if (!parsed.ok) {
            rejected++;
            options.onReject?.({ source: file, line: line.number, message: parsed.error });
            await options.quarantine.write({
              source: file,
              line: line.number,
              error: parsed.error,
              ...(parsed.problems ? { problems: parsed.problems } : {}),
              record: line.text,
            });
            continue;
          }
          batch.push(parsed.value);
          if (batch.length >= batchSize) {
            if (options.nextBatchSize) batchSize = options.nextBatchSize(batch);
            await pipe.send(batch);
            batch = [];
            progress();
          }
        }
      }
      if (batch.length > 0) await pipe.send(batch);
      await pipe.drain();
      progress();
    }
  } finally {
    await pipe.settle();
    await options.quarantine.close();
  }
  return {
    files: options.files.length,
    lines,
    accepted: pipe.accepted,
    duplicates: pipe.duplicates,
    rejected,
    seconds: (performance.now() - started) / 1000,
    ...(rejected > 0 ? { quarantine: options.quarantine.path } : {}),
  };
}

/** Where a file job stands, for `onProgress`. */
export function fileProgress(
  file: string,
  fileIndex: number,
  files: number,
  source: { bytesRead(): number; readonly size: number | undefined },
  pipe: { readonly accepted: number; readonly duplicates: number },
  rejected: number,
  started: number,
): IngestProgress {
  return {
    file,
    fileIndex,
    files,
    bytesRead: source.bytesRead(),
    bytesTotal: source.size,
    accepted: pipe.accepted,
    duplicates: pipe.duplicates,
    rejected,
    seconds: (performance.now() - started) / 1000,
  };
}

/** Parses one line as JSON; a syntax error becomes a readable rejection. */
export function parseJsonLine(
  text: string,
): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
}

/** Turns validation problems into a rejection. */
export function rejection(problems: readonly Problem[]): {
  ok: false;
  error: string;
  problems: readonly Problem[];
} {
  return { ok: false, error: formatProblems(problems), problems };
}
