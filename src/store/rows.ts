/**
 * Row ↔ domain conversions shared by both backends, so they cannot drift apart.
 */
import type { DirectoryRecord } from '../domain/directory-record.js';
import type { Decision } from '../domain/decision.js';
import type { EventRow } from '../domain/event-row.js';
import type { NativeEvent } from '../domain/event.js';
import type { ApiKeyRow, ApiScope, StoredEvent } from './port.js';
import type { ApiKeysTable, DirectoryTable } from './schema.js';

export interface EventSelect {
  seq: number | string;
  id: string;
  event: string;
  raw: string | null;
  received_at: string;
  decision: string | null;
  score: number | null;
  reasons: string | null;
}

export function toStoredEvent(row: EventSelect): StoredEvent {
  const decision = toDecision(row);
  return {
    seq: Number(row.seq),
    event: JSON.parse(row.event) as NativeEvent,
    raw: row.raw ?? row.event,
    receivedAt: row.received_at,
    ...(decision ? { decision } : {}),
  };
}

export function toDecision(
  row: Pick<EventSelect, 'id' | 'decision' | 'score' | 'reasons'>,
): Decision | undefined {
  if (row.decision === null) return undefined;
  return {
    event_id: row.id,
    decision: row.decision as Decision['decision'],
    score: Number(row.score),
    reasons: row.reasons ? (JSON.parse(row.reasons) as Decision['reasons']) : [],
  };
}

export function toDirectoryRow(record: DirectoryRecord, now: string): DirectoryTable {
  return {
    tenant: record.tenant,
    account_id: record.account.id,
    email: record.account.email ?? null,
    tags: JSON.stringify(record.account.tags ?? []),
    record: JSON.stringify(record),
    updated_at: now,
  };
}

export function toApiKeyRow(row: ApiKeysTable): ApiKeyRow {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope as ApiScope,
    hash: row.hash,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function fromApiKeyRow(row: ApiKeyRow): ApiKeysTable {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    hash: row.hash,
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
    revoked_at: row.revokedAt,
  };
}

/**
 * The indexed and decision columns of an event row, in table order: tenant,
 * id, time_ms, type, outcome, account_id, source_ip, decision, score,
 * reasons (JSON). The event JSON, raw record and receipt time follow them.
 */
export function eventColumns(
  row: EventRow,
): [
  string,
  string,
  number,
  string,
  string,
  string,
  string | null,
  string | null,
  number | null,
  string | null,
] {
  const { event, decision: d } = row;
  return [
    event.tenant,
    event.id,
    row.timeMs,
    event.type,
    event.outcome,
    event.account.id,
    event.source?.ip ?? null,
    d ? d.decision : null,
    d ? d.score : null,
    // Most events are allowed with no reason.
    d ? (d.reasons.length === 0 ? '[]' : JSON.stringify(d.reasons)) : null,
  ];
}

/** Marks later repeats of an id inside one batch, which the database would also ignore. */
export function firstOccurrences(rows: readonly { event: NativeEvent }[]): boolean[] {
  const seen = new Set<string>();
  return rows.map((r) => {
    const key = `${r.event.tenant}\u0000${r.event.id}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
