/**
 * The recovery graph: chains of length 1-4, cycles, history (a recovery
 * address removed before an attack does not count), external nodes, strength.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DirectoryRecord } from '../src/domain/directory-record.js';
import { exposureReport } from '../src/graph/exposure.js';
import { edgeStrength, normalisePhone, RecoveryGraph } from '../src/graph/recovery-graph.js';

const T = Date.UTC(2026, 9, 1);
const HOUR = 3_600_000;

function acct(
  id: string,
  recovery: DirectoryRecord['recovery'] = [],
  extra: { mfa?: string[]; tags?: string[] } = {},
): DirectoryRecord {
  return {
    tenant: 'default',
    account: { id, email: `${id}@mail.example`, ...(extra.tags ? { tags: extra.tags } : {}) },
    recovery,
    mfa: extra.mfa ?? [],
  };
}
const email = (id: string) => ({ channel: 'email' as const, address: `${id}@mail.example` });

/** work ← personal ← old ← ancient ← external mailbox: a chain of four hops. */
function chain(): RecoveryGraph {
  const g = new RecoveryGraph();
  g.loadDirectory([
    acct('work', [email('personal')], { mfa: ['totp'], tags: ['campaign-staff'] }),
    acct('personal', [email('old'), { channel: 'phone', address: '+1 555-0100' }]),
    acct('old', [email('ancient')]),
    acct('ancient', [
      { channel: 'email', address: 'someone@elsewhere.example' },
      { channel: 'kba' },
    ]),
  ]);
  return g;
}

test('recoverers: every node up the chain, with its path, to the depth asked', () => {
  const g = chain();
  const ids = (depth: number) =>
    g.recoverers('default', 'work', { depth }).map((r) => `${r.node.kind}:${r.node.id}@${r.depth}`);
  assert.deepEqual(ids(1), ['account:personal@1']);
  assert.deepEqual(
    ids(2).sort(),
    ['account:old@2', 'account:personal@1', 'phone:+15550100@2'].sort(),
  );
  const all = g.recoverers('default', 'work', { depth: 4 });
  const external = all.find((r) => r.node.kind === 'mailbox')!;
  assert.equal(external.node.id, 'someone@elsewhere.example');
  assert.equal(external.depth, 4);
  assert.equal(external.node.hosted, false);
  assert.deepEqual(
    external.path.edges.map((e) => `${e.from.id}->${e.to.id}`),
    ['someone@elsewhere.example->ancient', 'ancient->old', 'old->personal', 'personal->work'],
    'paths read from the foothold to the account',
  );
  assert.equal(all.find((r) => r.node.kind === 'kba')!.depth, 4);
  assert.equal(g.recoverers('default', 'work', { depth: 3 }).length, 3 + 0 + 1, 'depth bounds it');
});

test('blast radius: every account reachable from a foothold', () => {
  const g = chain();
  const from = (id: string) =>
    g
      .blastRadius('default', id)
      .map((r) => r.node.id)
      .sort();
  assert.deepEqual(from('ancient'), ['old', 'personal', 'work']);
  assert.deepEqual(from('work'), []);
  assert.deepEqual(
    g
      .blastRadiusOf('default', 'phone', '+1 (555) 0100')
      .map((r) => r.node.id)
      .sort(),
    ['personal', 'work'],
  );
  assert.deepEqual(
    g
      .blastRadiusOf('default', 'mailbox', 'SOMEONE@elsewhere.example')
      .map((r) => r.node.id)
      .sort(),
    ['ancient', 'old', 'personal', 'work'],
  );
});

test('the weakest path is the one an attacker would take', () => {
  const g = chain();
  const p = g.weakestPath('default', 'work')!;
  assert.equal(p.strength, 0.1, 'the security questions of the far end');
  assert.equal(p.edges[0]!.channel, 'kba');
  assert.equal(p.edges.length, 4);
  assert.equal(
    edgeStrength('email', { kind: 'account', tenant: 't', id: 'x', hosted: true, mfa: ['totp'] }),
    0.85,
  );
  assert.equal(
    edgeStrength('email', { kind: 'account', tenant: 't', id: 'x', hosted: true, mfa: [] }),
    0.5,
  );
});

test('history: a recovery address removed before the attack does not count', () => {
  const g = chain();
  g.channelRemoved('default', 'personal', 'email', 'old@mail.example', T);
  const before = g.recoverers('default', 'work', { time: T - HOUR }).map((r) => r.node.id);
  const after = g.recoverers('default', 'work', { time: T + HOUR }).map((r) => r.node.id);
  assert.ok(before.includes('old') && before.includes('ancient'));
  assert.ok(!after.includes('old') && !after.includes('ancient'));
  assert.deepEqual(
    g
      .recoverers('default', 'work')
      .map((r) => r.node.id)
      .sort(),
    ['+15550100', 'personal'].sort(),
  );
});

