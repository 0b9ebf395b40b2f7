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
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ApiKeys } from './auth/api-keys.js';
import { DEFAULT_POLICY, parsePolicy } from './detect/policy.js';
import type { Policy } from './detect/policy.js';
import { RecoveryGraph } from './graph/recovery-graph.js';
import { RiskEngine } from './detect/risk-engine.js';
import { CampaignBook } from './correlate/campaign-book.js';
import type { CampaignEdit } from './correlate/campaign-edits.js';
import { Correlator } from './correlate/correlator.js';
import { parseAttackTechniques } from './intel/actor-data.js';
import { TechniqueCatalog } from './intel/technique-catalog.js';
import type { DirectoryRecord } from './domain/directory-record.js';
import { AsnDatabase } from './enrich/asn-database.js';
import { Enricher } from './enrich/enricher.js';
import type { DirectoryLookup } from './enrich/enricher.js';
import { GeoDatabase } from './enrich/geo-database.js';
import { NetworkClassifier } from './enrich/network-classifier.js';
import { UserAgentParser } from './enrich/user-agent-parser.js';
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
  readonly writer?: Omit<WriterOptions, 'decide'>;
  /**
   * Score and decide every event (default true). Off for commands that only
   * manage the store (keys), which need not load the enrichment data.
   */
  readonly score?: boolean;
  /** A policy file (JSON, docs/POLICY.md); the defaults otherwise. */
  readonly policy?: string;
  /** Where rejected file lines go (default: beside the SQLite file, or ./tripline.quarantine.ndjson). */
  readonly quarantine?: string;
  /**
   * Save the engine's state to the store on close, and start from the saved
   * state (default true): a restart replays only the events stored after it.
   */
  readonly snapshot?: boolean;
}

/** How the engine's state was rebuilt on open. */
export interface StateRestore {
  /** `snapshot`: loaded, then newer events replayed; `events`: every stored event replayed. */
  readonly from: 'snapshot' | 'events';
  /** The last event seq the snapshot covered (0 without one). */
  readonly snapshotSeq: number;
  readonly replayed: number;
  readonly seconds: number;
  /** Why a saved snapshot was not used, if one was not. */
  readonly note?: string;
}

export interface Tripline {
  readonly store: Store;
  readonly metrics: PipelineMetrics;
  readonly writer: EventWriter;
  readonly keys: ApiKeys;
  /** The score and decide stages, when scoring is on. */
  readonly engine: RiskEngine | undefined;
  /** How the engine's state was rebuilt on open, when scoring is on. */
  readonly restored: StateRestore | undefined;
  /** The campaigns, when scoring is on (the correlate stage runs with it). */
  readonly campaigns: CampaignBook | undefined;
  /** Records an analyst's edit to a campaign; resolves to its seq. */
  editCampaign(tenant: string, edit: CampaignEdit, author: string): Promise<number>;
  /** Keeps the enrich stage's view of the directory current after an import. */
  readonly directory: DirectoryIndex;
  /** Where rejected lines of file ingest are kept: beside the SQLite file, or in the working folder. */
  readonly quarantinePath: string;
  /**
   * Saves the engine's state to the store now (also done on close), pausing
   * new batches for the moment it takes to copy it. Resolves to the last
   * event seq it covers, or undefined when nothing was saved (scoring or
   * snapshots off, nothing new, or another process wrote to the store).
   */
  saveState(): Promise<number | undefined>;
  close(): Promise<void>;
}

