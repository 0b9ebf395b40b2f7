/**
 * Reading records whatever shape they come in (NDJSON, arrays, API wrappers,
 * gzip, split anywhere), and the vendor-ingest job around the adapters:
 * format detection, skips counted by reason, malformed records quarantined
 * with their position, `raw` kept, nothing fatal.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, describe, test } from 'node:test';
import type { EventRow } from '../src/domain/event-row.js';
import type { Adapter, VendorFormat } from '../src/ingest/adapters/adapter.js';
import { detectFormat, ingestRecords } from '../src/ingest/ingest-records.js';
import { QuarantineFile } from '../src/ingest/quarantine-file.js';
import { RecordScanner } from '../src/ingest/record-scanner.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-records-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function scan(text: string, chunk: number): [string, unknown][] {
  const s = new RecordScanner({ maxChars: 200 });
  const out = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...s.push(text.slice(i, i + chunk)));
  out.push(...s.end());
  return out.map((r) => [r.position, r.error ?? r.value]);
}

describe('record scanner', () => {
  const cases: { name: string; text: string; want: [string, unknown][] }[] = [
    {
      name: 'NDJSON, with a brace inside a string and an escaped quote',
      text: '{"a":"}"}\n{"b":"x\\"]"}\n',
      want: [
        ['line 1', { a: '}' }],
        ['line 2', { b: 'x"]' }],
      ],
    },
    {
      name: 'a pretty-printed JSON array',
      text: '[\n  {"a": 1},\n  {"a": 2}\n]\n',
      want: [
        ['record 1 (line 2)', { a: 1 }],
        ['record 2 (line 3)', { a: 2 }],
      ],
    },
    {
      name: 'Graph pages: value arrays, numbered across pages; other keys ignored',
      text: '{"@odata.context":"c","value":[{"id":1},{"id":2}],"@odata.nextLink":"n"}\n{"value":[{"id":3}]}',
      want: [
        ['record 1 (line 1)', { id: 1 }],
        ['record 2 (line 1)', { id: 2 }],
        ['record 3 (line 2)', { id: 3 }],
      ],
    },
    {
      name: 'Event Hub records and Reports API items; nested value arrays stay inside records',
      text: '{"records":[{"properties":{"value":[1]}}]}{"kind":"k","items":[{"events":[{"name":"x"}]}]}',
      want: [
        ['record 1 (line 1)', { properties: { value: [1] } }],
        ['record 2 (line 1)', { events: [{ name: 'x' }] }],
      ],
    },
    {
      name: 'a byte-order mark, blank lines, junk, bad JSON, an oversized and an unfinished record',
      text: `\ufeff{"a":1}\n\nnot json\n{"bad":}\n{"big":"${'x'.repeat(300)}"}\n{"a":2}\n{"a":`,
      want: [
        ['line 1', { a: 1 }],
        ['line 3', 'not JSON: expected an object or an array'],
        ['line 4', `invalid JSON: Unexpected token '}', "{"bad":}" is not valid JSON`],
        ['line 5', 'record larger than 0.00019073486328125 MiB'],
        ['line 6', { a: 2 }],
        ['line 7', 'the input ends inside this record'],
      ],
    },
  ];
  for (const c of cases)
    test(c.name, () => {
      for (const chunk of [1, 2, 7, 1 << 20])
        assert.deepEqual(scan(c.text, chunk), c.want, `chunk ${chunk}`);
    });
});

/** A toy vendor: records with `vendor: 'toy'`; `kind: other` is skipped, no `user` is malformed. */
const toy: Adapter = {
  format: 'okta',
  vendor: 'Toy',
  detect: (r) =>
    typeof r === 'object' && r !== null && (r as { vendor?: unknown }).vendor === 'toy',
  adapt(r) {
    const x = r as {
      id?: string;
      kind?: string;
      user?: string;
      at?: string;
      ip?: string;
      n?: number;
    };
    if (x.kind === 'other') return { kind: 'skip', reason: 'toy other' };
    if (!x.user) return { kind: 'malformed', message: 'no user' };
    const one = (i: number) => ({
      id: `toy:${x.id}${x.n ? `:${i}` : ''}`,
      time: x.at,
      type: 'signin',
      outcome: 'success',
      account: { id: x.user },
      ...(x.ip ? { source: { ip: x.ip } } : {}),
    });
    return {
      kind: 'events',
      events: x.n ? Array.from({ length: x.n }, (_, i) => one(i + 1)) : [one(0)],
    };
  },
};
const never: Adapter = { ...toy, format: 'entra', vendor: 'Never', detect: () => false };
const ADAPTERS = { okta: toy, entra: never, workspace: never, ocsf: never, m365: never } as Record<
  VendorFormat,
  Adapter
>;

