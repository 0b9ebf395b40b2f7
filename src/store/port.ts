/**
 * The store interface. Both backends (`sqlite/`, `postgres/`) implement it and
 * run the same contract suite (test/store.test.ts).
 *
 * @example
 * const store = await openStore('sqlite:./tripline.db');
 * const outcomes = await store.insertEvents([{ event, eventJson, raw: null }]);
 * await store.close();
 */
import type { DirectoryRecord } from '../domain/directory-record.js';
import type { Decision } from '../domain/decision.js';
import type { NativeEvent } from '../domain/event.js';

export type Dialect = 'sqlite' | 'postgres';

export type { EventRow } from '../domain/event-row.js';
import type { EventRow } from '../domain/event-row.js';

export type InsertOutcome = 'accepted' | 'duplicate';

export interface StoredEvent {
  readonly seq: number;
  readonly event: NativeEvent;
  /** The record exactly as it was received. */
  readonly raw: string;
  readonly receivedAt: string;
  /** The decision taken when it was ingested. */
  readonly decision?: Decision;
}

/** A snapshot of the risk engine's state: it covers the events up to `seq`. */
export interface EngineState {
  readonly seq: number;
  /** What the state depends on (engine format, policy): another fingerprint means replay instead. */
  readonly fingerprint: string;
  readonly savedAt: string;
  readonly data: Uint8Array;
}

export interface ScannedEvent {
  readonly seq: number;
  readonly event: NativeEvent;
  readonly timeMs: number;
}

export type ApiScope = 'ingest' | 'read' | 'admin';

export interface ApiKeyRow {
  readonly id: string;
  readonly name: string;
  readonly scope: ApiScope;
  /** `scrypt$N$r$p$salt$hash`, never the key itself. */
  readonly hash: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** An analyst's edit to a campaign; `data` is the whole edit as JSON. */
export interface CampaignEditRow {
  readonly seq: number;
  readonly tenant: string;
  readonly campaignId: string;
  readonly op: string;
  readonly data: string;
  readonly author: string;
  readonly createdAt: string;
}

/** An analyst's override of the actor knowledge base, as JSON. */
export interface ActorOverrideRow {
  readonly seq: number;
  readonly data: string;
  readonly author: string;
  readonly createdAt: string;
}

/** An imported indicator; `data` is the whole indicator as JSON. */
export interface IndicatorRow {
  readonly type: string;
  readonly value: string;
  readonly source: string;
  readonly actor: string | null;
  readonly validFrom: string | null;
  readonly validUntil: string | null;
  readonly data: string;
  readonly importedAt: string;
}

export interface DirectoryImportResult {
  readonly created: number;
  readonly updated: number;
}

export interface Store {
  readonly dialect: Dialect;
  /** Where the data lives, with any password removed; safe to print. */
  readonly location: string;
  /**
   * How many `insertEvents` calls may be pending at once. More than 1 only
   * where the backend applies them in call order (so ids and duplicates
   * resolve as if sequential).
   */
  readonly pipelineDepth: number;

  /**
   * Whether `insertEvents` does its work on the calling thread (SQLite without
   * a writer thread). A file job then has nothing to overlap a commit with:
   * it keeps one small batch in flight, so fewer parsed events are alive when
   * the young generation is collected.
   */
  readonly writesInline: boolean;

  /**
   * Stores a batch in one transaction. Returns one outcome per row, in order;
   * an id already stored (or earlier in the same batch) is a duplicate.
   * When the promise resolves, the batch is committed.
   */
  insertEvents(rows: readonly EventRow[]): Promise<InsertOutcome[]>;
  countEvents(tenant?: string): Promise<number>;
  /** Stored events by type, most frequent first. */
  eventTypeCounts(tenant?: string): Promise<{ type: string; count: number }[]>;
  getEvent(tenant: string, id: string): Promise<StoredEvent | undefined>;
  /**
   * Which of these ids are stored already, with the decision each got: the
   * writer does not score an event twice.
   */
  findStored(tenant: string, ids: readonly string[]): Promise<Map<string, Decision | undefined>>;
  /** The highest event seq stored (0 when none). */
  maxSeq(): Promise<number>;
  /** Events stored with a seq above `afterSeq` (to tell one's own inserts from another writer's). */
  countEventsAfter(afterSeq: number): Promise<number>;
  /** Replaces the risk engine's snapshot (in one transaction). */
  saveEngineState(state: EngineState): Promise<void>;
  /** The risk engine's snapshot, if one was saved. */
  loadEngineState(): Promise<EngineState | undefined>;
  /** Events stored after `afterSeq`, in storage order, at most `limit` (to rebuild state on start). */
  scanEvents(afterSeq: number, limit: number): Promise<ScannedEvent[]>;
  /** Newest first. */
  listAccountEvents(tenant: string, accountId: string, limit: number): Promise<StoredEvent[]>;

  /** Creates or replaces directory records in one transaction. */
  upsertDirectory(records: readonly DirectoryRecord[]): Promise<DirectoryImportResult>;
  getDirectoryRecord(tenant: string, accountId: string): Promise<DirectoryRecord | undefined>;
  countDirectory(tenant?: string): Promise<number>;
  /** Every directory record (to load the enrich stage's lookup). */
  listDirectory(): Promise<DirectoryRecord[]>;

  /** Records an edit; resolves to its seq (edits apply in seq order). */
  addCampaignEdit(edit: Omit<CampaignEditRow, 'seq'>): Promise<number>;
  listCampaignEdits(tenant?: string): Promise<CampaignEditRow[]>;
  addActorOverride(row: Omit<ActorOverrideRow, 'seq'>): Promise<number>;
  listActorOverrides(): Promise<ActorOverrideRow[]>;
  /** Returns false when there is no such override. */
  deleteActorOverride(seq: number): Promise<boolean>;
  /** Creates or replaces indicators (by type, value and source) in one transaction. */
  upsertIndicators(rows: readonly IndicatorRow[]): Promise<DirectoryImportResult>;
  listIndicators(): Promise<IndicatorRow[]>;

  createApiKey(row: ApiKeyRow): Promise<void>;
  findApiKey(id: string): Promise<ApiKeyRow | undefined>;
  listApiKeys(): Promise<ApiKeyRow[]>;
  /** Returns false when no such key exists or it was already revoked. */
  revokeApiKey(id: string, at: string): Promise<boolean>;
  touchApiKey(id: string, at: string): Promise<void>;

  close(): Promise<void>;
}
