/**
 * The recovery graph through the product: built from an imported directory
 * and recovery-channel events, kept across a restart, asked through the CLI
 * (`graph`, `exposure`) and HTTP.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { importDirectoryFiles, ingestEventFiles, openTripline } from '../src/app.js';
import { buildServer } from '../src/api/server.js';
import { runCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-graph-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'graph.db')}`;

const directory = [
  {
    account: { id: 'ana', email: 'ana@campaign.example', tags: ['campaign-staff'] },
    recovery: [{ channel: 'email', address: 'ana.home@mail.example' }],
    mfa: ['totp'],
  },
  {
    account: { id: 'ana-home', email: 'ana.home@mail.example' },
    recovery: [{ channel: 'kba' }, { channel: 'phone', address: '+1 555 0100' }],
    mfa: [],
  },
  {
    account: { id: 'ben', email: 'ben@campaign.example', tags: ['campaign-staff'] },
    recovery: [{ channel: 'authenticator' }],
    mfa: ['passkey'],
  },
  // A couple who are each other's backup: a loop.
  {
    account: { id: 'cy', email: 'cy@mail.example' },
    recovery: [{ channel: 'email', address: 'dee@mail.example' }],
    mfa: [],
  },
  {
    account: { id: 'dee', email: 'dee@mail.example' },
    recovery: [{ channel: 'email', address: 'cy@mail.example' }],
    mfa: [],
  },
];
const T = '2026-10-05T10:00:00.000Z';
const recoveryEvents = [
  {
    id: 'e1',
    time: T,
    type: 'recovery.channel.added',
    account: { id: 'ana' },
    recovery: { channel: 'email', address: 'drop@evil.example' },
  },
  {
    id: 'e2',
    time: '2026-10-06T10:00:00.000Z',
    type: 'recovery.channel.removed',
    account: { id: 'ana-home' },
    recovery: { channel: 'phone', address: '+1 555 0100' },
  },
];

test('graph and exposure from the CLI, after import, events and a restart', async () => {
  const dirFile = join(dir, 'directory.ndjson');
  const evFile = join(dir, 'events.ndjson');
  writeFileSync(dirFile, directory.map((r) => JSON.stringify(r)).join('\n') + '\n');
  writeFileSync(evFile, recoveryEvents.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const app = await openTripline({ db });
  await importDirectoryFiles(app, [dirFile]);
  await ingestEventFiles(app, [evFile]);
  await app.close(); // the snapshot keeps what the events taught the graph

  const json = await runCli(['graph', 'ana', '--db', db, '--json']);
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout);
  const refs = doc.recoverers.map((r: { node: string }) => r.node).sort();
  assert.deepEqual(refs, [
    'account:default/ana-home',
    'kba:default/ana-home',
    'mailbox:default/drop@evil.example',
  ]);
  assert.equal(doc.weakest_path.strength, 0.1);
  assert.deepEqual(doc.weakest_path.nodes, [
    'kba:default/ana-home',
    'account:default/ana-home',
    'account:default/ana',
  ]);
  const drop = doc.edges.find(
    (e: { from: string }) => e.from === 'mailbox:default/drop@evil.example',
  );
  assert.equal(drop.since, T, 'the event dates the edge');

  // Before the phone was removed, it counted; before the drop address, it did not.
  const past = JSON.parse(
    (await runCli(['graph', 'ana', '--db', db, '--json', '--at', '2026-10-05T09:00:00Z'])).stdout,
  );
  const pastRefs = past.recoverers.map((r: { node: string }) => r.node);
  assert.ok(pastRefs.includes('phone:default/+15550100'));
  assert.ok(!pastRefs.includes('mailbox:default/drop@evil.example'));

  const dot = await runCli(['graph', 'ana', '--db', db, '--dot']);
  assert.match(dot.stdout, /^digraph recovery \{/);
  assert.match(dot.stdout, /"account:default\/ana-home" -> "account:default\/ana"/);

  const text = await runCli(['graph', 'ana', '--db', db]);
  assert.match(text.stdout, /Weakest path: kba ana-home -\(kba\)-> ana-home -\(email\)-> ana/);

  const missing = await runCli(['graph', 'nobody', '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /account "nobody" is not in the directory/);
  const bad = await runCli(['graph', 'ana', '--db', db, '--depth', '0']);
  assert.equal(bad.code, 2);

  const all = await runCli(['graph', '--all', '--db', db]);
  const lines = all.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.filter((l) => l.edge).length, 7);
  assert.equal(lines.filter((l) => l.node).length, 9);

  assert.deepEqual(doc.cycle, []);
  assert.deepEqual(
    doc.leaves_provider.map((p: { nodes: string[] }) => p.nodes[0]),
    ['mailbox:default/drop@evil.example'],
  );
  const loop = JSON.parse((await runCli(['graph', 'cy', '--db', db, '--json'])).stdout);
  assert.deepEqual(loop.cycle, ['account:default/dee']);
  const cycles = await runCli(['graph', '--cycles', '--db', db, '--json']);
  assert.deepEqual(JSON.parse(cycles.stdout), [['account:default/cy', 'account:default/dee']]);
  assert.match(
    (await runCli(['graph', '--cycles', '--db', db])).stdout,
    /1 recovery loop\(s\)\n {2}cy <-> dee/,
  );

  const phone = JSON.parse(
    (
      await runCli([
        'graph',
        'phone:+1 (555) 0100',
        '--db',
        db,
        '--json',
        '--at',
        '2026-10-05T00:00:00Z',
      ])
    ).stdout,
  );
  assert.equal(phone.node, 'phone:default/+15550100');
  assert.deepEqual(
    phone.blast_radius.map((r: { node: string }) => r.node),
    ['account:default/ana-home', 'account:default/ana'],
  );
  const gone = await runCli(['graph', 'phone:+15550100', '--db', db]);
  assert.equal(gone.code, 1, 'removed since: nothing to reach now');
  assert.match(gone.stderr, /no account can be recovered through phone/);

  const exposure = await runCli(['exposure', '--db', db, '--json']);
  assert.equal(exposure.code, 0, exposure.stderr);
  const report = JSON.parse(exposure.stdout);
  assert.equal(report.accounts, 2);
  assert.equal(report.exposed, 1, 'ben recovers only through his authenticator');
  const texts = report.summary.map((s: { text: string }) => s.text);
  assert.ok(
    texts.includes('1 campaign-staff account can be recovered through a mailbox that has no MFA'),
  );
  assert.ok(texts.includes('1 campaign-staff account can be recovered through security questions'));
  assert.ok(
    texts.includes(
      '1 campaign-staff account can be recovered through a mailbox outside the provider',
    ),
  );
  assert.ok(
    report.details[0].findings.some((f: { fix: string }) => /d…@evil\.example/.test(f.fix)),
  );
});

test('graph over HTTP', async () => {
  const app = await openTripline({ db });
  const server = await buildServer(app, { auth: false });
  try {
    const res = await server.inject({
      method: 'GET',
      url: '/v1/accounts/ana/recovery-graph?depth=1',
    });
    assert.equal(res.statusCode, 200, res.body);
    const doc = res.json();
    assert.equal(doc.depth, 1);
    assert.deepEqual(doc.recoverers.map((r: { node: string }) => r.node).sort(), [
      'account:default/ana-home',
      'mailbox:default/drop@evil.example',
    ]);
    const dot = await server.inject({
      method: 'GET',
      url: '/v1/accounts/ana/recovery-graph?format=dot',
    });
    assert.match(dot.headers['content-type'] as string, /graphviz/);
    const none = await server.inject({ method: 'GET', url: '/v1/accounts/nobody/recovery-graph' });
    assert.equal(none.statusCode, 404);
    assert.equal(none.json().error.code, 'NOT_FOUND');
    const bad = await server.inject({
      method: 'GET',
      url: '/v1/accounts/ana/recovery-graph?at=yesterday',
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.field, 'at');
    const drop = await server.inject({
      method: 'GET',
      url: '/v1/recovery-graph/blast-radius?mailbox=DROP@evil.example',
    });
    assert.equal(drop.statusCode, 200, drop.body);
    assert.deepEqual(
      drop.json().blast_radius.map((r: { node: string }) => r.node),
      ['account:default/ana'],
    );
    const neither = await server.inject({ method: 'GET', url: '/v1/recovery-graph/blast-radius' });
    assert.equal(neither.statusCode, 400);
    const loops = await server.inject({ method: 'GET', url: '/v1/recovery-graph/cycles' });
    assert.deepEqual(loops.json(), { cycles: [['account:default/cy', 'account:default/dee']] });
    const exposure = await server.inject({ method: 'GET', url: '/v1/exposure?tag=campaign-staff' });
    assert.equal(exposure.statusCode, 200);
    assert.equal(exposure.json().exposed, 1);
  } finally {
    await server.close();
    await app.close();
  }
});

test('the graph endpoints need a key with the read scope', async () => {
  const app = await openTripline({ db });
  const server = await buildServer(app, { auth: true });
  try {
    for (const url of [
      '/v1/accounts/ana/recovery-graph',
      '/v1/recovery-graph/cycles',
      '/v1/recovery-graph/blast-radius?phone=1',
      '/v1/exposure',
    ]) {
      const res = await server.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 401, url);
    }
    const ingestOnly = await app.keys.create({ name: 'forwarder', scope: 'ingest' });
    const res = await server.inject({
      method: 'GET',
      url: '/v1/exposure',
      headers: { authorization: `Bearer ${ingestOnly.key}` },
    });
    assert.equal(res.statusCode, 403);
    const reader = await app.keys.create({ name: 'analyst', scope: 'read' });
    const ok = await server.inject({
      method: 'GET',
      url: '/v1/exposure',
      headers: { authorization: `Bearer ${reader.key}` },
    });
    assert.equal(ok.statusCode, 200);
  } finally {
    await server.close();
    await app.close();
  }
});
