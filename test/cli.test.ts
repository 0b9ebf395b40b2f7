/**
 * The real `tripline` command line, end to end, in child processes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from './helpers/cli.js';
import { events, ndjson } from './helpers/events.js';

const dir = mkdtempSync(join(tmpdir(), 'tripline-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = `sqlite:${join(dir, 'cli.db')}`;

test('no command prints help and exits 2; unknown command exits 2', async () => {
  const none = await runCli([]);
  assert.equal(none.code, 2);
  assert.match(none.stdout, /^Usage: tripline COMMAND/m);
  const unknown = await runCli(['frobnicate']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "frobnicate"/);
});

test('ingest: summary on stdout, rejected lines on stderr, --json is the summary only', async () => {
  const file = join(dir, 'events.ndjson');
  writeFileSync(file, ndjson(events(30)) + '{"type":"signin"}\n');
  const first = await runCli(['ingest', file, '--db', db]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^30 accepted, 0 duplicates, 1 rejected events from 1 file\(s\) in /);
  assert.match(first.stderr, /events\.ndjson:31: rejected: time: required; account: required/);
  assert.match(first.stderr, /1 rejected line\(s\) kept in .*cli\.quarantine\.ndjson/);

  const again = await runCli(['ingest', file, '--db', db, '--json', '--fail-on-reject']);
  assert.equal(again.code, 3);
  const summary = JSON.parse(again.stdout);
  assert.deepEqual([summary.accepted, summary.duplicates, summary.rejected], [0, 30, 1]);
});

test('ingest: usage and file errors are clear', async () => {
  const noFile = await runCli(['ingest', '--db', db]);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /name at least one FILE/);
  const missing = await runCli(['ingest', join(dir, 'absent.ndjson'), '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /absent\.ndjson: no such file/);
  const badFormat = await runCli(['ingest', 'x', '--format', 'splunk']);
  assert.equal(badFormat.code, 2);
  assert.match(badFormat.stderr, /unknown format "splunk"/);
  const badDb = await runCli(['ingest', 'x', '--db', 'mysql://h/db']);
  assert.equal(badDb.code, 1);
  assert.match(badDb.stderr, /unsupported database URL/);
});

test('ingest reads stdin with -', async () => {
  const res = await runCli(['ingest', '-', '--db', db, '--json'], {
    stdin: ndjson(events(5, 'stdin')),
  });
  assert.equal(res.code, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout).accepted, 5);
});

test('keys: create prints the key once, list never shows it, revoke', async () => {
  const created = await runCli([
    'keys',
    'create',
    '--scope',
    'read',
    '--name',
    'grafana',
    '--db',
    db,
    '--json',
  ]);
  assert.equal(created.code, 0, created.stderr);
  const { id, key, scope } = JSON.parse(created.stdout);
  assert.equal(scope, 'read');
  assert.match(key, /^tl_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
  const list = await runCli(['keys', 'list', '--db', db, '--json']);
  assert.ok(!list.stdout.includes(key.slice('tl_'.length + 16 + 1)), 'the secret is never listed');
  assert.ok(!list.stdout.includes('scrypt'), 'nor its hash');
  assert.deepEqual(
    JSON.parse(list.stdout).map((k: { id: string; name: string }) => [k.id, k.name]),
    [[id, 'grafana']],
  );
  assert.equal((await runCli(['keys', 'revoke', id, '--db', db])).code, 0);
  const twice = await runCli(['keys', 'revoke', id, '--db', db]);
  assert.equal(twice.code, 1);
  assert.match(twice.stderr, /no active key/);
  const badScope = await runCli(['keys', 'create', '--scope', 'root', '--db', db]);
  assert.equal(badScope.code, 2);
});

test('directory import and simulate option errors', async () => {
  const file = join(dir, 'directory.ndjson');
  writeFileSync(
    file,
    '{"account":{"id":"u-1"},"recovery":[{"channel":"email","address":"x@mail.example"}],"mfa":[]}\n',
  );
  const res = await runCli(['directory', 'import', file, '--db', db]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, /^1 accepted, 0 updated, 0 rejected directory records/);
  const badScenario = await runCli(['simulate', '--scenario', 'nope', '--seed', '1', '--out', dir]);
  assert.equal(badScenario.code, 2);
  assert.match(badScenario.stderr, /--scenario: expected one of recovery-abuse/);
  const badSeed = await runCli(['simulate', '--scenario', 'mixed', '--seed', 'x', '--out', dir]);
  assert.equal(badSeed.code, 2);
  assert.match(badSeed.stderr, /--seed: expected a whole number/);
});

test(
  'demo: simulates, imports, scores, evaluates, shows the recovery graph and the campaigns',
  { timeout: 120_000 },
  async () => {
    const demoDb = `sqlite:${join(dir, 'demo.db')}`;
    const r = await runCli([
      'demo',
      '--accounts',
      '400',
      '--days',
      '8',
      '--db',
      demoDb,
      '--reports',
      join(dir, 'reports'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^4\. Decisions: [\d,]+ allow, [\d,]+ challenge, [\d,]+ deny$/m);
    assert.match(r.stdout, /benign events challenged or denied: /);
    assert.match(
      r.stdout,
      /^ {3}[\d,]+ step\(s\) stopped while far more accounts than usual were tried from somewhere new \(attempt-burst\)\n {3}e\.g\. evt-\d+: a burst across the tenant: \d+ accounts/m,
    );
    assert.match(r.stdout, /^6\. The account-recovery graph: [\d,]+ nodes, [\d,]+ recovery links/m);
    assert.match(r.stdout, /watch-listed accounts can be recovered through a weak channel/);
    assert.match(r.stdout, /\.\/bin\/tripline graph u-\d+ --db /);
    assert.match(
      r.stdout,
      /^7\. A vendor publishes a threat-intel report .*\n {3}[\d,]+ indicators naming (Charming Kitten|Mint Sandstorm|TA453|Phosphorus); re-examined [\d,]+ stored events: [1-9][\d,]* matched/m,
    );
    assert.match(
      r.stdout,
      /^8\. Campaigns found by correlating the hostile steps across accounts: [1-9]/m,
    );
    assert.match(
      r.stdout,
      /^ {3}cmp-[0-9a-f]{10} .* [\d,]+ targeted, [\d,]+ compromised, actor: /m,
    );
    // The report names the actor by a vendor alias; attribution resolves it to APT35.
    assert.match(r.stdout, /actor: APT35 \(\d+%\)/);
    const report = /disclosure report of the largest: (\S+\.html)$/m.exec(r.stdout)?.[1];
    assert.ok(report && report.startsWith(dir), `report path in ${dir}: ${report}`);
    assert.match(readFileSync(report, 'utf8'), /<html/i);
  },
);
