/**
 * The file-ingest job for vendor logs (and native events in any JSON shape):
 * records streamed from NDJSON, JSON arrays or API wrappers
 * ({@link RecordScanner}), told apart by format (`auto` looks at the first
 * records and says what it chose), adapted to native events, validated and
 * handed to the sink in batches. Records of kinds Tripline does not use are
 * counted by reason; malformed ones are quarantined with their position;
 * neither stops the job.
 *
 * @example
 * const summary = await ingestRecords({ files: ['signins.json'], format: 'auto', sink, quarantine });
 * summary.formats; // [{ file: 'signins.json', format: 'entra', detected: true }]
 */
import type { Readable } from 'node:stream';
import type { NativeEvent } from '../domain/event.js';
import type { EventRow } from '../domain/event-row.js';
import { formatProblems } from '../domain/validation.js';
import { VENDOR_FORMATS } from './adapters/adapter.js';
import type { Adapter, AdaptOutcome, VendorFormat } from './adapters/adapter.js';
import { fileProgress } from './ingest-ndjson.js';
import type { IngestProgress, IngestSummary, Rejection, SinkOutcome } from './ingest-ndjson.js';
import { SinkPipe } from './sink-pipe.js';
import { openNdjson } from './ndjson-reader.js';
import { toEventRow } from './parse-event-line.js';
import type { QuarantineFile } from './quarantine-file.js';
import { RecordScanner } from './record-scanner.js';
import type { ScannedRecord } from './record-scanner.js';
import { validateEvent } from './validate-event.js';

export type RecordFormat = VendorFormat | 'native';

/** What `tripline ingest --format` and `POST /v1/ingest/:format` take. */
export const INGEST_FORMATS = ['auto', 'native', ...VENDOR_FORMATS] as const;

export interface RecordIngestOptions {
  readonly files: readonly string[];
  /** `auto`: told from the first records of each file. */
  readonly format: RecordFormat | 'auto';
  readonly adapters: Readonly<Record<VendorFormat, Adapter>>;
  readonly sink: (batch: EventRow[]) => Promise<readonly SinkOutcome[]>;
  readonly quarantine: QuarantineFile;
  /** The tenant of events that do not name one (every adapted event). */
  readonly defaultTenant?: string;
  readonly batchSize?: number;
  /** Called with each full batch as it is sent: the size of the batches after it (default: `batchSize` throughout). */
  readonly nextBatchSize?: (batch: readonly EventRow[]) => number;
  /** Batches handed to the sink and not yet settled, at most (default 4). */
  readonly inFlight?: number;
  readonly stdin?: Readable;
  readonly onProgress?: (p: IngestProgress) => void;
  readonly onReject?: (r: Rejection) => void;
  /** Called once per file with the format used (for `auto`, what was detected). */
  readonly onFormat?: (f: FileFormat) => void;
}

export interface FileFormat {
  readonly file: string;
  readonly format: RecordFormat;
  /** Told from the records (`--format auto`), not given. */
  readonly detected: boolean;
}

export interface RecordIngestSummary extends IngestSummary {
  /** Vendor records read (`lines` counts them too). */
  readonly records: number;
  /** Native events they gave. */
  readonly events: number;
  /** Records of kinds Tripline does not use, by reason, most first. */
  readonly skipped: readonly { readonly reason: string; readonly count: number }[];
  readonly formats: readonly FileFormat[];
}

/** Records looked at to tell a file's format, and the most text read for them. */
const DETECT_RECORDS = 20;
const DETECT_CHARS = 8 * 1024 * 1024;

/**
 * A file's format from its first records, and whether they are one per line
 * (NDJSON, which native events read fastest as, on the line path).
 *
 * @example
 * await sniffFormat('events.ndjson', ADAPTERS); // { file, format: 'native', detected: true, lines: true }
 */
export async function sniffFormat(
  file: string,
  adapters: Readonly<Record<VendorFormat, Adapter>>,
): Promise<FileFormat & { readonly lines: boolean }> {
  const source = await openNdjson(file);
  const scanner = new RecordScanner();
  const held: ScannedRecord[] = [];
  let read = 0;
  let complete = true;
  for await (const text of source.text()) {
    held.push(...scanner.push(text));
    read += text.length;
    if (held.length >= DETECT_RECORDS || read >= DETECT_CHARS) {
      complete = false;
      break;
    }
  }
  if (complete) held.push(...scanner.end());
  const format = detectFormat(file, held, adapters);
  return { file, format, detected: true, lines: held.every((r) => r.position.startsWith('line ')) };
}