export async function openTripline(options: TriplineOptions = {}): Promise<Tripline> {
  const db = options.db ?? DEFAULT_DB;
  const store = await openStore(db);
  const metrics = pipelineMetrics();
  const directory = new DirectoryIndex();
  let engine: RiskEngine | undefined;
  let correlator: Correlator | undefined;
  let campaigns: CampaignBook | undefined;
  let restored: StateRestore | undefined;
  /** The last event seq the engine has seen on open: what it stores after this is its own. */
  let coveredSeq = 0;
  const useSnapshot = options.snapshot ?? true;
  try {
    if (options.score ?? true) {
      const records = await store.listDirectory();
      for (const r of records) directory.set(r);
      const policy = options.policy ? await loadPolicy(options.policy) : DEFAULT_POLICY;
      const makeEngine = () => {
        const graph = new RecoveryGraph();
        graph.loadDirectory(records);
        correlator = new Correlator();
        return new RiskEngine({
          enricher: sharedEnricher((tenant, id) => directory.get(tenant, id)),
          policy,
          graph,
          correlator,
        });
      };
      const started = performance.now();
      engine = makeEngine();
      let from: StateRestore['from'] = 'events';
      let note: string | undefined;
      let after = 0;
      const saved = useSnapshot ? await store.loadEngineState() : undefined;
      if (saved && saved.fingerprint !== engine.fingerprint) {
        note = 'saved state is from another engine version or policy';
      } else if (saved) {
        try {
          engine.restore(saved.data);
          from = 'snapshot';
          after = saved.seq;
        } catch (error) {
          note = `saved state unreadable (${(error as Error).message})`;
          engine = makeEngine();
        }
      }
      const replay = await replayEvents(store, engine, after);
      coveredSeq = replay.lastSeq;
      restored = {
        from,
        snapshotSeq: after,
        replayed: replay.events,
        seconds: (performance.now() - started) / 1000,
        ...(note ? { note } : {}),
      };
      campaigns = new CampaignBook(correlator!, { techniqueName: techniqueNames() });
      campaigns.load(
        (await store.listCampaignEdits()).map((r) => ({
          seq: r.seq,
          tenant: r.tenant,
          edit: JSON.parse(r.data) as CampaignEdit,
          author: r.author,
          time: r.createdAt,
        })),
      );
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const decide = engine ? engine.process.bind(engine) : undefined;
  const writer = new EventWriter(store, metrics, {
    ...options.writer,
    ...(decide ? { decide } : {}),
  });
  metrics.registry.gauge(
    'tripline_writer_queued_events',
    'Events waiting for commit',
    () => writer.queued,
  );
  metrics.registry.gauge('tripline_process_resident_memory_bytes', 'Resident set size', () =>
    process.memoryUsage.rss(),
  );
  /** Accepted events the last saved snapshot covers (undefined: none saved by this process). */
  let savedAccepted: number | undefined;
  const saveState = async (): Promise<number | undefined> => {
    if (!engine || !useSnapshot) return undefined;
    const e = engine;
    const taken = await writer.quiesce(async () => {
      const nothingNew =
        savedAccepted !== undefined
          ? writer.accepted === savedAccepted
          : writer.accepted === 0 && restored!.from === 'snapshot' && restored!.replayed === 0;
      if (nothingNew) return undefined;
      // Every event stored since open must have gone through this engine.
      if ((await store.countEventsAfter(coveredSeq)) !== writer.accepted) return undefined;
      // Only the copy is taken while batches wait; encoding happens after.
      return { seq: await store.maxSeq(), accepted: writer.accepted, state: e.capture() };
    });
    if (!taken) return undefined;
    await store.saveEngineState({
      seq: taken.seq,
      fingerprint: e.fingerprint,
      savedAt: new Date().toISOString(),
      data: RiskEngine.encode(taken.state),
    });
    savedAccepted = taken.accepted;
    return taken.seq;
  };
  return {
    store,
    metrics,
    writer,
    keys: new ApiKeys(store),
    engine,
    restored,
    campaigns,
    async editCampaign(tenant, edit, author) {
      const createdAt = new Date().toISOString();
      const seq = await store.addCampaignEdit({
        tenant,
        campaignId: edit.campaign,
        op: edit.op,
        data: JSON.stringify(edit),
        author,
        createdAt,
      });
      campaigns?.addEdit({ seq, tenant, edit, author, time: createdAt });
      return seq;
    },
    directory,
    quarantinePath: options.quarantine ?? quarantinePathFor(db),
    saveState,
    async close() {
      await writer.close();
      try {
        await saveState();
      } finally {
        await store.close();
      }
    },
  };
}

const FILE_BATCH = 10_000;

/**
 * Profiles, population and source statistics live in memory. On start they
 * come from the saved snapshot, if any, and the events stored after it are
 * replayed through the engine in chunks ordered by event time, as the writer
 * scored them (all events when there is no usable snapshot).
 */
async function replayEvents(
  store: Store,
  engine: RiskEngine,
  afterSeq: number,
): Promise<{ events: number; lastSeq: number }> {
  const CHUNK = 10_000;
  let after = afterSeq;
  let events = 0;
  for (;;) {
    const chunk = await store.scanEvents(after, CHUNK);
    if (chunk.length === 0) return { events, lastSeq: after };
    after = chunk[chunk.length - 1]!.seq;
    chunk.sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
    for (const e of chunk) engine.process(e.event, e.timeMs);
    events += chunk.length;
  }
}

/** Directory records by tenant and account id (looked up for every event). */
export class DirectoryIndex {
  readonly #tenants = new Map<string, Map<string, DirectoryRecord>>();

  set(record: DirectoryRecord): void {
    let accounts = this.#tenants.get(record.tenant);
    if (!accounts) {
      accounts = new Map();
      this.#tenants.set(record.tenant, accounts);
    }
    accounts.set(record.account.id, record);
  }

  get(tenant: string, accountId: string): DirectoryRecord | undefined {
    return this.#tenants.get(tenant)?.get(accountId);
  }
}

let techniqueCatalog: TechniqueCatalog | undefined;

/** ATT&CK technique names (data/attack-techniques.json), read once per process on first use. */
function techniqueNames(): (id: string) => string | undefined {
  return (id) => {
    if (!techniqueCatalog) {
      const file = new URL('../data/attack-techniques.json', import.meta.url);
      techniqueCatalog = new TechniqueCatalog(
        parseAttackTechniques(JSON.parse(readFileSync(file, 'utf8')), file.pathname),
      );
    }
    return techniqueCatalog.name(id);
  };
}

let enrichmentData: { geo: GeoDatabase; asn: AsnDatabase; networks: NetworkClassifier } | undefined;

/** The enrichment databases are read once per process and shared. */
function sharedEnricher(directory: DirectoryLookup): Enricher {
  enrichmentData ??= {
    geo: GeoDatabase.load(),
    asn: AsnDatabase.load(),
    networks: NetworkClassifier.load(),
  };
  return new Enricher({ ...enrichmentData, userAgents: new UserAgentParser(), directory });
}

async function loadPolicy(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `--policy ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`--policy ${path}: not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parsePolicy(json);
  } catch (error) {
    throw new Error(`--policy ${path}: ${(error as Error).message.replace(/^policy: /, '')}`);
  }
}

export function quarantinePathFor(db: string): string {
  const target = parseDbTarget(db);
  if (target.dialect === 'postgres' || target.path === ':memory:') {
    return join(process.cwd(), 'tripline.quarantine.ndjson');
  }
  const file = basename(target.path, extname(target.path));
  return join(dirname(target.path), `${file}.quarantine.ndjson`);
}

export interface FileIngestOptions {
  /** Write one decision per ingested event, in input order (DESIGN.md's shape), to this file. */
  readonly decisions?: string;
  readonly onProgress?: (p: IngestProgress) => void;
  readonly onReject?: (r: Rejection) => void;
  readonly stdin?: Readable;
  readonly defaultTenant?: string;
  readonly batchSize?: number;
}

/** `tripline ingest`: NDJSON event files through the writer. */
export async function ingestEventFiles(
  app: Tripline,
  files: readonly string[],
  options: FileIngestOptions = {},
): Promise<IngestSummary> {
  const out = options.decisions ? await openDecisionsFile(options.decisions) : undefined;
  try {
    const summary = await ingestNdjson<EventRow>({
      files,
      parse: (text) => parseEventLine(text, options.defaultTenant),
      sink: async (rows) => {
        const results = await app.writer.submit(rows, 'file');
        if (out) {
          let text = '';
          for (const r of results) if (r.decision) text += `${JSON.stringify(r.decision)}\n`;
          await out.write(text);
        }
        return results.map((r) => r.status);
      },
      quarantine: new QuarantineFile(app.quarantinePath),
      // Large file batches are committed in big transactions: random-order
      // index inserts cost far less per event when a transaction holds many.
      batchSize: FILE_BATCH,
      ...options,
    });
    if (summary.rejected > 0) {
      app.metrics.events.inc({ source: 'file', result: 'rejected' }, summary.rejected);
    }
    return summary;
  } finally {
    await out?.close();
  }
}

/** An NDJSON output file written in order, with backpressure. */
async function openDecisionsFile(
  path: string,
): Promise<{ write(text: string): Promise<void>; close(): Promise<void> }> {
  await mkdir(dirname(path), { recursive: true });
  const stream = createWriteStream(path);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e) => reject(new Error(`--decisions ${path}: ${e.message}`)));
  });
  return {
    async write(text) {
      if (text && !stream.write(text))
        await new Promise<void>((r) => stream.once('drain', () => r()));
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        stream.end((e?: Error | null) => (e ? reject(e) : resolve())),
      ),
  };
}

/** `tripline directory import`: directory records straight into the store. */
export async function importDirectoryFiles(
  app: Tripline,
  files: readonly string[],
  options: FileIngestOptions = {},
): Promise<IngestSummary> {
  try {
    return await importDirectoryRecords(app, files, options);
  } finally {
    // The recovery graph took each batch into its overlay: index it once.
    app.engine?.graph.index();
  }
}

function importDirectoryRecords(
  app: Tripline,
  files: readonly string[],
  options: FileIngestOptions,
): Promise<IngestSummary> {
  return ingestNdjson({
    files,
    parse: (text) => parseDirectoryLine(text, options.defaultTenant),
    sink: async (records) => {
      // Re-importing a directory updates records; "duplicates" counts the ones that already existed.
      const result = await app.store.upsertDirectory(records);
      for (const r of records) app.directory.set(r);
      app.engine?.graph.loadDirectory(records, { index: false });
      return [
        ...new Array<'accepted'>(result.created).fill('accepted'),
        ...new Array<'duplicate'>(result.updated).fill('duplicate'),
      ];
    },
    quarantine: new QuarantineFile(app.quarantinePath),
    ...options,
  });
}
