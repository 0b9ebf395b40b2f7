/**
 * The correlate stage on hand-made signals: what joins, what stays apart,
 * who counts as compromised, and that the same signals give the same
 * campaigns — straight through, or restored from a saved state halfway.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  campaignView,
  compromisingEvents,
  layoutCampaigns,
} from '../src/correlate/campaign-view.js';
import { CampaignBook } from '../src/correlate/campaign-book.js';
import type { AppliedEdit } from '../src/correlate/campaign-edits.js';
import { parseCampaignEdit } from '../src/correlate/campaign-edits.js';
import { Correlator } from '../src/correlate/correlator.js';
import type { Member } from '../src/correlate/correlator.js';
import type { CorrelationSignal, SourceSpread } from '../src/domain/signal.js';

const T0 = Date.parse('2026-10-01T00:00:00.000Z');
const MIN = 60_000;
let n = 0;

function sig(o: Partial<CorrelationSignal> & { account: string; at: number }): CorrelationSignal {
  const { account, at, ...rest } = o;
  return {
    tenant: 'default',
    eventId: `e-${++n}`,
    accountId: account,
    tags: [],
    time: T0 + at * MIN,
    type: 'signin',
    outcome: 'failure',
    verdict: 'deny',
    score: 0.8,
    detectors: ['source-spread'],
    attempt: true,
    compromise: false,
    hosting: false,
    emails: [],
    spread: [],
    ...rest,
  };
}

const spread = (kind: SourceSpread['kind'], value: string, attempted: number, familiar = 0) => ({
  kind,
  value,
  attempted,
  familiar,
});

/** A browser string the spraying tests share. */
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/154.0.0.0 Safari/537.36';

/** A fresh correlator loaded with a saved state of `c`, through JSON as a snapshot would be. */
function restoredCopy(c: Correlator): Correlator {
  const restored = new Correlator();
  restored.restore(JSON.parse(JSON.stringify(c.capture())));
  return restored;
}

const names = () => () => undefined;
function views(c: Correlator) {
  const { groups } = layoutCampaigns(c.campaigns('default'), []);
  return [...groups.values()].map((g) =>
    campaignView(g, { now: c.now('default')!, techniqueName: names() }),
  );
}

test('one address trying many accounts is one campaign, with every account as a target', () => {
  const c = new Correlator();
  for (let i = 0; i < 6; i++) c.observe(sig({ account: `u${i}`, at: i, ip: '203.0.113.7' }));
  const [campaign, ...rest] = views(c);
  assert.equal(rest.length, 0);
  assert.equal(campaign!.targeted_count, 6);
  assert.equal(campaign!.compromised_count, 0);
  assert.deepEqual(campaign!.infrastructure.ips, ['203.0.113.7']);
  assert.ok(campaign!.joined_by!.some((j) => j.link === 'ip' && j.value === '203.0.113.7'));
});

test('a corporate VPN that many accounts use familiarly joins nothing', () => {
  const c = new Correlator();
  for (let i = 0; i < 6; i++)
    c.observe(
      sig({
        account: `u${i}`,
        at: i,
        ip: '198.51.100.1',
        detectors: ['credential-exposed'],
        spread: [spread('ip', '198.51.100.1', 6, 40)],
      }),
    );
  assert.equal(c.campaigns('default').length, 0);
});

test('new-context steps alone (a traveller, a hotel network) never make a campaign', () => {
  const c = new Correlator();
  for (let i = 0; i < 5; i++)
    c.observe(
      sig({
        account: `u${i}`,
        at: i * 60,
        ip: '192.0.2.50',
        outcome: 'success',
        attempt: false,
        verdict: 'challenge',
        detectors: ['unfamiliar-signin', 'impossible-travel'],
      }),
    );
  assert.equal(c.campaigns('default').length, 0);
});

test('a spray from one-off proxy addresses joins through its client string once that has tried many accounts', () => {
  const c = new Correlator();
  const ua = 'python-requests/2.32.3';
  for (let i = 0; i < 40; i++)
    c.observe(
      sig({
        account: `u${i}`,
        at: i,
        ip: `100.64.${i}.9`,
        userAgent: ua,
        spread: [spread('client', ua, i + 1)],
      }),
    );
  const list = views(c);
  assert.equal(list.length, 1, 'the attempts before the string was usable were folded in');
  assert.equal(list[0]!.targeted_count, 40);
  assert.ok(
    list[0]!.techniques.some((t) => t.id === 'T1110.003'),
    'spraying',
  );
});

test('a spray and a recovery campaign sharing one browser string stay apart', () => {
  const c = new Correlator();
  const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/150.0.0.0 Safari/537.36';
  // Recovery abuse from two servers, each trying many accounts.
  for (let i = 0; i < 30; i++)
    c.observe(
      sig({
        account: `r${i}`,
        at: i * 3,
        ip: i % 2 ? '203.0.113.10' : '203.0.113.11',
        type: i % 3 ? 'recovery.challenge' : 'password.reset.requested',
        outcome: i % 3 ? 'failure' : 'success',
        detectors: ['recovery-probe', 'source-spread'],
        userAgent: ua,
        spread: [spread('client', ua, 30)],
      }),
    );
  // A spray from proxies, one address each, same browser string.
  for (let i = 0; i < 60; i++)
    c.observe(
      sig({
        account: `s${i}`,
        at: i * 3 + 1,
        ip: `100.64.1.${i}`,
        userAgent: ua,
        spread: [spread('client', ua, 60 + i)],
      }),
    );
  const list = views(c).sort((a, b) => a.targeted_count - b.targeted_count);
  assert.equal(list.length, 2);
  assert.equal(list[0]!.targeted_count, 30);
  assert.ok(list[0]!.targets.every((t) => t.account_id.startsWith('r')));
  assert.equal(list[1]!.targeted_count, 60);
  assert.ok(list[1]!.targets.every((t) => t.account_id.startsWith('s')));
});