export async function ingestRecords(options: RecordIngestOptions): Promise<RecordIngestSummary> {
  const started = performance.now();
  let batchSize = options.batchSize ?? 4096;
  const tenant = options.defaultTenant ?? 'default';
  const pipe = new SinkPipe(options.sink, options.inFlight ?? 4);
  let rejected = 0;
  let records = 0;
  let events = 0;
  const skipped = new Map<string, number>();
  const formats: FileFormat[] = [];

  try {
    for (const [fileIndex, file] of options.files.entries()) {
      const source = await openNdjson(file, { ...(options.stdin ? { stdin: options.stdin } : {}) });
      const progress = () =>
        options.onProgress?.(
          fileProgress(file, fileIndex, options.files.length, source, pipe, rejected, started),
        );
      const reject = async (r: ScannedRecord, error: string, problems?: FileProblems) => {
        rejected++;
        const line = Number(/line (\d+)/.exec(r.position)?.[1] ?? 0);
        options.onReject?.({ source: file, line, message: `${r.position}: ${error}` });
        await options.quarantine.write({
          source: file,
          line,
          position: r.position,
          error,
          ...(problems ? { problems } : {}),
          record: r.text,
        });
      };

      let format: RecordFormat | undefined = options.format === 'auto' ? undefined : options.format;
      const held: ScannedRecord[] = [];
      let batch: EventRow[] = [];
      const handle = async (r: ScannedRecord, f: RecordFormat) => {
        records++;
        if (r.error !== undefined) return reject(r, r.error);
        const result = recordRows(r.value, r.text, f, options.adapters, tenant);
        if (result.kind === 'skip') {
          skipped.set(result.reason, (skipped.get(result.reason) ?? 0) + 1);
          return;
        }
        if (result.kind === 'malformed') return reject(r, result.message);
        for (const bad of result.rejected) await reject(r, bad.error, bad.problems);
        for (const row of result.rows) {
          events++;
          batch.push(row);
          if (batch.length >= batchSize) {
            if (options.nextBatchSize) batchSize = options.nextBatchSize(batch);
            await pipe.send(batch);
            batch = [];
            progress();
          }
        }
      };
      const settleFormat = (f: RecordFormat, detected: boolean) => {
        format = f;
        const chosen = { file, format: f, detected };
        formats.push(chosen);
        options.onFormat?.(chosen);
      };

      const scanner = new RecordScanner();
      const feed = async (found: readonly ScannedRecord[]) => {
        for (const r of found) {
          if (format !== undefined) {
            await handle(r, format);
            continue;
          }
          held.push(r);
          if (held.filter((x) => x.error === undefined).length >= DETECT_RECORDS) {
            settleFormat(detectFormat(file, held, options.adapters), true);
            for (const h of held.splice(0)) await handle(h, format!);
          }
        }
      };
      if (format !== undefined) settleFormat(format, false);
      for await (const text of source.text()) await feed(scanner.push(text));
      await feed(scanner.end());
      if (format === undefined) {
        settleFormat(detectFormat(file, held, options.adapters), true);
        for (const h of held.splice(0)) await handle(h, format!);
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
    lines: records,
    records,
    events,
    accepted: pipe.accepted,
    duplicates: pipe.duplicates,
    rejected,
    skipped: [...skipped]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)),
    formats,
    seconds: (performance.now() - started) / 1000,
    ...(rejected > 0 ? { quarantine: options.quarantine.path } : {}),
  };
}

type FileProblems = Parameters<QuarantineFile['write']>[0]['problems'];

/** What one record gives: stored rows, or a skip, or a malformed record; events that fail validation are listed. */
export type RecordRows =
  | {
      readonly kind: 'rows';
      readonly rows: readonly EventRow[];
      readonly rejected: readonly { readonly error: string; readonly problems?: FileProblems }[];
    }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'malformed'; readonly message: string };

/**
 * One record, in a known format, to validated rows: adapted (vendor formats,
 * `raw` set to the record) or taken as a native event.
 *
 * @example
 * recordRows(record, text, 'okta', ADAPTERS, 'default'); // { kind: 'rows', rows: [...], rejected: [] }
 */
