import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { importDirectoryFiles, ingestEventFiles, openTripline } from '../src/app.js';
import { openNdjson } from '../src/ingest/ndjson-reader.js';
import { backends } from './helpers/backends.js';
import { event, events, ndjson } from './helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-ingest-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('ndjson reader', () => {
  test('reads plain and gzip files alike, CRLF and a missing final newline included', async () => {
    const text = '{"a":1}\r\n\n{"b":"é"}\n{"c":3}';
    for (const path of [file('plain.ndjson', text), file('z.ndjson.gz', gzipSync(text))]) {
      const source = await openNdjson(path);
      const lines = [];
      for await (const l of source.lines()) lines.push([l.number, l.text.trimEnd()]);
      assert.deepEqual(lines, [
        [1, '{"a":1}'],
        [2, ''],
        [3, '{"b":"é"}'],
        [4, '{"c":3}'],
      ]);
    }
  });

  test('splits multi-byte characters across chunk boundaries correctly', async () => {
    const line = JSON.stringify({ s: 'ü'.repeat(300_000) });
    const source = await openNdjson(file('wide.ndjson', `${line}\n${line}\n`));
    const got = [];
    for await (const l of source.lines()) got.push(l.text);
    assert.deepEqual(got, [line, line]);
  });

  test('an over-long line is reported, not buffered', async () => {
    const long = 'x'.repeat(3000);
    const source = await openNdjson(file('long.ndjson', `{"a":1}\n${long}\n{"b":2}\n`), {
      maxLineBytes: 1000,
    });
    const got = [];
    for await (const l of source.lines()) got.push([l.number, l.tooLong ?? false, l.text.length]);
    assert.deepEqual(got, [
      [1, false, 7],
      [2, true, 200],
      [3, false, 7],
    ]);
  });

  test('a missing file is a clear error', async () => {
    await assert.rejects(openNdjson(join(dir, 'nope.ndjson')), /nope\.ndjson: no such file/);
  });
});

for (const { backend, skip } of await backends()) {
  describe(`file ingest: ${backend.name}`, { skip }, () => {
    after(() => backend.cleanup());

    test('summary, quarantine with line numbers, and idempotent re-ingest', async () => {
      const good = events(50);
      const lines = [
        ...good.slice(0, 10).map((e) => JSON.stringify(e)),
        '{"time": "2026-10-01T00:00:00Z", "type": "singin", "account": {"id": "u-1"}}',
        'not json at all',
        ...good.slice(10).map((e) => JSON.stringify(e)),
        JSON.stringify(good[0]),
        '[1,2,3]',
      ];
      const path = file(`mixed-${backend.name}.ndjson`, lines.join('\n') + '\n');
      const db = await backend.fresh();
      const app = await openTripline({ db, quarantine: join(dir, `q-${backend.name}.ndjson`) });
      const rejections: string[] = [];
      try {
        const first = await ingestEventFiles(app, [path], {
          batchSize: 7,
          onReject: (r) => rejections.push(`${r.line}: ${r.message}`),
        });
        assert.equal(first.accepted, 50);
        assert.equal(first.duplicates, 1);
        assert.equal(first.rejected, 3);
        assert.equal(first.lines, 54);
        assert.deepEqual(rejections, [
          '11: type: unknown value "singin" (did you mean "signin"?)',
          `12: invalid JSON: ${jsonError('not json at all')}`,
          '54: event must be a JSON object, got an array',
        ]);
        assert.equal(await app.store.countEvents(), 50);

        assert.ok(first.quarantine && existsSync(first.quarantine));
        const quarantined = readFileSync(first.quarantine, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l));
        assert.deepEqual(
          quarantined.map((q) => [q.source, q.line, q.record]),
          [
            [path, 11, lines[10]],
            [path, 12, 'not json at all'],
            [path, 54, '[1,2,3]'],
          ],
        );
        assert.deepEqual(quarantined[0].problems, [
          { field: 'type', reason: 'unknown value "singin" (did you mean "signin"?)' },
        ]);

        const again = await ingestEventFiles(app, [path]);
        assert.deepEqual([again.accepted, again.duplicates, again.rejected], [0, 51, 3]);
        assert.equal(await app.store.countEvents(), 50);
      } finally {
        await app.close();
      }
    });

    test('gzip and stdin sources, and events without ids stay idempotent', async () => {
      const noIds = events(20).map(({ id: _id, ...rest }) => rest);
      const gz = file(`noid-${backend.name}.ndjson.gz`, gzipSync(ndjson(noIds)));
      const app = await openTripline({ db: await backend.fresh() });
      try {
        const a = await ingestEventFiles(app, [gz]);
        assert.equal(a.accepted, 20);
        const b = await ingestEventFiles(app, ['-'], { stdin: Readable.from([ndjson(noIds)]) });
        assert.deepEqual([b.accepted, b.duplicates], [0, 20]);
        assert.equal(await app.store.countEvents(), 20);
      } finally {
        await app.close();
      }
    });

    test('directory import creates then updates, and quarantines bad records', async () => {
      const path = file(
        `dir-${backend.name}.ndjson`,
        [
          '{"account":{"id":"u-1","tags":["journalist"]},"recovery":[{"channel":"email","address":"b@mail.example"}],"mfa":["totp"]}',
          '{"account":{"id":"u-2"},"recovery":[{"channel":"pigeon"}]}',
          '{"account":{"id":"u-3"}}',
        ].join('\n'),
      );
      const app = await openTripline({
        db: await backend.fresh(),
        quarantine: join(dir, `qd-${backend.name}.ndjson`),
      });
      try {
        const first = await importDirectoryFiles(app, [path]);
        assert.deepEqual([first.accepted, first.duplicates, first.rejected], [2, 0, 1]);
        const second = await importDirectoryFiles(app, [path]);
        assert.deepEqual([second.accepted, second.duplicates, second.rejected], [0, 2, 1]);
        assert.deepEqual((await app.store.getDirectoryRecord('default', 'u-1'))?.recovery, [
          { channel: 'email', address: 'b@mail.example' },
        ]);
      } finally {
        await app.close();
      }
    });
  });
}

test('quarantine file sits beside the SQLite database', async () => {
  const { quarantinePathFor } = await import('../src/app.js');
  assert.equal(
    quarantinePathFor('sqlite:/data/x/tripline.db'),
    '/data/x/tripline.quarantine.ndjson',
  );
  assert.equal(quarantinePathFor('/data/y/events.sqlite'), '/data/y/events.quarantine.ndjson');
  assert.equal(
    quarantinePathFor('postgres://h/db'),
    join(process.cwd(), 'tripline.quarantine.ndjson'),
  );
});

test('an event line is stored verbatim when already normalised', async () => {
  const { parseEventLine } = await import('../src/ingest/parse-event-line.js');
  const text = JSON.stringify(event());
  const r = parseEventLine(text);
  assert.ok(r.ok);
  assert.equal(r.value.eventJson, text);
  assert.equal(r.value.raw, null);
});

function jsonError(text: string): string {
  try {
    JSON.parse(text);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}