/** A spray from 40 residential proxies, one address each, one browser string (returned). */
function residentialSpray(c: Correlator): string {
  const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/148.0.0.0 Safari/537.36';
  for (let i = 0; i < 40; i++)
    c.observe(
      sig({
        account: `s${i}`,
        at: i,
        ip: `100.64.2.${i}`,
        userAgent: ua,
        spread: [spread('client', ua, 40 + i)],
      }),
    );
  return ua;
}

test('a rented server guessing a password with a running spray’s browser string does not join the spray', () => {
  const c = new Correlator();
  const ua = residentialSpray(c);
  // Another operation's server: one failed sign-in with the same string, then
  // resets and recovery answers on other accounts from the same address.
  const server = (account: string, at: number, type: CorrelationSignal['type']) =>
    sig({
      account,
      at,
      ip: '192.3.246.159',
      hosting: true,
      type,
      outcome: type === 'password.reset.requested' ? 'success' : 'failure',
      detectors: ['source-spread', 'recovery-probe'],
      userAgent: ua,
      spread: [spread('client', ua, 80)],
    });
  c.observe(server('r0', 50, 'signin'));
  for (let i = 1; i < 8; i++) {
    c.observe(server(`r${i}`, 50 + 2 * i, 'password.reset.requested'));
    c.observe(server(`r${i}`, 51 + 2 * i, 'recovery.challenge'));
  }
  // One more proxy of the spray still joins it through the string.
  c.observe(
    sig({
      account: 's40',
      at: 70,
      ip: '100.64.3.1',
      userAgent: ua,
      spread: [spread('client', ua, 90)],
    }),
  );
  const list = views(c).sort((a, b) => a.targeted_count - b.targeted_count);
  assert.equal(list.length, 2, JSON.stringify(list.map((v) => v.targeted_count)));
  assert.ok(list[0]!.targets.every((t) => t.account_id.startsWith('r')));
  assert.equal(list[0]!.targeted_count, 8);
  assert.ok(list[1]!.targets.every((t) => t.account_id.startsWith('s')));
  assert.equal(list[1]!.targeted_count, 41);
});

test('a device first seen joining a spray through its browser string does not pull another operation in', () => {
  const c = new Correlator();
  const ua = residentialSpray(c);
  // The other operation's laptop, behind a residential address, guesses one
  // password with the same string: it joins the spray by that string alone.
  c.observe(
    sig({
      account: 'r0',
      at: 45,
      ip: '198.51.100.50',
      deviceId: 'op-laptop',
      userAgent: ua,
      spread: [spread('client', ua, 81)],
    }),
  );
  // The same laptop then works through rented servers: resets and recovery answers.
  for (let i = 1; i < 8; i++)
    for (const [k, type] of (['password.reset.requested', 'recovery.challenge'] as const).entries())
      c.observe(
        sig({
          account: `r${i}`,
          at: 50 + 2 * i + k,
          ip: i % 2 ? '192.3.246.159' : '192.3.230.30',
          hosting: true,
          deviceId: 'op-laptop',
          type,
          outcome: type === 'password.reset.requested' ? 'success' : 'failure',
          detectors: ['recovery-probe'],
        }),
      );
  const list = views(c).sort((a, b) => a.targeted_count - b.targeted_count);
  assert.equal(list.length, 2, JSON.stringify(list.map((v) => v.targeted_count)));
  assert.deepEqual(list[0]!.targets.map((t) => t.account_id).sort(), [
    'r1',
    'r2',
    'r3',
    'r4',
    'r5',
    'r6',
    'r7',
  ]);
  assert.equal(list[1]!.targeted_count, 41); // the spray, with the laptop's one guess
});

test('an allowed sign-in from campaign infrastructure is a compromise; a user’s own after a typo is not', () => {
  const c = new Correlator();
  for (let i = 0; i < 4; i++) c.observe(sig({ account: `u${i}`, at: i, ip: '203.0.113.7' }));
  // The attacker's allowed success from the same server.
  c.observe(
    sig({
      account: 'u2',
      at: 10,
      ip: '203.0.113.7',
      outcome: 'success',
      attempt: false,
      verdict: 'allow',
      detectors: [],
    }),
  );
  // u9's own typo, flagged, then their own success from their own address.
  c.observe(
    sig({
      account: 'u9',
      at: 11,
      ip: '192.0.2.9',
      sessionId: 's9',
      userAgent: 'x',
      detectors: ['source-spread'],
    }),
  );
  c.observe(
    sig({
      account: 'u9',
      at: 12,
      ip: '192.0.2.9',
      sessionId: 's9',
      outcome: 'success',
      attempt: false,
      verdict: 'allow',
      detectors: [],
    }),
  );
  const [campaign] = views(c);
  const compromised = campaign!.targets.filter((t) => t.compromised).map((t) => t.account_id);
  assert.deepEqual(compromised, ['u2']);
});