describe('vendor ingest job', () => {
  const records = [
    {
      vendor: 'toy',
      id: 'a',
      user: 'ana@example.org',
      at: '2026-10-01T10:00:00Z',
      ip: '203.0.113.7',
    },
    { vendor: 'toy', id: 'b', kind: 'other', user: 'x', at: '2026-10-01T10:00:00Z' },
    { vendor: 'toy', id: 'c', kind: 'other', user: 'x', at: '2026-10-01T10:00:00Z' },
    { vendor: 'toy', id: 'd', at: '2026-10-01T10:00:00Z' },
    { vendor: 'toy', id: 'e', user: 'bo@example.org', at: 'yesterday' },
    { vendor: 'toy', id: 'f', user: 'cy@example.org', at: '2026-10-01T11:00:00Z', n: 2 },
  ];

  const run = async (file: string, format: 'auto' | 'okta' | 'native' = 'auto') => {
    const stored: EventRow[] = [];
    const quarantine = join(dir, `${file}.quarantine.ndjson`);
    const summary = await ingestRecords({
      files: [join(dir, file)],
      format,
      adapters: ADAPTERS,
      sink: async (rows) => {
        stored.push(...rows);
        return rows.map(() => 'accepted' as const);
      },
      quarantine: new QuarantineFile(quarantine),
    });
    const q = summary.rejected
      ? readFileSync(quarantine, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l))
      : [];
    return { summary, stored, q };
  };

  test('a gzipped Graph-style page: detected, adapted, skips counted, bad records quarantined with position', async () => {
    writeFileSync(join(dir, 'page.json.gz'), gzipSync(JSON.stringify({ value: records }, null, 2)));
    const { summary, stored, q } = await run('page.json.gz');
    assert.deepEqual(summary.formats, [
      { file: join(dir, 'page.json.gz'), format: 'okta', detected: true },
    ]);
    assert.deepEqual(
      [summary.records, summary.events, summary.accepted, summary.rejected],
      [6, 3, 3, 2],
    );
    assert.deepEqual(summary.skipped, [{ reason: 'toy other', count: 2 }]);
    assert.deepEqual(
      stored.map((r) => [r.event.id, r.event.tenant, r.event.account.id]),
      [
        ['toy:a', 'default', 'ana@example.org'],
        ['toy:f:1', 'default', 'cy@example.org'],
        ['toy:f:2', 'default', 'cy@example.org'],
      ],
    );
    // The vendor record is kept: in the stored event's raw and as the stored raw text;
    // the event going on to scoring does not carry it.
    assert.deepEqual(JSON.parse(stored[0]!.eventJson).raw, records[0]);
    assert.equal(stored[0]!.event.raw, undefined);
    assert.deepEqual(JSON.parse(stored[0]!.raw!), records[0]);
    assert.deepEqual(
      q.map((e) => [e.position, e.error]),
      [
        [`record 4 (line ${lineOf(records, 3)})`, 'no user'],
        [
          `record 5 (line ${lineOf(records, 4)})`,
          'time: not an ISO-8601 timestamp: "yesterday" (expected e.g. 2019-09-03T14:22:31.120Z)',
        ],
      ],
    );
  });

  test('native events in a JSON array are read too; an unknown format is a clear error', async () => {
    const native = [
      {
        id: 'n1',
        time: '2026-10-01T10:00:00Z',
        type: 'signin',
        outcome: 'success',
        account: { id: 'u1' },
      },
    ];
    writeFileSync(join(dir, 'native.json'), JSON.stringify(native));
    const { summary, stored } = await run('native.json');
    assert.equal(summary.formats[0]!.format, 'native');
    assert.equal(stored[0]!.event.id, 'n1');
    writeFileSync(join(dir, 'unknown.ndjson'), '{"hello":"world"}\n');
    await assert.rejects(
      run('unknown.ndjson'),
      /unknown\.ndjson: cannot tell the format from its first 1 record\(s\): none is a native event or a record of Toy, Never/,
    );
    // Broken native events are still native: rejected one by one with the validator's reasons.
    writeFileSync(
      join(dir, 'broken-native.ndjson'),
      '{"type":"signin","account":{"id":"u1"}}\n{"type":"sign-in","time":"2026-10-01T10:00:00Z"}\n',
    );
    const broken = await run('broken-native.ndjson');
    assert.equal(broken.summary.formats[0]!.format, 'native');
    assert.equal(broken.summary.rejected, 2);
    assert.match(broken.q[0].error, /time: required/);
    writeFileSync(join(dir, 'given.ndjson'), `${JSON.stringify(records[0])}\n`);
    const given = await run('given.ndjson', 'okta');
    assert.deepEqual(given.summary.formats[0], {
      file: join(dir, 'given.ndjson'),
      format: 'okta',
      detected: false,
    });
  });

  test('detectFormat: two formats equally is an error naming both', () => {
    const both = { ...ADAPTERS, entra: { ...toy, format: 'entra' as const } };
    assert.throws(
      () => detectFormat('f', [{ position: 'line 1', value: records[0], text: '' }], both),
      /f: the first records look like (okta and entra|entra and okta) equally; give --format/,
    );
  });
});

/** The line a record starts on in `JSON.stringify({ value: records }, null, 2)`. */
function lineOf(list: readonly object[], index: number): number {
  const text = JSON.stringify({ value: list }, null, 2).split('\n');
  let seen = -1;
  for (let i = 0; i < text.length; i++) if (text[i] === '    {' && ++seen === index) return i + 1;
  return -1;
}