test('history: a channel added by an event counts from then on, not before', () => {
  const g = chain();
  g.channelAdded('default', 'work', 'email', 'drop@evil.example', T);
  const at = (time: number) =>
    g
      .recoverers('default', 'work', { time, depth: 1 })
      .map((r) => r.node.id)
      .sort();
  assert.deepEqual(at(T - 1), ['personal']);
  assert.deepEqual(at(T), ['drop@evil.example', 'personal']);
  // The directory, imported later, lists it too: the event's time stands.
  g.loadDirectory([
    acct('work', [email('personal'), { channel: 'email', address: 'drop@evil.example' }], {
      mfa: ['totp'],
    }),
  ]);
  assert.deepEqual(at(T - 1), ['personal']);
  const edge = g.edgesOf('default', 'work').find((e) => e.from.id === 'drop@evil.example')!;
  assert.equal(edge.since, T);
  assert.equal(edge.origin, 'event');
});

test('a method the directory no longer lists is gone after a re-import', () => {
  const g = chain();
  g.loadDirectory([acct('personal', [email('old')])]);
  assert.ok(
    !g.recoverers('default', 'personal', { depth: 1 }).some((r) => r.node.kind === 'phone'),
  );
});

test('cycles: accounts that recover one another', () => {
  const g = new RecoveryGraph();
  g.loadDirectory([
    acct('a', [email('b')]),
    acct('b', [email('c')]),
    acct('c', [email('a')]),
    acct('d', [email('a')]),
    acct('e', [email('f')]),
    acct('f', [email('e')]),
  ]);
  const groups = g
    .cycles()
    .map((c) =>
      c
        .map((n) => n.id)
        .sort()
        .join(','),
    )
    .sort();
  assert.deepEqual(groups, ['a,b,c', 'e,f']);
  g.channelRemoved('default', 'f', 'email', 'e@mail.example', T);
  assert.deepEqual(
    g.cycles({ time: T + 1 }).map((c) => c.length),
    [3],
  );
  // A loop terminates the walks, too.
  assert.deepEqual(
    g
      .blastRadius('default', 'a')
      .map((r) => r.node.id)
      .sort(),
    ['b', 'c', 'd'],
  );
});

test('unknown accounts and methods without an address are handled', () => {
  const g = chain();
  assert.deepEqual(g.recoverers('default', 'nobody'), []);
  assert.equal(g.weakestPath('default', 'nobody'), undefined);
  assert.equal(g.weakestPath('default', 'ancient')!.strength, 0.1);
  g.loadDirectory([acct('lonely', [{ channel: 'email' }])]);
  assert.deepEqual(g.recoverers('default', 'lonely'), []);
  assert.equal(normalisePhone('+1 (555) 010-0'), '+15550100');
});

test('exposure report: weak ways in for tagged accounts, counted by tag, with a fix each', () => {
  const g = new RecoveryGraph();
  const staff = (i: number, backup: string) =>
    acct(`staff-${i}`, [email(backup)], { mfa: ['totp'], tags: ['campaign-staff'] });
  g.loadDirectory([
    staff(1, 'weak-1'),
    staff(2, 'weak-2'),
    staff(3, 'strong'),
    acct('weak-1', []), // a mailbox with no MFA
    acct('weak-2', [{ channel: 'kba' }]),
    acct('strong', [{ channel: 'authenticator' }], { mfa: ['totp'] }),
    acct('journo', [{ channel: 'email', address: 'j.private@elsewhere.example' }], {
      mfa: ['push'],
      tags: ['journalist'],
    }),
    acct('bystander', [{ channel: 'kba' }]),
  ]);
  const r = exposureReport(g, { tags: ['campaign-staff', 'journalist'] });
  assert.equal(r.accounts, 4);
  assert.equal(r.exposed, 3);
  const lines = r.summary.map((s) => s.text);
  assert.ok(
    lines.includes('2 campaign-staff accounts can be recovered through a mailbox that has no MFA'),
    lines.join('\n'),
  );
  assert.ok(lines.includes('1 campaign-staff account can be recovered through security questions'));
  assert.ok(
    lines.includes('1 journalist account can be recovered through a mailbox outside the provider'),
  );
  assert.ok(
    !r.details.some((d) => d.account.id === 'staff-3'),
    'MFA and an authenticator all the way',
  );
  assert.ok(
    !r.details.some((d) => d.account.id === 'bystander'),
    'untagged accounts are not in it',
  );
  const weakest = r.details[0]!;
  assert.equal(weakest.account.id, 'staff-2');
  assert.equal(weakest.strength, 0.1);
  const kba = weakest.findings.find((f) => f.weakness === 'security-questions')!;
  assert.match(kba.fix, /remove the security questions of account weak-2/);
  assert.deepEqual(
    kba.path.edges.map((e) => e.to.id),
    ['weak-2', 'staff-2'],
  );
  const journo = r.details.find((d) => d.account.id === 'journo')!;
  assert.match(journo.findings[0]!.fix, /j…@elsewhere\.example/, 'addresses are masked');
});
