/**
 * The composition root: the only place that wires the stages together. The
 * CLI, the HTTP server and the tests all get their Tripline from here, so every
 * source goes through the same pipeline.
 *
 * @example
 * const app = await openTripline({ db: 'sqlite:./tripline.db' });
 * const summary = await ingestEventFiles(app, ['events.ndjson']);
 * await app.close();
 */
import { basename, dirname, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ApiKeys } from './auth/api-keys.js';
import type { EventRow } from './domain/event-row.js';
import { ingestNdjson } from './ingest/ingest-ndjson.js';
import type { IngestProgress, IngestSummary, Rejection } from './ingest/ingest-ndjson.js';
import { parseDirectoryLine } from './ingest/parse-directory-line.js';
import { parseEventLine } from './ingest/parse-event-line.js';
import { QuarantineFile } from './ingest/quarantine-file.js';
import { pipelineMetrics } from './observe/metrics.js';
import type { PipelineMetrics } from './observe/metrics.js';
import { EventWriter } from './pipeline/event-writer.js';
import type { WriterOptions } from './pipeline/event-writer.js';
import { DEFAULT_DB, openStore, parseDbTarget } from './store/open-store.js';
import type { Store } from './store/port.js';

export interface TriplineOptions {
  /** `sqlite:PATH` (default `./tripline.db`) or a `postgres://` URL. */
  readonly db?: string;
  readonly writer?: WriterOptions;
  /** Where rejected file lines go (default: beside the SQLite file, or ./tripline.quarantine.ndjson). */
  readonly quarantine?: string;
}

export interface Tripline {
  readonly store: Store;
  readonly metrics: PipelineMetrics;
  readonly writer: EventWriter;
  readonly keys: ApiKeys;
  /** Where rejected lines of file ingest are kept: beside the SQLite file, or in the working folder. */
  readonly quarantinePath: string;
  close(): Promise<void>;
}

export async function openTripline(options: TriplineOptions = {}): Promise<Tripline> {
  const db = options.db ?? DEFAULT_DB;
  const store = await openStore(db);
  const metrics = pipelineMetrics();
  const writer = new EventWriter(store, metrics, options.writer);
  metrics.registry.gauge(
    'tripline_writer_queued_events',
    'Events waiting for commit',
    () => writer.queued,
  );
  metrics.registry.gauge('tripline_process_resident_memory_bytes', 'Resident set size', () =>
    process.memoryUsage.rss(),
  );
  return {
    store,
    metrics,
    writer,
    keys: new ApiKeys(store),
    quarantinePath: options.quarantine ?? quarantinePathFor(db),
    async close() {
      await writer.close();
      await store.close();
    },
  };
}

const FILE_BATCH = 10_000;

export function quarantinePathFor(db: string): string {
  const target = parseDbTarget(db);
  if (target.dialect === 'postgres' || target.path === ':memory:') {
    return join(process.cwd(), 'tripline.quarantine.ndjson');
  }
  const file = basename(target.path, extname(target.path));
  return join(dirname(target.path), `${file}.quarantine.ndjson`);
}

export interface FileIngestOptions {
  readonly onProgress?: (p: IngestProgress) => void;
  readonly onReject?: (r: Rejection) => void;
  readonly stdin?: Readable;
  readonly defaultTenant?: string;
  readonly batchSize?: number;
}

/** `tripline ingest`: NDJSON event files through the writer. */
export function ingestEventFiles(
  app: Tripline,
  files: readonly string[],
  options: FileIngestOptions = {},
): Promise<IngestSummary> {
  return ingestNdjson<EventRow>({
    files,
    parse: (text) => parseEventLine(text, options.defaultTenant),
    sink: (rows) => app.writer.submit(rows, 'file'),
    // Large file batches are committed alone, in big transactions: random-order
    // index inserts cost far less per event when a transaction holds many.
    batchSize: FILE_BATCH,
    quarantine: new QuarantineFile(app.quarantinePath),
    ...options,
  }).then((summary) => {
    if (summary.rejected > 0)
      app.metrics.events.inc({ source: 'file', result: 'rejected' }, summary.rejected);
    return summary;
  });
}

/** `tripline directory import`: directory records straight into the store. */
export function importDirectoryFiles(
  app: Tripline,
  files: readonly string[],
  options: FileIngestOptions = {},
): Promise<IngestSummary> {
  return ingestNdjson({
    files,
    parse: (text) => parseDirectoryLine(text, options.defaultTenant),
    sink: async (records) => {
      // Re-importing a directory updates records; "duplicates" counts the ones that already existed.
      const result = await app.store.upsertDirectory(records);
      return [
        ...new Array<'accepted'>(result.created).fill('accepted'),
        ...new Array<'duplicate'>(result.updated).fill('duplicate'),
      ];
    },
    quarantine: new QuarantineFile(app.quarantinePath),
    ...options,
  });
}