test('in hindsight, an office the accounts made their own is not campaign infrastructure, and accounts’ own allowed sign-ins never are', () => {
  const c = new Correlator();
  // The office's first day: four new laptops behind its NAT, each stopped once (a spray-like spread).
  for (let i = 0; i < 4; i++)
    c.observe(sig({ account: `staff${i}`, at: i, ip: '38.195.93.91', deviceId: `laptop${i}` }));
  // Colleagues sign in from the same address, allowed.
  for (const [i, account] of ['staff4', 'staff5'].entries())
    c.observe(
      sig({
        account,
        at: 10 + i,
        ip: '38.195.93.91',
        outcome: 'success',
        attempt: false,
        verdict: 'allow',
        detectors: [],
      }),
    );
  const compromised = (owned?: (m: Member) => boolean) => {
    const { groups } = layoutCampaigns(c.campaigns('default'), []);
    const [g] = [...groups.values()];
    const view = campaignView(g!, {
      now: c.now('default')!,
      techniqueName: names(),
      ...(owned ? { owned } : {}),
    });
    return view.targets.filter((t) => t.compromised).map((t) => t.account_id);
  };
  // Until hindsight, the address the stopped steps used is the campaign's: its allowed sign-ins are its way in.
  assert.deepEqual(compromised(), ['staff4', 'staff5']);
  // Each laptop then used, trusted, day after day: the office was its people's.
  assert.deepEqual(
    compromised((m) => m.deviceId?.startsWith('laptop') === true),
    [],
  );
});

test('a password that only led to second-factor prompts is not a compromise; an accepted prompt is', () => {
  const c = new Correlator();
  const steps = (account: string, accept: boolean, at: number) => {
    const s = `s-${account}`;
    c.observe(
      sig({
        account,
        at,
        ip: '203.0.113.8',
        sessionId: s,
        outcome: 'success',
        attempt: false,
        detectors: ['credential-exposed'],
      }),
    );
    c.observe(
      sig({
        account,
        at: at + 1,
        ip: '203.0.113.8',
        sessionId: s,
        type: 'mfa.challenge',
        authMethod: 'mfa_push',
      }),
    );
    if (accept)
      c.observe(
        sig({
          account,
          at: at + 2,
          ip: '203.0.113.8',
          sessionId: s,
          type: 'mfa.challenge',
          outcome: 'success',
          attempt: false,
          authMethod: 'mfa_push',
        }),
      );
  };
  steps('a', false, 0);
  steps('b', false, 10);
  steps('c', true, 20);
  const [campaign] = views(c);
  assert.equal(campaign!.targeted_count, 3);
  assert.deepEqual(
    campaign!.targets.filter((t) => t.compromised).map((t) => t.account_id),
    ['c'],
  );
  assert.ok(
    campaign!.techniques.some((t) => t.id === 'T1621'),
    'MFA request generation',
  );
});

test('the same signals give the same campaigns, straight through or restored from a saved state', () => {
  const signals: CorrelationSignal[] = [];
  for (let i = 0; i < 200; i++)
    signals.push(
      sig({
        account: `u${i % 70}`,
        at: i * 7,
        ip: i % 5 === 0 ? `100.64.9.${i}` : `203.0.113.${i % 4}`,
        userAgent: i % 3 ? 'ua-a' : 'ua-b',
        sessionId: `s${i}`,
        outcome: i % 17 === 0 ? 'success' : 'failure',
        attempt: i % 17 !== 0,
        verdict: i % 11 === 0 ? 'allow' : 'deny',
        detectors: i % 11 === 0 ? [] : ['source-spread'],
        spread: [spread('client', i % 3 ? 'ua-a' : 'ua-b', i)],
      }),
    );
  const straight = new Correlator();
  const ids1 = signals.map((s) => straight.observe(s));
  const first = new Correlator();
  const ids2 = signals.slice(0, 90).map((s) => first.observe(s));
  const restored = new Correlator();
  restored.restore(JSON.parse(JSON.stringify(first.capture())));
  ids2.push(...signals.slice(90).map((s) => restored.observe(s)));
  assert.deepEqual(ids2, ids1);
  assert.deepEqual(views(restored), views(straight));
  assert.ok(views(straight).length >= 1);
});

