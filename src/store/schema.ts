/**
 * Table types for Kysely, shared by both backends. Times are stored as
 * canonical ISO-8601 UTC text (`2019-09-03T14:22:31.120Z`), which sorts
 * correctly as text on both SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface EventsTable {
  seq: Generated<number | string>;
  tenant: string;
  id: string;
  /** Event time, milliseconds since the epoch (the ISO text is in `event`). */
  time_ms: number | string;
  type: string;
  outcome: string;
  account_id: string;
  source_ip: string | null;
  /** The normalised native event, JSON. */
  event: string;
  /** The record as received, when it differs from `event`; NULL means byte-identical. */
  raw: string | null;
  received_at: string;
  /** allow | challenge | deny; NULL for events stored before scoring existed. */
  decision: string | null;
  score: number | null;
  /** JSON array of reasons. */
  reasons: string | null;
}

export interface DirectoryTable {
  tenant: string;
  account_id: string;
  email: string | null;
  tags: string;
  record: string;
  updated_at: string;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  scope: string;
  hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** One part of the risk engine's snapshot (migration 0003). */
export interface EngineStateTable {
  part: number;
  /** The last event seq the snapshot covers. */
  seq: number | string;
  fingerprint: string;
  saved_at: string;
  data: Uint8Array;
}

/** Analysts' edits to campaigns (migration 0004), applied in seq order. */
export interface CampaignEditsTable {
  seq: Generated<number | string>;
  tenant: string;
  campaign_id: string;
  op: string;
  /** The whole edit, JSON. */
  data: string;
  author: string;
  created_at: string;
}

/** Analysts' overrides of the actor knowledge base (migration 0004), applied in seq order. */
export interface ActorOverridesTable {
  seq: Generated<number | string>;
  data: string;
  author: string;
  created_at: string;
}

/** Imported indicators of compromise (migration 0004); one per type, value and source. */
export interface IndicatorsTable {
  type: string;
  value: string;
  source: string;
  actor: string | null;
  valid_from: string | null;
  valid_until: string | null;
  /** The whole indicator, JSON. */
  data: string;
  imported_at: string;
}

export interface Database {
  events: EventsTable;
  campaign_edits: CampaignEditsTable;
  actor_overrides: ActorOverridesTable;
  indicators: IndicatorsTable;
  engine_state: EngineStateTable;
  directory: DirectoryTable;
  api_keys: ApiKeysTable;
}
