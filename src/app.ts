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
import { createHash } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { ApiKeys } from './auth/api-keys.js';
import { DEFAULT_POLICY, parsePolicy } from './detect/policy.js';
import type { Policy } from './detect/policy.js';
import { RecoveryGraph } from './graph/recovery-graph.js';
import { IndicatorSet } from './detect/indicator-set.js';
import type { Indicator } from './detect/indicator-set.js';
import { RiskEngine } from './detect/risk-engine.js';
import { CampaignBook } from './correlate/campaign-book.js';
import type { CampaignEdit } from './correlate/campaign-edits.js';
import { Correlator } from './correlate/correlator.js';
import { parseAttackTechniques } from './intel/actor-data.js';
import { ActorKnowledgeBase } from './intel/actor-knowledge-base.js';
import { parseIndicators } from './intel/indicator-import.js';
import type { IndicatorFormat, IndicatorImport } from './intel/indicator-import.js';
import { ActorOverrideError, checkOverride } from './intel/actor-overrides.js';
import type { ActorOverride } from './domain/actor.js';
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
import { ADAPTERS } from './ingest/adapters/registry.js';
import { ingestRecords, sniffFormat } from './ingest/ingest-records.js';
import type { FileFormat, RecordFormat, RecordIngestSummary } from './ingest/ingest-records.js';
import { QuarantineFile } from './ingest/quarantine-file.js';
import { pipelineMetrics } from './observe/metrics.js';
import type { PipelineMetrics } from './observe/metrics.js';
import { EventWriter } from './pipeline/event-writer.js';
import type { WriterOptions } from './pipeline/event-writer.js';
import { campaignSightings } from './pipeline/campaign-sightings.js';
import { rescanEvents } from './pipeline/indicator-rescan.js';
import { attributeCampaign } from './intel/attribution.js';
import type { IndicatorHit } from './pipeline/indicator-rescan.js';
import { SMALL_BATCH, inlineBatchSize } from './ingest/batch-sizing.js';
import { DEFAULT_DB, openStore, parseDbTarget } from './store/open-store.js';
import type { SqliteWriterMode } from './store/sqlite/sqlite-store.js';
import type { IndicatorRow, Store } from './store/port.js';