test('a campaign read as its events arrive (merges, late events, a relay) counts as its steps counted afresh', () => {
  // Views read the cluster's running tally; a group without its cluster counts from its steps.
  const fresh = (c: Correlator) => {
    const { groups } = layoutCampaigns(c.campaigns('default'), []);
    return [...groups.values()].map((g) =>
      campaignView(
        { ...g, cluster: undefined },
        { now: c.now('default')!, techniqueName: names() },
      ),
    );
  };
  const signals: CorrelationSignal[] = [];
  for (let i = 0; i < 240; i++) {
    const relay = i % 9 === 0;
    signals.push(
      sig({
        account: `u${i % 60}`,
        // Every seventh event comes late, hours before its neighbours (and
        // for some accounts before their first step so far).
        at: i * 5 - (i % 7 === 0 ? 400 : 0),
        ip: relay ? `198.51.100.${i % 3}` : `203.0.113.${i % 4}`,
        userAgent: i % 2 ? UA : 'ua-b',
        sessionId: relay ? `relay-${i}` : `s${i}`,
        // One device tries from three addresses: their campaigns merge late.
        deviceId: i >= 150 && i <= 152 ? 'shared-device' : undefined,
        hosting: relay,
        outcome: relay || i % 13 === 0 ? 'success' : 'failure',
        verdict: i % 11 === 0 ? 'challenge' : 'deny',
        spread: [spread('ip', relay ? `198.51.100.${i % 3}` : `203.0.113.${i % 4}`, i)],
      }),
    );
    // A relay uses the session it got straight away.
    if (relay)
      signals.push(
        sig({
          account: `u${i % 60}`,
          at: i * 5 + 1,
          ip: `198.51.100.${i % 3}`,
          sessionId: `relay-${i}`,
          hosting: true,
          type: 'mailbox.forwarding.set',
          outcome: 'success',
          emails: ['Drop@Example.net'],
        }),
      );
  }
  const c = new Correlator();
  signals.forEach((s, i) => {
    c.observe(s);
    if (i % 25 === 0) assert.deepEqual(views(c), fresh(c), `after ${i + 1} signals`);
  });
  assert.deepEqual(views(c), fresh(c));
  assert.deepEqual(views(restoredCopy(c)), fresh(c));
  const all = views(c);
  assert.equal(all.length, 3, 'the device merged three of the five addresses’ campaigns');
  assert.ok(
    all.some((v) => v.techniques.some((t) => t.id === 'T1557')),
    'the relay shows as AiTM',
  );

  // Two relayed sign-ins, but a late failure shows one account was tried
  // before its clean-looking entry: no relay, counted live or afresh.
  const relay = new Correlator();
  const step = (account: string, at: number, o: Partial<CorrelationSignal> = {}) =>
    relay.observe(
      sig({ account, at, ip: '198.51.100.9', hosting: true, sessionId: `r-${account}`, ...o }),
    );
  for (let i = 0; i < 6; i++) step(`z${i}`, 10 + i, { sessionId: `z${i}` });
  for (const account of ['x', 'y']) {
    step(account, 100, { outcome: 'success' });
    step(account, 101, { outcome: 'success', type: 'mailbox.forwarding.set' });
  }
  step('y', 300, { sessionId: 'later' }); // a failure after the entry arrives first
  assert.ok(
    views(relay)[0]!.techniques.some((t) => t.id === 'T1557'),
    'two relays so far',
  );
  step('y', 50, { sessionId: 'earlier' }); // then one from before it
  assert.deepEqual(views(relay), fresh(relay));
  assert.ok(!views(relay)[0]!.techniques.some((t) => t.id === 'T1557'), 'one relay left');
});

test('campaign ids stay stable when a later event merges an earlier cluster in', () => {
  const c = new Correlator();
  for (let i = 0; i < 4; i++) c.observe(sig({ account: `a${i}`, at: i, ip: '203.0.113.1' }));
  const [firstId] = c.campaigns('default').map((x) => x.campaignId);
  for (let i = 0; i < 4; i++) c.observe(sig({ account: `b${i}`, at: 10 + i, ip: '203.0.113.2' }));
  const secondId = c.campaigns('default').find((x) => x.campaignId !== firstId)!.campaignId!;
  // One event from both servers' device ties them: the older campaign keeps its id.
  c.observe(sig({ account: 'c', at: 20, ip: '203.0.113.1', deviceId: 'd1' }));
  c.observe(sig({ account: 'c', at: 21, ip: '203.0.113.2', deviceId: 'd1' }));
  const list = c.campaigns('default');
  assert.equal(list.length, 1);
  assert.equal(list[0]!.campaignId, firstId);
  assert.equal(c.campaign(secondId!)?.campaignId, firstId, 'the merged id resolves');
});

test('analyst edits: rename, note, status, merge and split, laid over in order', () => {
  const c = new Correlator();
  for (let i = 0; i < 4; i++) c.observe(sig({ account: `a${i}`, at: i, ip: '203.0.113.1' }));
  for (let i = 0; i < 4; i++) c.observe(sig({ account: `b${i}`, at: 10 + i, ip: '198.51.100.9' }));
  const [a, b] = c.campaigns('default').map((x) => x.campaignId!);
  const edits: AppliedEdit[] = [
    { op: 'rename', campaign: a!, name: 'Phosphorus, October' },
    { op: 'merge', campaign: a!, from: b! },
    { op: 'note', campaign: b!, text: 'same operator per the report' },
    { op: 'split', campaign: a!, accounts: ['a3', 'b3'], name: 'Stragglers' },
    { op: 'status', campaign: a!, status: 'closed' },
  ].map((raw, i) => {
    const parsed = parseCampaignEdit(raw);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    return {
      seq: i + 1,
      tenant: 'default',
      edit: parsed.value,
      author: 'ana',
      time: '2026-11-01T00:00:00.000Z',
    };
  });
  const { groups, aliases } = layoutCampaigns(c.campaigns('default'), edits);
  assert.equal(aliases.get(b!), a);
  const main = groups.get(a!)!;
  const view = campaignView(main, { now: c.now('default')!, techniqueName: names() });
  assert.equal(view.name, 'Phosphorus, October');
  assert.equal(view.status, 'closed');
  assert.equal(view.targeted_count, 6);
  assert.deepEqual(
    view.notes!.map((x) => x.text),
    ['same operator per the report'],
  );
  const split = [...groups.values()].find((g) => g.name === 'Stragglers')!;
  assert.deepEqual([...new Set(split.members.map((m) => m.account))].sort(), ['a3', 'b3']);
});

