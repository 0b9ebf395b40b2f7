/**
 * Vendor logs through the product: `tripline ingest` telling the format and
 * saying so, `POST /v1/ingest/:format`, and the round trip vendor record →
 * native event → stored → read back, with the record kept in `raw`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { ingestEventFiles, openTripline } from '../src/app.js';
import type { Tripline } from '../src/app.js';
import { buildServer } from '../src/api/server.js';
import type { AdaptOutcome, VendorFormat } from '../src/ingest/adapters/adapter.js';
import { VENDOR_FORMATS } from '../src/ingest/adapters/adapter.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-vendor-'));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  readonly name: string;
  readonly record: unknown;
  readonly want: AdaptOutcome;
}

/** The team's own fixture records of a format: those that give events, and those skipped. */
function fixtures(format: VendorFormat): { events: Case[]; skips: Case[] } {
  const doc = JSON.parse(
    readFileSync(new URL(`./fixtures/adapters/${format}/cases.json`, import.meta.url), 'utf8'),
  ) as Case[] | { cases: Case[] };
  const cases = Array.isArray(doc) ? doc : doc.cases;
  return {
    events: cases.filter((c) => c.want.kind === 'events'),
    skips: cases.filter((c) => c.want.kind === 'skip'),
  };
}

describe('ingest of every vendor format, told apart by --format auto', () => {
  for (const format of VENDOR_FORMATS) {
    test(`${format}: detected, adapted, stored and read back with the record in raw`, async () => {
      const { events, skips } = fixtures(format);
      assert.ok(events.length > 0 && skips.length > 0, 'fixtures give events and skips');
      const file = join(dir, `${format}.json`);
      // A JSON array: the shape API exports and log forwarders write.
      writeFileSync(
        file,
        JSON.stringify(
          [...events, ...skips].map((c) => c.record),
          null,
          1,
        ),
      );
      const app = await openTripline({ db: `sqlite:${join(dir, `${format}.db`)}` });
      try {
        const seen: string[] = [];
        const summary = await ingestEventFiles(app, [file], {
          onFormat: (f) => seen.push(`${f.format}:${f.detected}`),
        });
        assert.deepEqual(seen, [`${format}:true`]);
        const want = events.flatMap((c) => (c.want.kind === 'events' ? c.want.events : []));
        // Unit fixtures may reuse a vendor id across cases: the first record with an id is stored.
        const firstOf = new Map<string, Case>();
        for (const c of events)
          for (const e of c.want.kind === 'events' ? c.want.events : [])
            if (typeof e.id === 'string' && !firstOf.has(e.id)) firstOf.set(e.id, c);
        assert.equal(summary.records, events.length + skips.length);
        assert.equal(summary.rejected, 0, JSON.stringify(summary));
        assert.equal(summary.events, want.length);
        assert.equal(
          summary.skipped.reduce((n, s) => n + s.count, 0),
          skips.length,
        );
        // Round trip: what the adapter said, plus tenant and raw, is what is read back.
        for (const c of events) {
          if (c.want.kind !== 'events') continue;
          for (const e of c.want.events) {
            // Without a vendor id the validator derives one from the content.
            if (typeof e.id !== 'string' || firstOf.get(e.id) !== c) continue;
            const stored = await app.store.getEvent('default', e.id as string);
            assert.ok(stored, `${c.name}: stored as ${String(e.id)}`);
            assert.deepEqual(stored.event.raw, c.record, `${c.name}: raw is the vendor record`);
            assert.equal(stored.event.type, e.type, c.name);
            assert.equal(stored.event.account.id, (e.account as { id: string }).id, c.name);
            assert.ok(stored.decision, `${c.name}: scored`);
          }
        }
        // Re-ingesting the export stores nothing twice.
        const again = await ingestEventFiles(app, [file], { format });
        assert.equal(again.accepted, 0);
        assert.equal(again.duplicates, want.length);
        assert.equal(summary.accepted + summary.duplicates, want.length);
      } finally {
        await app.close();
      }
    });
  }
});

describe('CLI and HTTP', () => {
  let app: Tripline;
  let server: FastifyInstance;
  let key = '';
  before(async () => {
    app = await openTripline({ db: `sqlite:${join(dir, 'http.db')}` });
    server = await buildServer(app);
    key = (await app.keys.create({ scope: 'ingest' })).key;
  });
  after(async () => {
    await server.close();
    await app.close();
  });

  test('tripline ingest says what it detected and lists what it skipped; an unknown format is a clear error', async () => {
    const { events, skips } = fixtures('okta');
    const file = join(dir, 'okta.ndjson');
    writeFileSync(
      file,
      [...events, ...skips].map((c) => JSON.stringify(c.record)).join('\n') + '\n',
    );
    const db = `sqlite:${join(dir, 'cli.db')}`;
    const r = await runCli(['ingest', file, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /okta\.ndjson: detected Okta System Log \(okta\)/);
    assert.match(
      r.stdout,
      /vendor record\(s\) gave \d+ event\(s\); skipped \d+ of kinds Tripline does not use:/,
    );
    assert.match(r.stdout, / okta [a-z.]+/);
    const bad = join(dir, 'mystery.ndjson');
    writeFileSync(bad, '{"hello":"world"}\n');
    const unknown = await runCli(['ingest', bad, '--db', db]);
    assert.equal(unknown.code, 1);
    assert.match(
      unknown.stderr,
      /mystery\.ndjson: cannot tell the format from its first 1 record\(s\)/,
    );
    const wrong = await runCli(['ingest', bad, '--format', 'splunk', '--db', db]);
    assert.equal(wrong.code, 2);
    assert.match(
      wrong.stderr,
      /--format: unknown format "splunk" \(expected auto, native, entra, okta, workspace, ocsf, m365\)/,
    );
  });

  test('POST /v1/ingest/:format: a Graph page of Entra records; counts, skips, decisions; bad input', async () => {
    const { events, skips } = fixtures('entra');
    const page = { '@odata.context': 'x', value: [...events, ...skips].map((c) => c.record) };
    const res = await server.inject({
      method: 'POST',
      url: '/v1/ingest/entra?decisions=true',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: JSON.stringify(page),
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.format, 'entra');
    assert.equal(body.records, events.length + skips.length);
    assert.equal(body.accepted, body.events);
    assert.equal(body.results.length, body.events);
    assert.equal(
      body.skipped.reduce((n: number, s: { count: number }) => n + s.count, 0),
      skips.length,
    );
    assert.deepEqual(body.rejected, []);
    const auto = await server.inject({
      method: 'POST',
      url: '/v1/ingest/auto',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      payload: `${JSON.stringify(events[0]!.record)}\n{"broken":\n`,
    });
    assert.equal(auto.statusCode, 200, auto.body);
    assert.equal(auto.json().format, 'entra');
    assert.equal(auto.json().duplicates, 1);
    assert.deepEqual(auto.json().rejected, [
      { position: 'line 2', error: 'the input ends inside this record' },
    ]);
    const unknown = await server.inject({
      method: 'POST',
      url: '/v1/ingest/splunk',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.json().error.message, /no format splunk: expected one of auto, native/);
    const empty = await server.inject({
      method: 'POST',
      url: '/v1/ingest/okta',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      payload: ' ',
    });
    assert.equal(empty.statusCode, 400);
  });
});
