/**
 * `recovery-pivot` and pre-emptive protection: the backup-mailbox pivot of the
 * reference attacks, and the owner recovering through their own backup.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DirectoryRecord } from '../src/domain/directory-record.js';
import type { Decision } from '../src/domain/decision.js';
import type { NativeEvent } from '../src/domain/event.js';
import { RiskEngine } from '../src/detect/risk-engine.js';
import { Enricher } from '../src/enrich/enricher.js';
import { RecoveryGraph } from '../src/graph/recovery-graph.js';

const enricher = Enricher.load();
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1, 9);
const HOME = '73.74.250.71';
const DIGITALOCEAN = '159.203.1.1';
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36';

const directory: DirectoryRecord[] = [
  {
    tenant: 'default',
    account: { id: 'work', email: 'ana@campaign.example', tags: ['campaign-staff'] },
    recovery: [{ channel: 'email', address: 'ana.home@mail.example' }],
    mfa: ['totp'],
  },
  {
    tenant: 'default',
    account: { id: 'home', email: 'ana.home@mail.example' },
    recovery: [{ channel: 'kba' }],
    mfa: [],
  },
  {
    tenant: 'default',
    account: { id: 'side', email: 'side@campaign.example' },
    recovery: [{ channel: 'email', address: 'ana.home@mail.example' }],
    mfa: [],
  },
];

let seq = 0;
function ev(
  at: number,
  account: string,
  type: NativeEvent['type'],
  extra: Record<string, unknown> = {},
  ip = HOME,
  device = `laptop-${account}`,
): [NativeEvent, number] {
  return [
    {
      id: `p-${++seq}`,
      time: new Date(at).toISOString(),
      tenant: 'default',
      type,
      outcome: 'success',
      account: { id: account },
      source: { ip, user_agent: UA, device_id: device },
      ...extra,
    } as NativeEvent,
    at,
  ];
}

function engine(): RiskEngine {
  const graph = new RecoveryGraph();
  graph.loadDirectory(directory);
  const e = new RiskEngine({ enricher, graph });
  // Ten days of ordinary life for all three, and for a crowd of others.
  for (let d = 0; d < 10; d++) {
    for (const a of ['work', 'home', 'side']) e.process(...ev(T0 + d * DAY, a, 'signin'));
    for (let i = 0; i < 40; i++)
      e.process(
        ...ev(T0 + d * DAY + i * 1000, `crowd-${i}`, 'signin', {}, `24.${10 + i}.${d}.9`, `c-${i}`),
      );
  }
  return e;
}

const T = T0 + 11 * DAY;
const reset = (account: string, at: number, address: string, ip: string, device: string) => [
  ev(at, account, 'password.reset.requested', {}, ip, device),
  ev(
    at + 60_000,
    account,
    'recovery.challenge',
    { recovery: { channel: 'email', address } },
    ip,
    device,
  ),
  ev(
    at + 120_000,
    account,
    'password.reset.completed',
    { recovery: { channel: 'email', address } },
    ip,
    device,
  ),
];

function takeOverHome(e: RiskEngine): Decision[] {
  // Security questions guessed from a hosting network: the backup mailbox falls.
  const steps = [
    ev(T, 'home', 'password.reset.requested', {}, DIGITALOCEAN, 'd-x'),
    ev(
      T + 30_000,
      'home',
      'recovery.challenge',
      { outcome: 'failure', recovery: { channel: 'kba' } },
      DIGITALOCEAN,
      'd-x',
    ),
    ev(
      T + 60_000,
      'home',
      'recovery.challenge',
      { outcome: 'failure', recovery: { channel: 'kba' } },
      DIGITALOCEAN,
      'd-x',
    ),
    ev(
      T + 90_000,
      'home',
      'recovery.challenge',
      { recovery: { channel: 'kba' } },
      DIGITALOCEAN,
      'd-x',
    ),
    ev(T + 120_000, 'home', 'password.reset.completed', {}, DIGITALOCEAN, 'd-x'),
  ];
  return steps.map(([event, at]) => e.process(event, at));
}

test('the pivot: work reset through the backup mailbox taken over an hour earlier', () => {
  const e = engine();
  const home = takeOverHome(e);
  assert.ok(
    home.some((d) => d.decision !== 'allow'),
    JSON.stringify(home),
  );
  const pivot = reset('work', T + 3_600_000, 'ana.home@mail.example', '185.220.101.5', 'd-y').map(
    ([event, at]) => e.process(event, at),
  );
  const challenge = pivot[1]!;
  assert.notEqual(challenge.decision, 'allow', JSON.stringify(challenge));
  const reason = challenge.reasons.find((r) => r.detector === 'recovery-pivot');
  assert.ok(reason, JSON.stringify(challenge));
  assert.match(reason.detail, /backup mailbox of account home, itself risky/);
  assert.match(reason.detail, /path home -\(email\)-> work/);
});

test('the owner recovering through their own backup mailbox is not a pivot', () => {
  const e = engine();
  const steps = reset('work', T, 'ana.home@mail.example', HOME, 'laptop-work').map(([event, at]) =>
    e.process(event, at),
  );
  for (const d of steps) {
    assert.ok(!d.reasons.some((r) => r.detector === 'recovery-pivot'), JSON.stringify(d));
    assert.equal(d.decision, 'allow', JSON.stringify(d));
  }
});

test('with the backup mailbox risky, the owner resetting from their own device and network is noted, not stopped', () => {
  const e = engine();
  const home = takeOverHome(e);
  assert.ok(home.some((d) => d.decision !== 'allow'));
  const steps = reset('work', T + 3_600_000, 'ana.home@mail.example', HOME, 'laptop-work').map(
    ([event, at]) => e.process(event, at),
  );
  // The finding is kept below what a decision lists: it only explains, it does not count.
  for (const d of steps) {
    assert.equal(d.decision, 'allow', JSON.stringify(d));
    assert.ok(d.score < 0.2, JSON.stringify(d));
  }
});

test('a compromise raises the sensitivity of its blast radius, and the decision lists it', () => {
  const e = engine();
  const home = takeOverHome(e);
  const judged = home.find((d) => d.blast_radius);
  assert.ok(judged, `one step judged home compromised: ${JSON.stringify(home)}`);
  assert.deepEqual([...judged.blast_radius!].sort(), ['side', 'work']);
  // side, with no MFA and no tag, signs in from a new place: stricter now.
  const [event, at] = ev(T + 2 * 3_600_000, 'side', 'signin', {}, '79.211.116.27', 'd-new');
  const d = e.process(event, at);
  const note = d.reasons.find((r) => r.detector === 'recovery-pivot');
  assert.ok(note, JSON.stringify(d));
  assert.match(note.detail, /in the blast radius of account home, judged compromised/);
});
