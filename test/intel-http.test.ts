/**
 * Threat intel and actor overrides through the HTTP API and the CLI: the
 * edges (formats, scopes, bad input) and what an import or an override
 * changes for the next reader.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openTripline } from '../src/app.js';
import type { Tripline } from '../src/app.js';
import { buildServer } from '../src/api/server.js';
import { sqliteBackend } from './helpers/backends.js';
import { runCli } from './helpers/cli.js';

const TA453_ENTRY = 'misp:c1d44f44-425e-48fd-b78b-84b988da8bc3';

const STIX = JSON.stringify({
  type: 'bundle',
  id: 'bundle--6b0e1b1c-2f5e-4c55-9a0b-6b7f9a3c0c01',
  objects: [
    {
      type: 'identity',
      spec_version: '2.1',
      id: 'identity--0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      name: 'ACME CTI',
      identity_class: 'organization',
    },
    {
      type: 'intrusion-set',
      spec_version: '2.1',
      id: 'intrusion-set--1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      name: 'Mint Sandstorm',
    },
    {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e',
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      created_by_ref: 'identity--0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
      pattern_type: 'stix',
      pattern: "[ipv4-addr:value = '203.0.113.9' OR ipv4-addr:value = '203.0.113.10']",
      valid_from: '2026-01-01T00:00:00Z',
    },
    {
      type: 'relationship',
      spec_version: '2.1',
      id: 'relationship--3c4d5e6f-7a8b-4c0d-9e2f-3a4b5c6d7e8f',
      created: '2026-05-01T00:00:00.000Z',
      modified: '2026-05-01T00:00:00.000Z',
      relationship_type: 'indicates',
      source_ref: 'indicator--2b3c4d5e-6f7a-4b9c-8d1e-2f3a4b5c6d7e',
      target_ref: 'intrusion-set--1a2b3c4d-5e6f-4a8b-9c0d-1e2f3a4b5c6d',
    },
  ],
});

describe('HTTP: /v1/intel and /v1/actors/overrides', () => {
  const backend = sqliteBackend();
  let app: Tripline;
  let server: FastifyInstance;
  const auth: Record<'read' | 'admin', Record<string, string>> = { read: {}, admin: {} };
  before(async () => {
    app = await openTripline({ db: await backend.fresh() });
    server = await buildServer(app);
    for (const scope of ['read', 'admin'] as const)
      auth[scope] = {
        authorization: `Bearer ${(await app.keys.create({ scope, name: `${scope}-key` })).key}`,
      };
  });
  after(async () => {
    await server.close();
    await app.close();
    await backend.cleanup();
  });

  test('POST /v1/intel takes a STIX bundle; the indicators are listed and matched', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/intel',
      headers: { ...auth.admin, 'content-type': 'application/stix+json' },
      payload: STIX,
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.format, 'stix');
    assert.deepEqual([body.indicators, body.created, body.updated], [2, 2, 0]);
    assert.deepEqual(body.actors, ['Mint Sandstorm']);
    assert.equal(body.reexamined.scanned, 0);
    const list = await server.inject({
      method: 'GET',
      url: '/v1/intel/indicators?actor=mint%20sandstorm&limit=1',
      headers: auth.read,
    });
    assert.equal(list.statusCode, 200);
    const page = list.json();
    assert.equal(page.total, 2);
    assert.equal(page.next_offset, 1);
    assert.deepEqual(
      [page.indicators[0].type, page.indicators[0].value, page.indicators[0].source],
      ['ip', '203.0.113.10', 'ACME CTI'],
    );
    assert.equal(app.indicators.match({ ip: '203.0.113.9' }).length, 1);
  });

  test('POST /v1/intel takes CSV with ?source=, and reports records it could not use', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/intel?source=Partner%20feed&reexamine=false',
      headers: { ...auth.admin, 'content-type': 'text/csv' },
      payload: 'type,value,actor\nip,198.51.100.0/24,TA453\nip,not-an-ip,TA453\n',
    });
    assert.equal(res.statusCode, 200, res.body);
    const body = res.json();
    assert.equal(body.format, 'csv');
    assert.equal(body.created, 1);
    assert.equal(body.reexamined, undefined);
    assert.equal(body.problems.length, 1);
    assert.equal(body.problems[0].position, 'line 3');
    assert.equal(app.indicators.match({ ip: '198.51.100.42' })[0]!.source, 'Partner feed');
  });

  const bad: {
    name: string;
    url?: string;
    type?: string;
    payload: string;
    status: number;
    code: string;
    message: RegExp;
  }[] = [
    {
      name: 'not indicators',
      payload: '{"a":1}',
      status: 400,
      code: 'INVALID_REQUEST',
      message: /STIX|MISP/,
    },
    {
      name: 'nothing usable',
      type: 'text/csv',
      payload: 'type,value\nip,nope\n',
      status: 400,
      code: 'INVALID_REQUEST',
      message: /^no indicator to import \(1 problem\(s\); line 2: /,
    },
    {
      name: 'empty body',
      type: 'text/csv',
      payload: ' ',
      status: 400,
      code: 'INVALID_REQUEST',
      message: /indicator document/,
    },
    {
      name: 'bad format',
      url: '/v1/intel?format=xml',
      payload: STIX,
      status: 400,
      code: 'INVALID_REQUEST',
      message: /^format: expected auto, stix, misp, csv$/,
    },
    {
      name: 'bad reexamine',
      url: '/v1/intel?reexamine=maybe',
      payload: STIX,
      status: 400,
      code: 'INVALID_REQUEST',
      message: /reexamine: expected true or false/,
    },
    {
      name: 'unsupported type',
      type: 'application/xml',
      payload: '<x/>',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: /./,
    },
  ];
  for (const b of bad)
    test(`POST /v1/intel: ${b.name} → ${b.status}, nothing stored`, async () => {
      const before = app.indicators.size;
      const res = await server.inject({
        method: 'POST',
        url: b.url ?? '/v1/intel',
        headers: { ...auth.admin, 'content-type': b.type ?? 'application/json' },
        payload: b.payload,
      });
      assert.equal(res.statusCode, b.status, res.body);
      assert.equal(res.json().error.code, b.code);
      assert.match(res.json().error.message, b.message);
      assert.equal(app.indicators.size, before);
    });

  test('POST /v1/intel needs scope admin', async () => {
    const res = await server.inject({
      method: 'POST',
      url: '/v1/intel',
      headers: { ...auth.read, 'content-type': 'application/json' },
      payload: STIX,
    });
    assert.equal(res.statusCode, 403);
  });

  test('overrides: split TA453 off APT35, list it, refuse a bad one, take it back', async () => {
    // After the split the name belongs to two actors: the lookup lists both.
    const resolve = async () => {
      const r = (
        await server.inject({ method: 'GET', url: '/v1/actors?q=ta453', headers: auth.read })
      ).json().resolution;
      return r.kind === 'actor'
        ? r.actor.id
        : r.candidates.map((c: { actor: { id: string } }) => c.actor.id).sort();
    };
    assert.equal(await resolve(), 'G0059');
    const add = await server.inject({
      method: 'POST',
      url: '/v1/actors/overrides',
      headers: auth.admin,
      payload: { op: 'split', entry: TA453_ENTRY, reason: 'tracked apart in our incidents' },
    });
    assert.equal(add.statusCode, 201, add.body);
    const stored = add.json();
    assert.equal(stored.author, 'admin-key');
    assert.equal(stored.override.entry, TA453_ENTRY);
    assert.deepEqual(await resolve(), ['G0059', TA453_ENTRY]);
    const listed = await server.inject({
      method: 'GET',
      url: '/v1/actors/overrides',
      headers: auth.read,
    });
    assert.deepEqual(
      listed.json().overrides.map((o: { seq: number }) => o.seq),
      [stored.seq],
    );
    const again = await server.inject({
      method: 'POST',
      url: '/v1/actors/overrides',
      headers: auth.admin,
      payload: { op: 'merge', actors: ['G0059', 'G0059'], reason: 'x' },
    });
    assert.equal(again.statusCode, 400);
    assert.match(again.json().error.message, /^merge: /);
    const malformed = await server.inject({
      method: 'POST',
      url: '/v1/actors/overrides',
      headers: auth.admin,
      payload: { op: 'split', entry: 'G0059', reason: 'x' },
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(
      malformed.json().error.message,
      'split: entry must be a source entry ref like attack:G0058 or misp:<uuid>',
    );
    const forbidden = await server.inject({
      method: 'DELETE',
      url: `/v1/actors/overrides/${stored.seq}`,
      headers: auth.read,
    });
    assert.equal(forbidden.statusCode, 403);
    const removed = await server.inject({
      method: 'DELETE',
      url: `/v1/actors/overrides/${stored.seq}`,
      headers: auth.admin,
    });
    assert.equal(removed.statusCode, 204);
    assert.equal(await resolve(), 'G0059');
    const gone = await server.inject({
      method: 'DELETE',
      url: `/v1/actors/overrides/${stored.seq}`,
      headers: auth.admin,
    });
    assert.equal(gone.statusCode, 404);
  });
});

describe('CLI: intel import, actors override', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tripline-intel-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const db = `sqlite:${join(dir, 'cli.db')}`;

  test('intel import prints what it stored and re-examined; intel list shows it', async () => {
    const file = join(dir, 'report.json');
    writeFileSync(file, STIX);
    const r = await runCli(['intel', 'import', file, '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /report\.json: STIX 2\.1 bundle, 2 indicator\(s\) naming Mint Sandstorm/,
    );
    assert.match(r.stdout, /Stored 2 indicator\(s\) \(2 new, 0 updated\)/);
    assert.match(r.stdout, /Re-examined 0 stored event\(s\): 0 matched/);
    const list = await runCli(['intel', 'list', '--db', db, '--json']);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(
      (JSON.parse(list.stdout) as { value: string }[]).map((i) => i.value),
      ['203.0.113.10', '203.0.113.9'],
    );
  });

  test('intel import: a missing file and a bad --format are clear errors', async () => {
    const missing = await runCli(['intel', 'import', join(dir, 'nope.csv'), '--db', db]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.csv: no such file/);
    const format = await runCli(['intel', 'import', 'x', '--format', 'xml', '--db', db]);
    assert.equal(format.code, 2);
    assert.match(format.stderr, /--format: expected auto, stix, misp, csv; got "xml"/);
  });

  test('actors override split, then the lookup with --db follows it; remove takes it back', async () => {
    const split = await runCli([
      'actors',
      'override',
      'split',
      TA453_ENTRY,
      '--reason',
      'tracked apart',
      '--author',
      'ana',
      '--db',
      db,
    ]);
    assert.equal(split.code, 0, split.stderr);
    assert.match(split.stdout, /^override (\d+) recorded: split misp:c1d44f44/);
    const seq = /^override (\d+)/.exec(split.stdout)![1]!;
    const looked = await runCli(['actors', 'ta453', '--json', '--db', db]);
    assert.equal(looked.code, 3, 'the name now belongs to two actors');
    assert.ok(
      (JSON.parse(looked.stdout) as { candidates: { actor: { id: string } }[] }).candidates.some(
        (c) => c.actor.id === TA453_ENTRY,
      ),
    );
    const list = await runCli(['actors', 'overrides', '--db', db]);
    assert.match(
      list.stdout,
      /ana {2}split misp:c1d44f44-425e-48fd-b78b-84b988da8bc3 — tracked apart/,
    );
    const rm = await runCli(['actors', 'override', 'remove', seq, '--db', db]);
    assert.equal(rm.code, 0, rm.stderr);
    const back = await runCli(['actors', 'ta453', '--json', '--db', db]);
    assert.equal(JSON.parse(back.stdout).actor.id, 'G0059');
    const noReason = await runCli(['actors', 'override', 'split', TA453_ENTRY, '--db', db]);
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /override split: give --reason/);
  });
});
