/**
 * SQLite writes event batches on a writer thread or, on a single core, on the
 * main thread: both modes store the same rows, dedupe the same way and give
 * the same decisions, and a database written in one mode opens in the other.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import BetterSqlite3 from 'better-sqlite3';
import { importDirectoryFiles, ingestEventFiles, openTripline } from '../src/app.js';
import type { EventRow } from '../src/domain/event-row.js';
import { toEventRow } from '../src/ingest/parse-event-line.js';
import { simulate } from '../src/simulate/index.js';
import { SqliteStore, sqliteWriterMode } from '../src/store/sqlite/sqlite-store.js';
import { event, events } from './helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-writer-mode-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function row(value: Record<string, unknown>): EventRow {
  const parsed = toEventRow(value, JSON.stringify(value));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('SQLite writer mode', () => {
  test('is thread, inline or auto, from the option before the environment', () => {
    const saved = process.env.TRIPLINE_SQLITE_WRITER;
    try {
      delete process.env.TRIPLINE_SQLITE_WRITER;
      assert.equal(sqliteWriterMode(undefined), 'auto');
      process.env.TRIPLINE_SQLITE_WRITER = 'inline';
      assert.equal(sqliteWriterMode(undefined), 'inline');
      assert.equal(sqliteWriterMode('thread'), 'thread');
      process.env.TRIPLINE_SQLITE_WRITER = 'threads';
      assert.throws(
        () => sqliteWriterMode(undefined),
        /"threads".*expected thread, inline or auto/,
      );
    } finally {
      if (saved === undefined) delete process.env.TRIPLINE_SQLITE_WRITER;
      else process.env.TRIPLINE_SQLITE_WRITER = saved;
    }
  });

  test('an app writes inline on one core, on a thread otherwise, unless the environment says', async () => {
    const saved = process.env.TRIPLINE_SQLITE_WRITER;
    delete process.env.TRIPLINE_SQLITE_WRITER;
    const opened: Awaited<ReturnType<typeof openTripline>>[] = [];
    try {
      const app = await openTripline({ db: `sqlite:${join(dir, 'auto.db')}`, score: false });
      opened.push(app);
      assert.equal(app.store.writesInline, availableParallelism() === 1);
      process.env.TRIPLINE_SQLITE_WRITER = 'inline';
      const forced = await openTripline({ db: `sqlite:${join(dir, 'forced.db')}`, score: false });
      opened.push(forced);
      assert.equal(forced.store.writesInline, true, 'the environment wins over the default');
      delete process.env.TRIPLINE_SQLITE_WRITER;
      // A server asks for a thread only from three cores.
      const cores = availableParallelism();
      for (const [from, inline] of [
        [cores, false],
        [cores + 1, true],
      ] as const) {
        const served = await openTripline({
          db: `sqlite:${join(dir, `served-${from}.db`)}`,
          score: false,
          sqliteThreadFromCores: from,
        });
        opened.push(served);
        assert.equal(served.store.writesInline, inline, `a thread from ${from} cores on ${cores}`);
      }
    } finally {
      for (const a of opened) await a.close();
      if (saved === undefined) delete process.env.TRIPLINE_SQLITE_WRITER;
      else process.env.TRIPLINE_SQLITE_WRITER = saved;
    }
  });

  test('a database written in one mode is read and extended in the other', async () => {
    const path = join(dir, 'both.db');
    const first = await SqliteStore.open(path, { writer: 'inline' });
    assert.equal(first.writerThread, false);
    const batch = events(4).map(row);
    try {
      assert.deepEqual(await first.insertEvents(batch), Array(4).fill('accepted'));
      assert.deepEqual(await first.insertEvents([batch[1]!, row(event({ id: 'x' })), batch[1]!]), [
        'duplicate',
        'accepted',
        'duplicate',
      ]);
    } finally {
      await first.close();
    }
    const second = await SqliteStore.open(path, { writer: 'thread' });
    assert.equal(second.writerThread, true);
    try {
      assert.equal(await second.countEvents(), 5);
      assert.deepEqual(await second.insertEvents([batch[0]!, row(event({ id: 'y' }))]), [
        'duplicate',
        'accepted',
      ]);
    } finally {
      await second.close();
    }
    const third = await SqliteStore.open(path, { writer: 'inline' });
    try {
      assert.equal(await third.countEvents(), 6);
    } finally {
      await third.close();
    }
  });

  test(
    'scored ingest stores the same rows and decisions in both modes',
    { timeout: 120_000 },
    async () => {
      const sim = await simulate({
        scenario: 'mixed',
        seed: 5,
        outDir: join(dir, 'sim'),
        accounts: 200,
        days: 5,
      });
      const stored: Record<string, unknown>[][] = [];
      for (const mode of ['thread', 'inline'] as const) {
        const path = join(dir, `ingest-${mode}.db`);
        const app = await openTripline({ db: `sqlite:${path}`, sqliteWriter: mode });
        try {
          await importDirectoryFiles(app, [sim.files.directory]);
          const summary = await ingestEventFiles(app, [sim.files.events]);
          assert.equal(summary.accepted, sim.events);
          const again = await ingestEventFiles(app, [sim.files.events]);
          assert.equal(again.duplicates, sim.events, 'a second pass stores nothing twice');
        } finally {
          await app.close();
        }
        const db = new BetterSqlite3(path, { readonly: true });
        try {
          stored.push(
            db
              .prepare(
                'SELECT id, time_ms, type, outcome, account_id, source_ip, decision, score, reasons, event, raw FROM events ORDER BY seq',
              )
              .all() as Record<string, unknown>[],
          );
        } finally {
          db.close();
        }
      }
      const [threaded, inline] = stored;
      assert.equal(threaded!.length, sim.events);
      assert.ok(threaded!.some((r) => r.decision !== 'allow'));
      assert.deepEqual(inline, threaded);
    },
  );
});
