/**
 * SQLite's per-account index leads with the event's day (migration 0005). A
 * database made before it is upgraded in place on open: the old index goes,
 * the new one covers the rows already stored, and an account's events are
 * read through it (the statement names the index: it fails without it).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import type { EventRow } from '../src/domain/event-row.js';
import { toEventRow } from '../src/ingest/parse-event-line.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { event } from './helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-account-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function row(value: Record<string, unknown>): EventRow {
  const parsed = toEventRow(value, JSON.stringify(value));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const indexes = (path: string): string[] => {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    return (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
        .all() as { name: string }[]
    )
      .map((r) => r.name)
      .filter((n) => !n.startsWith('sqlite_'))
      .sort();
  } finally {
    db.close();
  }
};

test('a database from before migration 0005 is upgraded on open and keeps its rows', async () => {
  const path = join(dir, 'old.db');
  const store = await SqliteStore.open(path, { writer: 'inline' });
  const days = [0, 40, 80, 120].map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString());
  await store.insertEvents(
    days.map((time, i) => row(event({ id: `e-${i}`, time, account: { id: 'u-1' } }))),
  );
  await store.close();

  // Put the database back the way 0001-0004 left it.
  const db = new BetterSqlite3(path);
  db.exec(`DROP INDEX events_day_account;
    CREATE INDEX events_account_time ON events (account_id, time_ms);
    DELETE FROM kysely_migration WHERE name = '0005-account-day-index';`);
  db.close();
  assert.deepEqual(indexes(path), ['events_account_time', 'events_tenant_id']);

  const again = await SqliteStore.open(path, { writer: 'inline' });
  try {
    assert.deepEqual(indexes(path), ['events_day_account', 'events_tenant_id']);
    const listed = await again.listAccountEvents('default', 'u-1', 10);
    assert.deepEqual(
      listed.map((e) => e.event.id),
      ['e-3', 'e-2', 'e-1', 'e-0'],
    );
  } finally {
    await again.close();
  }
});
