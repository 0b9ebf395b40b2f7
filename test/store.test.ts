/**
 * The store contract: one suite, run against every backend.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { EventRow } from '../src/domain/event-row.js';
import { toEventRow } from '../src/ingest/parse-event-line.js';
import { validateDirectoryRecord } from '../src/ingest/validate-directory-record.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/port.js';
import { backends } from './helpers/backends.js';
import { event, events } from './helpers/events.js';

function row(value: Record<string, unknown>): EventRow {
  const parsed = toEventRow(value, JSON.stringify(value));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

for (const { backend, skip } of await backends()) {
  describe(`store contract: ${backend.name}`, { skip }, () => {
    after(() => backend.cleanup());
    const withStore = async (fn: (store: Store, db: string) => Promise<void>) => {
      const db = await backend.fresh();
      const store = await openStore(db);
      try {
        await fn(store, db);
      } finally {
        await store.close();
      }
    };

    test('stores events and reports duplicates, within and across batches', () =>
      withStore(async (store) => {
        const batch = events(5).map(row);
        assert.deepEqual(await store.insertEvents(batch), Array(5).fill('accepted'));
        assert.deepEqual(
          await store.insertEvents([batch[0]!, row(event({ id: 'new' })), batch[0]!]),
          ['duplicate', 'accepted', 'duplicate'],
        );
        assert.equal(await store.countEvents(), 6);
        assert.deepEqual(await store.insertEvents([]), []);
      }));

    test('engine state: saved in parts, loaded whole, replaced as one', () =>
      withStore(async (store) => {
        assert.equal(await store.loadEngineState(), undefined);
        assert.equal(await store.maxSeq(), 0);
        const big = new Uint8Array(20 * 1024 * 1024 + 123); // three parts
        for (let i = 0; i < big.length; i += 4099) big[i] = i % 251;
        await store.saveEngineState({ seq: 42, fingerprint: 'f1', savedAt: 'now', data: big });
        const loaded = await store.loadEngineState();
        assert.equal(loaded!.seq, 42);
        assert.equal(loaded!.fingerprint, 'f1');
        assert.equal(Buffer.compare(Buffer.from(loaded!.data), Buffer.from(big)), 0);
        const small = new Uint8Array([1, 2, 3]);
        await store.saveEngineState({ seq: 43, fingerprint: 'f2', savedAt: 'now', data: small });
        const again = await store.loadEngineState();
        assert.deepEqual([...again!.data], [1, 2, 3], 'old parts are gone');
        await store.insertEvents(events(3).map(row));
        assert.equal((await store.maxSeq()) >= 3, true);
        assert.equal(await store.countEventsAfter(0), 3);
      }));

    test('the same id in two tenants is two events', () =>
      withStore(async (store) => {
        await store.insertEvents([row(event({ tenant: 'a' })), row(event({ tenant: 'b' }))]);
        assert.equal(await store.countEvents(), 2);
        assert.equal(await store.countEvents('a'), 1);
      }));

    test('keeps the raw record and the normalised event', () =>
      withStore(async (store) => {
        const input = {
          time: '2026-10-01T14:00:00+02:00',
          type: 'signin',
          account: { id: 'u-9' },
          extra: [1],
        };
        const text = JSON.stringify(input);
        const parsed = toEventRow(input, text);
        assert.ok(parsed.ok);
        await store.insertEvents([parsed.value]);
        const stored = await store.getEvent('default', parsed.value.event.id);
        assert.ok(stored);
        assert.equal(stored.raw, text);
        assert.equal(stored.event.time, '2026-10-01T12:00:00.000Z');
        assert.deepEqual(stored.event.extra, [1]);

        const same = row(event({ id: 'verbatim' }));
        assert.equal(same.raw, null);
        await store.insertEvents([same]);
        assert.equal((await store.getEvent('default', 'verbatim'))!.raw, same.eventJson);
      }));

    test('lists an account’s events newest first', () =>
      withStore(async (store) => {
        await store.insertEvents(events(34).map(row));
        const list = await store.listAccountEvents('default', 'u-3', 10);
        assert.deepEqual(
          list.map((e) => e.event.id),
          ['evt-20', 'evt-3'],
        );
        assert.equal(await store.getEvent('default', 'nope'), undefined);
      }));

    test('an account’s events over many days, stored out of order, come newest first', () =>
      withStore(async (store) => {
        const day = 86_400_000;
        const start = Date.UTC(2026, 0, 1);
        // 200 days (more than one lookup's run of days), every third day for
        // u-a, two events on the same instant, a late event, other accounts
        // and another tenant in between.
        const rows: EventRow[] = [];
        for (let d = 0; d < 200; d += 3) {
          const at = (ms: number) => new Date(start + d * day + ms).toISOString();
          rows.push(row(event({ id: `a-${d}`, time: at(5_000), account: { id: 'u-a' } })));
          rows.push(row(event({ id: `b-${d}`, time: at(6_000), account: { id: 'u-b' } })));
          rows.push(
            row(event({ id: `t-${d}`, tenant: 'other', time: at(7_000), account: { id: 'u-a' } })),
          );
        }
        rows.push(row(event({ id: 'a-same', time: rows[0]!.event.time, account: { id: 'u-a' } })));
        await store.insertEvents(rows.slice(3));
        await store.insertEvents(rows.slice(0, 3)); // the oldest day arrives last
        const all = await store.listAccountEvents('default', 'u-a', 1000);
        const expected = [];
        for (let d = 198; d >= 0; d -= 3) expected.push(`a-${d}`);
        expected.push('a-same'); // same time as a-0, stored before it
        assert.deepEqual(
          all.map((e) => e.event.id),
          expected,
        );
        const some = await store.listAccountEvents('default', 'u-a', 30);
        assert.deepEqual(
          some.map((e) => e.event.id),
          expected.slice(0, 30),
        );
        assert.deepEqual(await store.listAccountEvents('default', 'u-none', 10), []);
        assert.deepEqual(await store.listAccountEvents('default', 'u-a', 0), []);
        assert.equal((await store.listAccountEvents('other', 'u-a', 1000)).length, 67);
      }));

    test('decisions are stored with their event and found again', () =>
      withStore(async (store) => {
        const decided = {
          ...row(event({ id: 'd-1' })),
          decision: {
            event_id: 'd-1',
            decision: 'challenge' as const,
            score: 0.625,
            reasons: [{ detector: 'unfamiliar-signin', score: 0.625, detail: 'new network' }],
          },
        };
        await store.insertEvents([decided, row(event({ id: 'd-2' }))]);
        assert.deepEqual((await store.getEvent('default', 'd-1'))?.decision, decided.decision);
        assert.equal((await store.getEvent('default', 'd-2'))?.decision, undefined);
        const found = await store.findStored('default', ['d-1', 'd-2', 'd-3', 'd-1']);
        assert.deepEqual([...found.keys()].sort(), ['d-1', 'd-2']);
        assert.deepEqual(found.get('d-1'), decided.decision);
        assert.equal(found.get('d-2'), undefined);
        assert.equal((await store.findStored('other', ['d-1'])).size, 0);
      }));

    test('counts events by type', () =>
      withStore(async (store) => {
        await store.insertEvents([
          row(event({ id: 'a' })),
          row(event({ id: 'b' })),
          row(event({ id: 'c', type: 'password.reset.requested' })),
        ]);
        assert.deepEqual(await store.eventTypeCounts(), [
          { type: 'signin', count: 2 },
          { type: 'password.reset.requested', count: 1 },
        ]);
      }));

    test('directory upsert creates, then updates', () =>
      withStore(async (store) => {
        const rec = (id: string, tags: string[]) => {
          const r = validateDirectoryRecord({
            account: { id, tags },
            recovery: [{ channel: 'kba' }],
            mfa: [],
          });
          if (!r.ok) throw new Error('bad');
          return r.value;
        };
        assert.deepEqual(await store.upsertDirectory([rec('u-1', ['general']), rec('u-2', [])]), {
          created: 2,
          updated: 0,
        });
        assert.deepEqual(
          await store.upsertDirectory([
            rec('u-1', ['journalist']),
            rec('u-3', []),
            rec('u-3', ['x']),
          ]),
          {
            created: 1,
            updated: 2,
          },
        );
        assert.equal(await store.countDirectory(), 3);
        assert.deepEqual((await store.listDirectory()).map((r) => r.account.id).sort(), [
          'u-1',
          'u-2',
          'u-3',
        ]);
        const got = await store.getDirectoryRecord('default', 'u-3');
        assert.deepEqual(got?.account.tags, ['x']);
        assert.deepEqual((await store.getDirectoryRecord('default', 'u-1'))?.account.tags, [
          'journalist',
        ]);
      }));

    test('api keys: create, find, list, revoke once', () =>
      withStore(async (store) => {
        const k = {
          id: 'abc',
          name: 'collector',
          scope: 'ingest' as const,
          hash: 'scrypt$x',
          createdAt: '2026-10-01T00:00:00.000Z',
          lastUsedAt: null,
          revokedAt: null,
        };
        await store.createApiKey(k);
        assert.deepEqual(await store.findApiKey('abc'), k);
        assert.equal((await store.listApiKeys()).length, 1);
        assert.equal(await store.revokeApiKey('abc', '2026-10-02T00:00:00.000Z'), true);
        assert.equal(await store.revokeApiKey('abc', '2026-10-03T00:00:00.000Z'), false);
        assert.equal(await store.revokeApiKey('zzz', '2026-10-03T00:00:00.000Z'), false);
        assert.equal((await store.findApiKey('abc'))?.revokedAt, '2026-10-02T00:00:00.000Z');
      }));

    test('data and migrations survive reopening', async () => {
      const db = await backend.fresh();
      const first = await openStore(db);
      await first.insertEvents(events(3).map(row));
      await first.close();
      const second = await openStore(db);
      try {
        assert.equal(await second.countEvents(), 3);
        assert.deepEqual(await second.insertEvents(events(4).map(row)), [
          'duplicate',
          'duplicate',
          'duplicate',
          'accepted',
        ]);
      } finally {
        await second.close();
      }
    });

    test('indicators: bulk upsert creates, then replaces by type, value and source', () =>
      withStore(async (store) => {
        const ind = (value: string, source: string, actor: string | null, n = 0) => ({
          type: 'ip',
          value,
          source,
          actor,
          validFrom: null,
          validUntil: null,
          data: JSON.stringify({ type: 'ip', value, source, n }),
          importedAt: `2026-11-24T00:00:0${n}Z`,
        });
        const first = Array.from({ length: 250 }, (_, i) => ind(`198.51.100.${i}`, 'feed-a', null));
        assert.deepEqual(await store.upsertIndicators(first), { created: 250, updated: 0 });
        const second = [
          ind('198.51.100.1', 'feed-a', 'APT35', 1),
          ind('198.51.100.1', 'feed-b', 'Charming Kitten', 1),
          ind('198.51.100.1', 'feed-b', 'Phosphorus', 2), // the last of a repeated key wins
        ];
        assert.deepEqual(await store.upsertIndicators(second), { created: 1, updated: 1 });
        const rows = await store.listIndicators();
        assert.equal(rows.length, 251);
        const one = rows.filter((r) => r.value === '198.51.100.1');
        assert.deepEqual(
          one.map((r) => [r.source, r.actor, JSON.parse(r.data).n, r.importedAt]),
          [
            ['feed-a', 'APT35', 1, '2026-11-24T00:00:01Z'],
            ['feed-b', 'Phosphorus', 2, '2026-11-24T00:00:02Z'],
          ],
        );
        assert.deepEqual(await store.upsertIndicators([]), { created: 0, updated: 0 });
      }));

    test('actor overrides: added in order, listed, deleted once', () =>
      withStore(async (store) => {
        const a = await store.addActorOverride({
          data: '{"op":"split"}',
          author: 'ana',
          createdAt: 't1',
        });
        const b = await store.addActorOverride({
          data: '{"op":"merge"}',
          author: 'bo',
          createdAt: 't2',
        });
        assert.ok(b > a);
        assert.deepEqual(
          (await store.listActorOverrides()).map((r) => [r.seq, r.data, r.author]),
          [
            [a, '{"op":"split"}', 'ana'],
            [b, '{"op":"merge"}', 'bo'],
          ],
        );
        assert.equal(await store.deleteActorOverride(a), true);
        assert.equal(await store.deleteActorOverride(a), false);
        assert.equal((await store.listActorOverrides()).length, 1);
      }));

    test('a large batch commits in one call', () =>
      withStore(async (store) => {
        const rows = events(20_000, 'big').map(row);
        const outcomes = await store.insertEvents(rows);
        assert.equal(outcomes.filter((o) => o === 'accepted').length, 20_000);
        assert.equal(await store.countEvents(), 20_000);
      }));
  });
}