test('edit validation names the field', () => {
  const cases: { input: unknown; field: string }[] = [
    { input: null, field: '' },
    { input: { op: 'explode', campaign: 'cmp-0123456789' }, field: 'op' },
    { input: { op: 'rename', campaign: 'x' }, field: 'campaign' },
    { input: { op: 'rename', campaign: 'cmp-0123456789', name: ' ' }, field: 'name' },
    { input: { op: 'status', campaign: 'cmp-0123456789', status: 'gone' }, field: 'status' },
    { input: { op: 'merge', campaign: 'cmp-0123456789', from: 'cmp-0123456789' }, field: 'from' },
    { input: { op: 'split', campaign: 'cmp-0123456789', accounts: [] }, field: 'accounts' },
  ];
  for (const { input, field } of cases) {
    const r = parseCampaignEdit(input);
    assert.equal(r.ok, false, JSON.stringify(input));
    if (!r.ok) assert.equal(r.field, field, JSON.stringify(input));
  }
});

test('failed and pending steps from campaign infrastructure never make an account compromised', () => {
  const c = new Correlator();
  for (let i = 0; i < 4; i++) c.observe(sig({ account: `u${i}`, at: i, ip: '203.0.113.7' }));
  c.observe(
    sig({
      account: 'u1',
      at: 5,
      ip: '203.0.113.7',
      type: 'recovery.challenge',
      outcome: 'pending',
    }),
  );
  c.observe(sig({ account: 'u2', at: 6, ip: '203.0.113.7', type: 'mfa.challenge' }));
  const [group] = layoutCampaigns(c.campaigns('default'), []).groups.values();
  assert.equal(group!.members.length, 6);
  assert.equal(compromisingEvents(group!.members).size, 0);
});

test('techniques and name across steps: narrow spray, wide slow spray, guessing, a spray touching recovery', () => {
  const run = (accounts: number, depth: number, extra: CorrelationSignal[] = []) => {
    const c = new Correlator();
    for (let a = 0; a < accounts; a++)
      for (let d = 0; d < depth; d++)
        c.observe(sig({ account: `t-${a}`, at: a + d * accounts, ip: '198.51.100.5' }));
    for (const s of extra) c.observe(s);
    const [v] = views(c);
    return { ids: v!.techniques.map((t) => t.id), name: v!.name!.replace(/ from .*/, '') };
  };
  const cases: { name: string; got: () => ReturnType<typeof run>; ids: string[]; title: string }[] =
    [
      { name: 'narrow spray', got: () => run(12, 2), ids: ['T1110.003'], title: 'Password spray' },
      {
        name: 'wide, slow spray (5 tries each on 200 accounts)',
        got: () => run(200, 5),
        ids: ['T1110.003'],
        title: 'Password spray',
      },
      {
        name: '5 tries each on 12 accounts is not a spray',
        got: () => run(12, 5),
        ids: ['T1110'],
        title: 'Account takeover attempts',
      },
      {
        name: 'guessing: 12 on each of 3 accounts',
        got: () => run(3, 12),
        ids: ['T1110.001'],
        title: 'Password guessing',
      },
      {
        name: 'a spray that touched two recovery flows is a spray',
        got: () =>
          run(40, 2, [
            sig({ account: 't-1', at: 500, ip: '198.51.100.5', type: 'recovery.challenge' }),
            sig({ account: 't-2', at: 501, ip: '198.51.100.5', type: 'recovery.challenge' }),
          ]),
        ids: ['T1110.003', 'T1586.002'],
        title: 'Password spray',
      },
    ];
  for (const c of cases) {
    const { ids, name } = c.got();
    assert.deepEqual(
      ids.filter((id) => id.startsWith('T1110') || id === 'T1586.002'),
      c.ids,
      c.name,
    );
    assert.equal(name, c.title, c.name);
  }
});

