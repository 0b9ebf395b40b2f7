/**
 * The writer under concurrency: many submissions at once, overlapping ids,
 * every backend. Outcomes must be as if the submissions ran one after another.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openTripline } from '../src/app.js';
import type { EventRow } from '../src/domain/event-row.js';
import { toEventRow } from '../src/ingest/parse-event-line.js';
import { backends } from './helpers/backends.js';
import { event } from './helpers/events.js';

function row(id: string): EventRow {
  const value = event({ id });
  const parsed = toEventRow(value, JSON.stringify(value));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

for (const { backend, skip } of await backends()) {
  describe(`event writer: ${backend.name}`, { skip }, () => {
    after(() => backend.cleanup());

    test('concurrent overlapping submissions: the first in order wins each id', async () => {
      const app = await openTripline({ db: await backend.fresh(), writer: { maxBatch: 50 } });
      try {
        // 60 submissions of 1-40 ids drawn from a pool of 300, so ids repeat within and across them.
        let state = 7;
        const next = () => (state = (state * 1103515245 + 12345) % 2147483648);
        const submissions = Array.from({ length: 60 }, () =>
          Array.from({ length: 1 + (next() % 40) }, () => `w-${next() % 300}`),
        );
        const results = await Promise.all(
          submissions.map((ids) => app.writer.submit(ids.map(row), 'test')),
        );
        const seen = new Set<string>();
        submissions.forEach((ids, s) =>
          ids.forEach((id, i) => {
            const want = seen.has(id) ? 'duplicate' : 'accepted';
            seen.add(id);
            assert.equal(results[s]![i]!.status, want, `submission ${s}, item ${i} (${id})`);
          }),
        );
        assert.equal(await app.store.countEvents(), seen.size);
        assert.equal(app.metrics.events.get({ source: 'test', result: 'accepted' }), seen.size);
        // Every event was decided once: repeats carry the first decision.
        const first = new Map<string, unknown>();
        submissions.forEach((ids, s) =>
          ids.forEach((id, i) => {
            const d = results[s]![i]!.decision;
            assert.ok(d, 'every event gets a decision');
            if (first.has(id)) assert.deepEqual(d, first.get(id), id);
            else first.set(id, d);
          }),
        );
      } finally {
        await app.close();
      }
    });

    test('quiesce: runs once what was taken is committed; what arrives meanwhile waits, then commits', async () => {
      const app = await openTripline({ db: await backend.fresh(), writer: { maxBatch: 10 } });
      try {
        const before = Array.from({ length: 5 }, (_, i) =>
          app.writer.submit([row(`q-a${i}`), row(`q-b${i}`)], 'test'),
        );
        await new Promise((r) => setImmediate(r)); // the first batches are on their way
        let during: Promise<unknown> | undefined;
        const counted = await app.writer.quiesce(async () => {
          const atStart = await app.store.countEvents();
          during = app.writer.submit([row('q-late')], 'test');
          await new Promise((r) => setTimeout(r, 30));
          assert.equal(await app.store.countEvents(), atStart, 'nothing commits while quiesced');
          return atStart;
        });
        await Promise.all(before);
        assert.ok(counted >= 2 && counted <= 10, `${counted} committed before, none half-way`);
        const late = (await during) as { status: string }[];
        assert.equal(late[0]!.status, 'accepted', 'the submission made meanwhile went on after');
        assert.equal(await app.store.countEvents(), 11);
      } finally {
        await app.close();
      }
    });

    test('close commits everything queued first', async () => {
      const db = await backend.fresh();
      const app = await openTripline({ db, writer: { maxDelayMs: 50 } });
      const pending = app.writer.submit([row('late-1'), row('late-2')], 'test');
      await app.close();
      assert.deepEqual(
        (await pending).map((r) => r.status),
        ['accepted', 'accepted'],
      );
      const again = await openTripline({ db });
      try {
        assert.equal(await again.store.countEvents(), 2);
        await assert.rejects(app.writer.submit([row('x')], 'test'), /writer is closed/);
      } finally {
        await again.close();
      }
    });
  });
}