export interface TriplineOptions {
  /** `sqlite:PATH` (default `./tripline.db`) or a `postgres://` URL. */
  readonly db?: string;
  /** SQLite only: where event batches are written (default `TRIPLINE_SQLITE_WRITER`, else `auto`). */
  readonly sqliteWriter?: SqliteWriterMode;
  /** SQLite only: the cores from which `auto` writes on a thread (default 2; `tripline serve`: 3). */
  readonly sqliteThreadFromCores?: number;
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
  /**
   * The score and decide stages, when scoring is on. Read it where it is used:
   * a re-examination ({@link importIndicators}) replaces it.
   */
  readonly engine: RiskEngine | undefined;
  /** How the engine's state was rebuilt on open, when scoring is on. */
  readonly restored: StateRestore | undefined;
  /** The campaigns, when scoring is on (the correlate stage runs with it). */
  readonly campaigns: CampaignBook | undefined;
  /** Imported indicators of compromise, as the `ioc-match` detector and attribution see them. */
  readonly indicators: IndicatorSet;
  /** The indicators sorted by type, value and source; `actor` is compared without case. */
  listIndicators(filter?: {
    readonly type?: string;
    readonly actor?: string;
    readonly source?: string;
  }): Indicator[];
  /**
   * Stores indicators and puts them to work: new events are matched at once,
   * and stored events are re-examined (unless `reexamine` is false). When any
   * past event matches, the engine's state is rebuilt from the stored events
   * with the indicators in place, so campaigns and attribution see them.
   */
  importIndicators(
    indicators: readonly Indicator[],
    options?: IndicatorImportOptions,
  ): Promise<IndicatorImportResult>;
  /**
   * The actor knowledge base with the stored analyst overrides applied (read
   * on first use). Overrides that no longer apply to the shipped data are
   * left out and listed in {@link actorOverrideProblems}.
   */
  actors(): ActorKnowledgeBase;
  /** Stored overrides that could not be applied on load, with why. */
  actorOverrideProblems(): readonly { readonly seq: number; readonly problem: string }[];
  listActorOverrides(): Promise<StoredActorOverride[]>;
  /**
   * Checks the override against the knowledge base as it stands, stores it
   * and applies it; attribution follows at once.
   * @throws ActorOverrideError when it does not apply (nothing is stored).
   */
  addActorOverride(override: ActorOverride, author: string): Promise<StoredActorOverride>;
  /**
   * Removes a stored override. Refused (`{ removed: false, problem }`) when an
   * override after it only applies with it in place.
   */
  removeActorOverride(
    seq: number,
  ): Promise<{ readonly removed: boolean; readonly problem?: string; readonly found: boolean }>;
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

/** An analyst's override as stored: the override, who made it and when. */
export interface StoredActorOverride {
  readonly seq: number;
  readonly override: ActorOverride;
  readonly author: string;
  readonly created_at: string;
}

export interface IndicatorImportOptions {
  /** Match stored events too (default true). */
  readonly reexamine?: boolean;
  readonly onProgress?: (p: IndicatorImportProgress) => void;
}

export interface IndicatorImportProgress {
  /** `scan`: stored events matched against the new indicators; `replay`: the engine's state rebuilt. */
  readonly phase: 'scan' | 'replay';
  readonly done: number;
  readonly total: number;
}

export interface IndicatorImportResult {
  readonly indicators: number;
  readonly created: number;
  readonly updated: number;
  /** What re-examining the stored events found, unless it was turned off. */
  readonly reexamined?: {
    readonly scanned: number;
    readonly matched: number;
    readonly accounts: number;
    /** Indicators that matched, most events first (at most 50). */
    readonly hits: readonly IndicatorHit[];
    /** Events replayed to rebuild the engine's state (0 when nothing matched). */
    readonly replayed: number;
    /** Campaigns (by tenant) that now hold a matched event. */
    readonly campaigns: readonly { readonly tenant: string; readonly id: string }[];
    readonly seconds: number;
  };
}

export async function openTripline(options: TriplineOptions = {}): Promise<Tripline> {
  const db = options.db ?? DEFAULT_DB;
  const store = await openStore(db, {
    ...(options.sqliteWriter ? { writer: options.sqliteWriter } : {}),
    ...(options.sqliteThreadFromCores ? { threadFromCores: options.sqliteThreadFromCores } : {}),
  });
  const metrics = pipelineMetrics();
  const directory = new DirectoryIndex();
  const indicators = new IndicatorSet();
  let indicatorDigest = '';
  let engine: RiskEngine | undefined;
  let correlator: Correlator | undefined;
  let campaigns: CampaignBook | undefined;
  let restored: StateRestore | undefined;
  let makeEngine: (() => { engine: RiskEngine; correlator: Correlator }) | undefined;
  /** The last event seq the engine has seen on open: what it stores after this is its own. */
  let coveredSeq = 0;
  /** Events the writer had stored when the engine took over (0, or at a re-examination). */
  let acceptedBase = 0;
  /** The engine's state changed other than through the writer (a re-examination). */
  let rebuilt = false;
  const useSnapshot = options.snapshot ?? true;
  /** A snapshot is only good for the engine, policy and indicators it was taken under. */
  const fingerprintOf = (e: RiskEngine) =>
    createHash('sha256').update(`${e.fingerprint}\n${indicatorDigest}`).digest('hex').slice(0, 32);
  const newBook = async (c: Correlator) => {
    const book = new CampaignBook(c, {
      techniqueName: techniqueNames(),
      attribute: (campaign, group) =>
        attributeCampaign(campaign, campaignSightings(group, indicators), actors()),
      owned: (tenant, m) => engine?.owns(tenant, m.account, m) ?? false,
      revision: () => engine?.processed ?? 0,
    });
    book.load(
      (await store.listCampaignEdits()).map((r) => ({
        seq: r.seq,
        tenant: r.tenant,
        edit: JSON.parse(r.data) as CampaignEdit,
        author: r.author,
        time: r.createdAt,
      })),
    );
    return book;
  };
  try {
    const rows = await store.listIndicators();
    for (const r of rows) indicators.add(indicatorFromRow(r));
    indicatorDigest = digestIndicators(rows);
    if (options.score ?? true) {
      const records = await store.listDirectory();
      for (const r of records) directory.set(r);
      const policy = options.policy ? await loadPolicy(options.policy) : DEFAULT_POLICY;
      makeEngine = () => {
        const graph = new RecoveryGraph();
        graph.loadDirectory([...directory.records()]);
        const c = new Correlator();
        const e = new RiskEngine({
          enricher: sharedEnricher((tenant, id) => directory.get(tenant, id)),
          policy,
          graph,
          correlator: c,
          indicators,
        });
        return { engine: e, correlator: c };
      };
      const started = performance.now();
      ({ engine, correlator } = makeEngine());
      let from: StateRestore['from'] = 'events';
      let note: string | undefined;
      let after = 0;
      const saved = useSnapshot ? await store.loadEngineState() : undefined;
      if (saved && saved.fingerprint !== fingerprintOf(engine)) {
        note = 'saved state is from another engine version, policy or indicator set';
      } else if (saved) {
        try {
          engine.restore(saved.data);
          from = 'snapshot';
          after = saved.seq;
        } catch (error) {
          note = `saved state unreadable (${(error as Error).message})`;
          ({ engine, correlator } = makeEngine());
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
      campaigns = await newBook(correlator!);
    }
  } catch (error) {
    await store.close();
    throw error;
  }
  const writer = new EventWriter(store, metrics, {
    ...options.writer,
    // Through the variable: a re-examination puts a rebuilt engine in its place.
    ...(engine
      ? { decide: (...args: Parameters<RiskEngine['process']>) => engine!.process(...args) }
      : {}),
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
  let storedOverrides: StoredActorOverride[] = (await store.listActorOverrides()).flatMap((r) => {
    const checked = checkOverride(JSON.parse(r.data));
    return checked.ok
      ? [{ seq: r.seq, override: checked.override, author: r.author, created_at: r.createdAt }]
      : [];
  });
  let knowledge:
    { kb: ActorKnowledgeBase; problems: { seq: number; problem: string }[] } | undefined;
  /** The base data with the stored overrides that apply, one at a time. */
  const buildKnowledge = (list: readonly StoredActorOverride[]) => {
    let kb = baseKnowledgeBase();
    const problems: { seq: number; problem: string }[] = [];
    for (const o of list) {
      try {
        kb = kb.withOverrides([o.override]);
      } catch (error) {
        if (!(error instanceof ActorOverrideError)) throw error;
        problems.push({ seq: o.seq, problem: error.problem });
      }
    }
    return { kb, problems };
  };
  const actors = () => (knowledge ??= buildKnowledge(storedOverrides)).kb;
  /** Indicator imports run one at a time; saving and closing wait for the one under way. */
  let intelWork: Promise<unknown> = Promise.resolve();
  const saveState = async (): Promise<number | undefined> => {
    if (!engine || !useSnapshot) return undefined;
    const e = engine;
    const taken = await writer.quiesce(async () => {
      const nothingNew =
        !rebuilt &&
        (savedAccepted !== undefined
          ? writer.accepted === savedAccepted
          : writer.accepted === 0 && restored!.from === 'snapshot' && restored!.replayed === 0);
      if (nothingNew) return undefined;
      // Every event stored since the engine took over must have gone through it.
      if ((await store.countEventsAfter(coveredSeq)) !== writer.accepted - acceptedBase)
        return undefined;
      // Only the copy is taken while batches wait; encoding happens after.
      return {
        seq: await store.maxSeq(),
        accepted: writer.accepted,
        fingerprint: fingerprintOf(e),
        state: e.capture(),
      };
    });
    if (!taken) return undefined;
    await store.saveEngineState({
      seq: taken.seq,
      fingerprint: taken.fingerprint,
      savedAt: new Date().toISOString(),
      data: RiskEngine.encode(taken.state),
    });
    savedAccepted = taken.accepted;
    rebuilt = false;
    return taken.seq;
  };

  /**
   * Rebuilds the engine's state from every stored event with the current
   * indicators, then swaps it in: most events are replayed while the writer
   * goes on, the last ones with the writer held so none is missed.
   */
  const rebuildEngine = async (onProgress?: (done: number, total: number) => void) => {
    const fresh = makeEngine!();
    const total = await store.countEvents();
    const first = await replayEvents(store, fresh.engine, 0, (n) => onProgress?.(n, total));
    return writer.quiesce(async () => {
      const rest = await replayEvents(store, fresh.engine, first.lastSeq);
      const book = await newBook(fresh.correlator);
      engine = fresh.engine;
      correlator = fresh.correlator;
      campaigns = book;
      coveredSeq = rest.lastSeq;
      acceptedBase = writer.accepted;
      rebuilt = true;
      return first.events + rest.events;
    });
  };

  const importIndicators = async (
    list: readonly Indicator[],
    importOptions: IndicatorImportOptions = {},
  ): Promise<IndicatorImportResult> => {
    const importedAt = new Date().toISOString();
    const result = await store.upsertIndicators(list.map((i) => indicatorRow(i, importedAt)));
    const fresh = new IndicatorSet();
    for (const i of list) {
      indicators.add(i);
      fresh.add(i);
    }
    indicatorDigest = digestIndicators(await store.listIndicators());
    campaigns?.invalidate();
    const summary = { indicators: list.length, ...result };
    if (!(importOptions.reexamine ?? true) || list.length === 0) {
      // As asked: the past stays as it was scored, and the state is saved under the new set.
      if (engine && list.length > 0) rebuilt = true;
      return summary;
    }
    const asn = enrichmentData?.asn;
    const scan = await rescanEvents(store, fresh, {
      ...(asn ? { asnOf: (ip: string) => asn.lookup(ip)?.asn } : {}),
      onProgress: (done, total) => importOptions.onProgress?.({ phase: 'scan', done, total }),
    });
    let replayed = 0;
    if (scan.matched > 0 && makeEngine) {
      replayed = await rebuildEngine((done, total) =>
        importOptions.onProgress?.({ phase: 'replay', done, total }),
      );
    } else if (engine) {
      // Nothing in the past matches: the state is what a replay would give.
      rebuilt = true;
    }
    return {
      ...summary,
      reexamined: {
        scanned: scan.scanned,
        matched: scan.matched,
        accounts: scan.accounts,
        hits: scan.hits.slice(0, 50),
        replayed,
        campaigns: campaigns ? campaignsHolding(campaigns, scan.events) : [],
        seconds: scan.seconds,
      },
    };
  };

  return {
    store,
    metrics,
    writer,
    keys: new ApiKeys(store),
    get engine() {
      return engine;
    },
    restored,
    get campaigns() {
      return campaigns;
    },
    indicators,
    listIndicators(filter = {}) {
      const actor = filter.actor?.toLowerCase();
      const key = (i: Indicator) => `${i.type}\n${i.value}\n${i.source}`;
      return indicators
        .all()
        .filter(
          (i) =>
            (filter.type === undefined || i.type === filter.type) &&
            (actor === undefined || i.actor?.toLowerCase() === actor) &&
            (filter.source === undefined || i.source === filter.source),
        )
        .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    },
    actors,
    actorOverrideProblems: () => {
      actors();
      return knowledge!.problems;
    },
    listActorOverrides: async () => storedOverrides,
    async addActorOverride(override, author) {
      // Throws ActorOverrideError, naming the problem, before anything is stored.
      const kb = actors().withOverrides([override]);
      const createdAt = new Date().toISOString();
      const seq = await store.addActorOverride({
        data: JSON.stringify(override),
        author,
        createdAt,
      });
      const stored = { seq, override, author, created_at: createdAt };
      storedOverrides = [...storedOverrides, stored];
      knowledge = { kb, problems: knowledge!.problems };
      campaigns?.invalidate();
      return stored;
    },
    async removeActorOverride(seq) {
      if (!storedOverrides.some((o) => o.seq === seq)) return { removed: false, found: false };
      const rest = storedOverrides.filter((o) => o.seq !== seq);
      const before = new Set(
        (knowledge ?? buildKnowledge(storedOverrides)).problems.map((p) => p.seq),
      );
      const next = buildKnowledge(rest);
      const broken = next.problems.find((p) => !before.has(p.seq));
      if (broken)
        return {
          removed: false,
          found: true,
          problem: `override ${broken.seq} only applies with it in place (${broken.problem}); remove ${broken.seq} first`,
        };
      await store.deleteActorOverride(seq);
      storedOverrides = rest;
      knowledge = next;
      campaigns?.invalidate();
      return { removed: true, found: true };
    },
    importIndicators(list, importOptions) {
      const run = intelWork.then(() => importIndicators(list, importOptions));
      intelWork = run.catch(() => undefined);
      return run;
    },
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
    async saveState() {
      await intelWork;
      return saveState();
    },
    async close() {
      await intelWork;
      await writer.close();
      try {
        await saveState();
      } finally {
        await store.close();
      }
    },
  };
}

/** Campaigns holding any of the events (`tenant\nid` keys), by tenant. */
function campaignsHolding(
  book: CampaignBook,
  events: ReadonlySet<string>,
): { tenant: string; id: string }[] {
  const tenants = new Set([...events].map((k) => k.slice(0, k.indexOf('\n'))));
  const out: { tenant: string; id: string }[] = [];
  for (const tenant of [...tenants].sort()) {
    for (const c of book.list(tenant)) {
      if ((book.events(tenant, c.id) ?? []).some((e) => events.has(`${tenant}\n${e.event_id}`)))
        out.push({ tenant, id: c.id });
    }
  }
  return out;
}

function indicatorRow(i: Indicator, importedAt: string): IndicatorRow {
  return {
    type: i.type,
    value: i.value,
    source: i.source,
    actor: i.actor ?? null,
    validFrom: i.validFrom ?? null,
    validUntil: i.validUntil ?? null,
    data: JSON.stringify(i),
    importedAt,
  };
}

function indicatorFromRow(r: IndicatorRow): Indicator {
  return JSON.parse(r.data) as Indicator;
}

/** What of the indicator set the engine's learned state depends on. */
function digestIndicators(rows: readonly IndicatorRow[]): string {
  if (rows.length === 0) return '';
  const h = createHash('sha256');
  for (const r of rows)
    h.update(`${r.type}\t${r.value}\t${r.source}\t${r.validFrom ?? ''}\t${r.validUntil ?? ''}\n`);
  return h.digest('hex');
}

/**
 * File jobs' batches. Large ones, several in flight, when commits run beside
 * the main thread (a writer thread, PostgreSQL): a transaction of many events
 * costs less per event, and parsing goes on while one commits. One at a time
 * when the main thread commits them itself (SQLite on one core): nothing
 * could overlap, and every parsed event waiting in a batch is copied by each
 * young-generation collection it lives through; small while the ids count up,
 * large once they look random (ingest/batch-sizing.ts). On the 1.2M-event
 * bench file on one core: 36k events/s with 4 x 10,000, 43k with 1 x 2,500
 * (docs/PERFORMANCE.md).
 */
function fileBatching(store: Store): {
  batchSize: number;
  inFlight: number;
  nextBatchSize?: (rows: readonly EventRow[]) => number;
} {
  return store.writesInline
    ? { batchSize: SMALL_BATCH, inFlight: 1, nextBatchSize: inlineBatchSize }
    : { batchSize: 10_000, inFlight: 4 };
}

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
  onProgress?: (events: number) => void,
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
    onProgress?.(events);
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

  *records(): IterableIterator<DirectoryRecord> {
    for (const accounts of this.#tenants.values()) yield* accounts.values();
  }
}

let baseKnowledge: ActorKnowledgeBase | undefined;

/** The shipped actor data (data/actors.json), read once per process on first use. */
function baseKnowledgeBase(): ActorKnowledgeBase {
  return (baseKnowledge ??= ActorKnowledgeBase.load());
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
  /**
   * `native` events, a vendor's format (docs/adapters/), or `auto` (the
   * default): each file's format told from its first records.
   */
  readonly format?: RecordFormat | 'auto';
  /** Called once per file with the format used. */
  readonly onFormat?: (f: FileFormat) => void;
}

/** What `tripline ingest` did: the events, and for vendor logs the records behind them. */
export type FileIngestSummary = IngestSummary &
  Pick<RecordIngestSummary, 'records' | 'events' | 'skipped' | 'formats'>;

/**
 * `tripline ingest`: event files through the writer. Native NDJSON takes the
 * fast line path; vendor logs and other JSON shapes go through the record
 * reader and their adapter.
 */
export async function ingestEventFiles(
  app: Tripline,
  files: readonly string[],
  options: FileIngestOptions = {},
): Promise<FileIngestSummary> {
  const format = options.format ?? 'auto';
  const out = options.decisions ? await openDecisionsFile(options.decisions) : undefined;
  const sink = async (rows: EventRow[]) => {
    const results = await app.writer.submit(rows, 'file');
    if (out) {
      let text = '';
      for (const r of results) if (r.decision) text += `${JSON.stringify(r.decision)}\n`;
      await out.write(text);
    }
    return results.map((r) => r.status);
  };
  try {
    let native = format === 'native';
    const sniffed: (FileFormat & { readonly lines: boolean })[] = [];
    if (format === 'auto' && !files.includes('-')) {
      for (const file of files) sniffed.push(await sniffFormat(file, ADAPTERS));
      native = sniffed.every((f) => f.format === 'native' && f.lines);
    }
    let summary: FileIngestSummary;
    if (native) {
      const formats = files.map(
        (file, i) => sniffed[i] ?? { file, format: 'native' as const, detected: false },
      );
      for (const f of formats)
        options.onFormat?.({ file: f.file, format: f.format, detected: f.detected });
      const lines = await ingestNdjson<EventRow>({
        files,
        parse: (text) => parseEventLine(text, options.defaultTenant),
        sink,
        quarantine: new QuarantineFile(app.quarantinePath),
        ...fileBatching(app.store),
        ...options,
      });
      summary = {
        ...lines,
        records: lines.lines,
        events: lines.lines - lines.rejected,
        skipped: [],
        formats: formats.map((f) => ({ file: f.file, format: f.format, detected: f.detected })),
      };
    } else {
      summary = await ingestRecords({
        files,
        format,
        adapters: ADAPTERS,
        sink,
        quarantine: new QuarantineFile(app.quarantinePath),
        ...fileBatching(app.store),
        ...(options.defaultTenant ? { defaultTenant: options.defaultTenant } : {}),
        ...(options.stdin ? { stdin: options.stdin } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        ...(options.onReject ? { onReject: options.onReject } : {}),
        ...(options.onFormat ? { onFormat: options.onFormat } : {}),
      });
    }
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

/** Indicator files are read whole (STIX and MISP are single JSON documents). */
const MAX_INDICATOR_FILE = 256 * 1024 * 1024;

export interface IndicatorFileOptions extends IndicatorImportOptions {
  readonly format?: IndicatorFormat | 'auto';
  /** The name indicators are credited to, instead of the file's own producer. */
  readonly source?: string;
}

export interface IndicatorFileImport {
  readonly file: string;
  /** What the file held: indicators, records skipped by reason, problems by position. */
  readonly parsed: IndicatorImport;
  readonly result: IndicatorImportResult;
}

/**
 * `tripline intel import`: one indicator file, parsed, stored and put to
 * work. A file that cannot be read or is not in the format throws; records
 * that cannot be imported are in `parsed.problems` and the rest go in.
 */
export async function importIndicatorFile(
  app: Tripline,
  file: string,
  options: IndicatorFileOptions = {},
): Promise<IndicatorFileImport> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? 'no such file' : (error as Error).message);
  }
  if (size > MAX_INDICATOR_FILE)
    throw new Error(
      `${Math.round(size / 1024 / 1024)} MiB is more than the ${MAX_INDICATOR_FILE / 1024 / 1024} MiB an indicator file may have; split it`,
    );
  const parsed = parseIndicators(await readFile(file, 'utf8'), {
    format: options.format ?? 'auto',
    fileName: basename(file),
    ...(options.source ? { source: options.source } : {}),
  });
  const result =
    parsed.indicators.length > 0
      ? await app.importIndicators(parsed.indicators, options)
      : { indicators: 0, created: 0, updated: 0 };
  return { file, parsed, result };
}