test('a few proxy addresses trying a running spray’s targets with its client string fold into it; other operations do not', () => {
  const c = new Correlator();
  for (let a = 0; a < 60; a++)
    c.observe(sig({ account: `s-${a}`, at: a, ip: '198.51.100.5', userAgent: UA }));
  const before = views(c);
  assert.equal(before.length, 1);
  // Later: one residential address, the spray's browser, three of its targets.
  for (let a = 0; a < 3; a++)
    c.observe(sig({ account: `s-${a * 7}`, at: 2000 + a, ip: '24.10.7.9', userAgent: UA }));
  // A recovery operation on three of the same accounts, same browser: another operation.
  for (let a = 0; a < 3; a++)
    c.observe(
      sig({
        account: `s-${a * 5}`,
        at: 2100 + a,
        ip: '203.0.113.40',
        userAgent: UA,
        type: 'recovery.challenge',
        detectors: ['recovery-probe'],
      }),
    );
  // Another browser on three of its targets: not shown to be the spray.
  for (let a = 0; a < 3; a++)
    c.observe(sig({ account: `s-${a * 3}`, at: 2200 + a, ip: '24.10.8.9', userAgent: 'curl/8.0' }));
  const after = views(c);
  assert.equal(after.length, 3, after.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  const spray = after.find((v) => v.id === before[0]!.id)!;
  assert.equal(spray.events, 63);
  assert.deepEqual(
    spray.joined_by!.find((j) => j.link === 'account'),
    { link: 'account', value: 'its own targets, tried with its client string', events: 3 },
  );
  // Restored from a saved state, the fold and its reason are kept.
  assert.deepEqual(views(restoredCopy(c)), after);
});

test('an address folded into a spray on shared targets does not pull another operation in later', () => {
  const c = new Correlator();
  for (let a = 0; a < 60; a++)
    c.observe(sig({ account: `s-${a}`, at: a, ip: '198.51.100.5', userAgent: UA }));
  // An address that tried three of the spray's targets with its browser folds in.
  for (let a = 0; a < 3; a++)
    c.observe(sig({ account: `s-${a * 7}`, at: 2000 + a, ip: '24.10.7.9', userAgent: UA }));
  assert.equal(views(c).length, 1);
  // A recovery operation from rented servers, on accounts of its own...
  const recovery = (account: string, at: number, ip: string, deviceId: string) =>
    (['password.reset.requested', 'recovery.challenge'] as const).map((type, k) =>
      sig({
        account,
        at: at + k,
        ip,
        hosting: ip !== '24.10.7.9',
        deviceId,
        type,
        outcome: type === 'password.reset.requested' ? 'success' : 'failure',
        detectors: ['recovery-probe'],
      }),
    );
  for (let a = 0; a < 8; a++)
    for (const s of recovery(`q-${a}`, 3000 + 10 * a, '192.3.246.159', 'rec-laptop')) c.observe(s);
  // ...whose laptop then works once through the folded address.
  for (const s of recovery('q-8', 3200, '24.10.7.9', 'rec-laptop')) c.observe(s);
  const list = views(c).sort((a, b) => a.targeted_count - b.targeted_count);
  assert.equal(list.length, 2, list.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  assert.deepEqual(
    list[0]!.targets.map((t) => t.account_id).sort(),
    Array.from({ length: 9 }, (_, a) => `q-${a}`),
  );
  assert.equal(list[1]!.targeted_count, 60);
  assert.deepEqual(views(restoredCopy(c)), views(c));
});

test('a proxy address trying accounts the spray never reached, in its hours and with its browsers, folds in; at another time, with another client or another technique it does not', () => {
  const c = new Correlator();
  const spray = (a: number) =>
    c.observe(sig({ account: `s-${a}`, at: a, ip: '198.51.100.5', userAgent: UA }));
  for (let a = 0; a < 60; a++) {
    spray(a);
    // A residential exit of the same pool, on three accounts of its own.
    if (a >= 30 && a < 33)
      c.observe(sig({ account: `p-${a}`, at: a, ip: '24.10.7.9', userAgent: UA }));
    // The same kind of exit with a client the spray never used.
    if (a >= 33 && a < 36)
      c.observe(sig({ account: `q-${a}`, at: a, ip: '24.10.8.9', userAgent: 'curl/8.0' }));
    // A recovery operation in the same hours, with the same browser.
    if (a >= 36 && a < 39)
      c.observe(
        sig({
          account: `r-${a}`,
          at: a,
          ip: '24.10.9.9',
          userAgent: UA,
          type: 'recovery.challenge',
          detectors: ['recovery-probe'],
        }),
      );
  }
  // Three days later, while the spray is idle: the same kind of exit, the same browser.
  for (let a = 0; a < 3; a++)
    c.observe(
      sig({ account: `l-${a}`, at: 3 * 24 * 60 + a * 30, ip: '24.10.10.9', userAgent: UA }),
    );
  const after = views(c);
  assert.equal(after.length, 4, after.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  const main = after.find((v) => v.targets.some((t) => t.account_id === 's-0'))!;
  assert.equal(main.targeted_count, 63);
  assert.ok(main.targets.some((t) => t.account_id === 'p-31'));
  assert.deepEqual(
    main.joined_by!.find((j) => j.link === 'time'),
    {
      link: 'time',
      value: 'other accounts, tried in its hours with its client strings',
      events: 3,
    },
  );
  for (const prefix of ['q-', 'r-', 'l-'])
    assert.ok(
      after.some((v) => v.targeted_count === 3 && v.targets[0]!.account_id.startsWith(prefix)),
      `${prefix} stays a campaign of its own`,
    );
  // Restored from a saved state, the fold and its reason are kept.
  assert.deepEqual(views(restoredCopy(c)), after);
});

test('a proxy address that tried a few accounts before the spray reached them folds in once it does', () => {
  const c = new Correlator();
  // The spray starts on its first accounts from its own server…
  for (let a = 0; a < 30; a++)
    c.observe(sig({ account: `s-${a}`, at: a, ip: '198.51.100.5', userAgent: UA }));
  // …and, two hours after it paused, a residential exit tries three accounts it has not reached yet.
  for (let a = 0; a < 3; a++)
    c.observe(sig({ account: `s-${100 + a}`, at: 180 + a, ip: '24.10.7.9', userAgent: UA }));
  assert.equal(views(c).length, 2, 'apart while they share nothing but a browser string');
  // The spray goes on through the rest of its list, those three included.
  for (let a = 30; a < 110; a++)
    c.observe(sig({ account: `s-${a}`, at: 200 + a, ip: '198.51.100.5', userAgent: UA }));
  const after = views(c);
  assert.equal(after.length, 1, after.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  assert.equal(after[0]!.targeted_count, 110);
  // Restored from a saved state, the campaign is the same.
  assert.deepEqual(views(restoredCopy(c)), after);
});

test('a spray that reaches accounts by merging with another cluster takes in the small campaign already on them, straight through and after a restore', () => {
  const steps: CorrelationSignal[] = [];
  // The spray on its first accounts, from its own server.
  for (let a = 0; a < 30; a++)
    steps.push(sig({ account: `s-${a}`, at: a, ip: '198.51.100.5', userAgent: UA }));
  // Two hours after it paused, a residential exit tries three accounts of its own.
  for (let a = 0; a < 3; a++)
    steps.push(sig({ account: `x-${a}`, at: 180 + a, ip: '24.10.7.9', userAgent: UA }));
  // A client on another address tries two of them: attempts with no evidence yet, no campaign.
  for (let a = 0; a < 2; a++)
    steps.push(
      sig({
        account: `x-${a}`,
        at: 200 + a,
        ip: '203.0.113.9',
        deviceId: 'dev-9',
        detectors: ['unfamiliar-signin'],
      }),
    );
  // The spray's server uses that device: the two clusters are one, and the spray holds x-0 and x-1.
  steps.push(
    sig({ account: 's-30', at: 220, ip: '198.51.100.5', deviceId: 'dev-9', userAgent: UA }),
  );
  // The exit comes back to its third account.
  steps.push(sig({ account: 'x-2', at: 240, ip: '24.10.7.9', userAgent: UA }));
  const run = (restoreAt: number | undefined) => {
    let c = new Correlator();
    steps.forEach((s, i) => {
      if (i === restoreAt) c = restoredCopy(c);
      c.observe(s);
    });
    return views(c);
  };
  const straight = run(undefined);
  assert.equal(straight.length, 1, straight.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  assert.equal(straight[0]!.targeted_count, 34);
  assert.ok(
    straight[0]!.joined_by!.some((j) => j.link === 'account'),
    'folded by its targets',
  );
  // Restored before the other client's steps, before the merge, or after it: the same campaign.
  for (const at of [33, 35, 36]) assert.deepEqual(run(at), straight, `restored at step ${at}`);
});

test('evidence of an attack on one account alone does not make a campaign of the accounts its address touched', () => {
  const c = new Correlator();
  // Three colleagues behind an egress new to them, each denied as a stranger on their first day.
  for (const [i, a] of ['v-1', 'v-2', 'v-3'].entries())
    c.observe(
      sig({
        account: a,
        at: i,
        ip: '40.66.230.222',
        outcome: 'success',
        attempt: false,
        compromise: true,
        detectors: ['unfamiliar-signin'],
        deviceId: `laptop-${a}`,
      }),
    );
  // Weeks later one of them mistypes a code twice, on their own laptop.
  const later = 20 * 24 * 60;
  const typo = (account: string, at: number) =>
    sig({
      account,
      at,
      ip: '40.66.230.97',
      type: 'mfa.challenge',
      verdict: 'challenge',
      detectors: ['recovery-probe'],
      deviceId: `laptop-${account}`,
    });
  c.observe(typo('v-1', later));
  assert.equal(views(c).length, 0, 'one account’s own story');
  // The same on a second account: evidence on two of them makes it a campaign.
  c.observe(typo('v-2', later + 5));
  assert.equal(views(c).length, 1);
});

test('a few steps with evidence on one account still fold into the running campaign whose targets they tried', () => {
  const c = new Correlator();
  for (let a = 0; a < 60; a++)
    c.observe(sig({ account: `s-${a}`, at: a, ip: '198.51.100.5', userAgent: UA }));
  // Another exit of the operation on three of its targets; only the last step showed its spread.
  for (let a = 0; a < 3; a++)
    c.observe(
      sig({
        account: `s-${a * 7}`,
        at: 100 + a,
        ip: '24.10.7.9',
        userAgent: UA,
        detectors: a === 2 ? ['source-spread'] : [],
      }),
    );
  const after = views(c);
  assert.equal(after.length, 1, after.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  assert.equal(after[0]!.events, 63);
});

test('the campaign book asks the engine in hindsight, and views again when the engine has seen more', () => {
  const c = new Correlator();
  for (let i = 0; i < 4; i++)
    c.observe(sig({ account: `staff${i}`, at: i, ip: '38.195.93.91', deviceId: `laptop${i}` }));
  c.observe(
    sig({
      account: 'staff4',
      at: 10,
      ip: '38.195.93.91',
      outcome: 'success',
      attempt: false,
      verdict: 'allow',
      detectors: [],
    }),
  );
  const theirs = new Set<string>();
  let processed = 0;
  const book = new CampaignBook(c, {
    techniqueName: names(),
    owned: (tenant, m) => tenant === 'default' && theirs.has(m.account),
    revision: () => processed,
  });
  const compromised = () =>
    book
      .list('default')[0]!
      .targets.filter((t) => t.compromised)
      .map((t) => t.account_id);
  assert.deepEqual(compromised(), ['staff4']);
  // The engine learns that the office laptops are their owners' (no new signal).
  for (let i = 0; i < 4; i++) theirs.add(`staff${i}`);
  assert.deepEqual(compromised(), ['staff4'], 'cached until the engine has seen more');
  processed++;
  assert.deepEqual(compromised(), []);
});

/**
 * An adversary-in-the-middle relay: each victim signs in through a rented
 * server with their own browser string; the sign-in is stopped as a takeover
 * and the stolen session sets a mailbox rule from a server too.
 */
function relayVictim(
  account: string,
  at: number,
  server: { ip: string; asn: number },
): CorrelationSignal[] {
  const source = {
    ip: server.ip,
    network: `${server.ip.split('.').slice(0, 3).join('.')}.0/24`,
    asn: server.asn,
    hosting: true,
    deviceId: `d-${account}`,
    sessionId: `s-${account}`,
  };
  return [
    sig({
      account,
      at,
      ...source,
      outcome: 'success',
      attempt: false,
      compromise: true,
      detectors: ['unfamiliar-signin', 'hosting-network'],
    }),
    sig({
      account,
      at: at + 15,
      ...source,
      type: 'mailbox.rule.created',
      outcome: 'success',
      attempt: false,
      compromise: true,
      detectors: ['post-takeover', 'unfamiliar-signin', 'hosting-network'],
    }),
  ];
}

test('a relay server with two takeovers of its own folds into the relay campaign at work in its hours once that is five times larger; days later it does not', () => {
  const run = (pairAt: number) => {
    const c = new Correlator();
    const steps: CorrelationSignal[] = [];
    // The campaign's server takes over twelve accounts in an afternoon.
    for (let v = 0; v < 12; v++)
      steps.push(...relayVictim(`v-${v}`, v * 20, { ip: '45.77.179.29', asn: 20473 }));
    // Another provider's server takes over two: too small to be a campaign.
    // Early in the afternoon, the campaign is not yet five times larger.
    steps.push(...relayVictim('p-0', pairAt, { ip: '45.33.12.136', asn: 63949 }));
    steps.push(...relayVictim('p-1', pairAt + 20, { ip: '45.33.12.136', asn: 63949 }));
    steps.sort((a, b) => a.time - b.time);
    for (const s of steps) c.observe(s);
    return c;
  };
  const c = run(50);
  const [campaign, ...rest] = views(c);
  assert.equal(rest.length, 0);
  assert.equal(campaign!.targeted_count, 14);
  assert.equal(campaign!.compromised_count, 14);
  assert.deepEqual(
    campaign!.joined_by!.find((j) => j.link === 'time'),
    {
      link: 'time',
      value: 'accounts taken over and used from other rented servers in its hours',
      events: 4,
    },
  );
  assert.deepEqual(views(restoredCopy(c)), views(c));
  // The same pair three days later: not the afternoon's relay.
  const later = views(run(3 * 24 * 60));
  assert.equal(later.length, 1);
  assert.equal(later[0]!.targeted_count, 12);
});

test("three servers of one provider taking over three accounts each in the same hours are one relay; three providers' are three campaigns", () => {
  const run = (asns: readonly number[]) => {
    const c = new Correlator();
    const servers = ['173.212.227.5', '173.212.195.194', '207.180.220.236'];
    const steps: CorrelationSignal[] = [];
    for (let v = 0; v < 3; v++)
      for (let k = 0; k < 3; k++)
        steps.push(
          ...relayVictim(`v-${k}-${v}`, (3 * v + k) * 20, { ip: servers[k]!, asn: asns[k]! }),
        );
    steps.sort((a, b) => a.time - b.time);
    for (const s of steps) c.observe(s);
    return c;
  };
  const one = run([51167, 51167, 51167]);
  const list = views(one);
  assert.equal(list.length, 1, list.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  assert.equal(list[0]!.targeted_count, 9);
  assert.equal(list[0]!.compromised_count, 9);
  assert.deepEqual(views(restoredCopy(one)), list);
  const three = views(run([51167, 20473, 63949]));
  assert.deepEqual(
    three.map((v) => v.targeted_count),
    [3, 3, 3],
  );
});

test('an account a spray tried first, taken over and used from a rented server in a relay campaign’s hours, is not the relay’s', () => {
  const c = new Correlator();
  const steps: CorrelationSignal[] = [];
  for (let v = 0; v < 12; v++)
    steps.push(...relayVictim(`v-${v}`, v * 20, { ip: '45.77.179.29', asn: 20473 }));
  // A spray from one address tries ten other accounts in the same hours…
  for (let a = 0; a < 10; a++)
    steps.push(sig({ account: `s-${a}`, at: 5 + a * 10, ip: '198.51.100.5' }));
  // …and its hit on s-3 is used from another provider's server.
  steps.push(...relayVictim('s-3', 200, { ip: '146.70.13.167', asn: 9009 }));
  steps.sort((a, b) => a.time - b.time);
  for (const s of steps) c.observe(s);
  const relay = views(c).find((v) => v.targets.some((t) => t.account_id === 'v-0'))!;
  assert.equal(relay.targeted_count, 12);
  assert.ok(!relay.targets.some((t) => t.account_id === 's-3'));
});
