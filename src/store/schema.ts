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

export interface Database {
  events: EventsTable;
  engine_state: EngineStateTable;
  directory: DirectoryTable;
  api_keys: ApiKeysTable;
}