export function recordRows(
  value: unknown,
  text: string,
  format: RecordFormat,
  adapters: Readonly<Record<VendorFormat, Adapter>>,
  tenant: string,
): RecordRows {
  const outcome: AdaptOutcome =
    format === 'native'
      ? { kind: 'events', events: [value as Record<string, unknown>] }
      : safeAdapt(adapters[format], value, tenant);
  if (outcome.kind !== 'events') return outcome;
  // Stored text is one line (the SQLite writer's hand-over is line-based):
  // a pretty-printed record is kept compact, with the same content.
  const line = text.includes('\n') ? JSON.stringify(value) : text;
  const rows: EventRow[] = [];
  const rejected: { error: string; problems?: FileProblems }[] = [];
  for (const [i, e] of outcome.events.entries()) {
    const row =
      format === 'native' ? toEventRow(e, line, tenant) : adaptedRow(e, value, line, tenant);
    if (row.ok) rows.push(row.value);
    else
      rejected.push({
        error: outcome.events.length > 1 ? `event ${i + 1}: ${row.error}` : row.error,
        ...('problems' in row && row.problems ? { problems: row.problems } : {}),
      });
  }
  return { kind: 'rows', rows, rejected };
}

/** An adapter that throws is a bug; the record is quarantined rather than the job stopped. */
function safeAdapt(adapter: Adapter, value: unknown, tenant: string): AdaptOutcome {
  try {
    return adapter.adapt(value, { tenant });
  } catch (error) {
    return {
      kind: 'malformed',
      message: `${adapter.vendor} adapter failed on this record: ${(error as Error).message}`,
    };
  }
}

/** An adapted event with its tenant and the vendor record, validated like a native one. */
function adaptedRow(
  event: Readonly<Record<string, unknown>>,
  record: unknown,
  recordText: string,
  tenant: string,
): ReturnType<typeof toEventRow> {
  const full = { ...event, tenant, raw: record };
  const result = validateEvent(full);
  if (!result.ok)
    return { ok: false, error: formatProblems(result.problems), problems: result.problems };
  const { event: valid, timeMs } = result.value;
  // The record's own (one-line) text is its JSON: spliced in, not serialised again.
  const rest: Record<string, unknown> = { ...valid };
  delete rest.raw;
  const head = JSON.stringify(rest);
  const eventJson = `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"raw":${recordText}}`;
  // The stored JSON keeps the record; the event that goes on to scoring does
  // not carry it (scoring never reads it, and holding every parsed record
  // through the writer's queue cost memory and collection time).
  return {
    ok: true,
    value: { event: rest as NativeEvent, timeMs, eventJson, raw: recordText },
  };
}

/**
 * The format most of the first records are in: native events, or the one
 * adapter that recognises them. None, or two equally, is an error that says
 * what was seen.
 */
export function detectFormat(
  file: string,
  sample: readonly ScannedRecord[],
  adapters: Readonly<Record<VendorFormat, Adapter>>,
): RecordFormat {
  const values = sample.filter((r) => r.error === undefined).map((r) => r.value);
  if (values.length === 0)
    throw new Error(
      `${file}: cannot tell the format: no readable record in it${sample[0] ? ` (${sample[0].position}: ${sample[0].error})` : ''}`,
    );
  const votes = new Map<RecordFormat, number>();
  for (const v of values) {
    if (validateEvent(v).ok) votes.set('native', (votes.get('native') ?? 0) + 1);
    for (const a of Object.values(adapters))
      if (safeDetect(a, v)) votes.set(a.format, (votes.get(a.format) ?? 0) + 1);
  }
  const ranked = [...votes].sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  // Native events with mistakes are still native: each is rejected with the
  // validator's reasons, as on the native path, rather than the file refused.
  if (!best && values.some(looksNative)) return 'native';
  if (!best)
    throw new Error(
      `${file}: cannot tell the format from its first ${values.length} record(s): none is a native event or a record of ${Object.values(
        adapters,
      )
        .map((a) => a.vendor)
        .join(', ')}; give --format`,
    );
  if (second && second[1] === best[1])
    throw new Error(
      `${file}: the first records look like ${best[0]} and ${second[0]} equally; give --format`,
    );
  return best[0];
}

/** The outline of a native event: a `type` and an `account` (or a `time`). */
function looksNative(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.type === 'string' && (typeof v.account === 'object' || typeof v.time === 'string')
  );
}

function safeDetect(adapter: Adapter, value: unknown): boolean {
  try {
    return adapter.detect(value);
  } catch {
    return false;
  }
}
