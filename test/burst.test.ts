/**
 * Bursts (src/correlate/burst.ts): the Poisson threshold, and the correlator
 * grouping attempts that share no infrastructure into one campaign when an
 * hour holds far more of them than the tenant usually sees — and not when
 * the same attempts trickle in over days.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { campaignView, layoutCampaigns } from '../src/correlate/campaign-view.js';
import {
  BURST_MIN_ACCOUNTS,
  burstThreshold,
  poissonTail,
  usualRate,
} from '../src/domain/burst-rate.js';
import { Correlator } from '../src/correlate/correlator.js';
import type { Member } from '../src/correlate/correlator.js';
import type { CorrelationSignal } from '../src/domain/signal.js';

const T0 = Date.parse('2026-10-01T00:00:00.000Z');
const MIN = 60_000;
let n = 0;

/** A failed sign-in from a fresh address, client and device: it links to nothing. */
function stray(account: string, at: number, o: Partial<CorrelationSignal> = {}): CorrelationSignal {
  const i = ++n;
  return {
    tenant: 'default',
    eventId: `b-${i}`,
    accountId: account,
    tags: [],
    time: T0 + at * MIN,
    type: 'signin',
    outcome: 'failure',
    verdict: 'challenge',
    score: 0.6,
    detectors: ['unfamiliar-signin'],
    attempt: true,
    compromise: false,
    hosting: false,
    ip: `100.${64 + (i % 50)}.${i % 250}.${(i * 7) % 250}`,
    deviceId: `dev-${i}`,
    sessionId: `s-${i}`,
    emails: [],
    spread: [],
    ...o,
  };
}

function views(c: Correlator) {
  const { groups } = layoutCampaigns(c.campaigns('default'), []);
  return [...groups.values()].map((g) =>
    campaignView(g, { now: c.now('default')!, techniqueName: () => undefined }),
  );
}

/**
 * A week of ordinary life (a stray attempt every five hours), then forty
 * accounts tried within two hours; returns when the forty began (minutes).
 */
function weekThenBurst(c: { observe(s: CorrelationSignal): unknown }): number {
  for (let h = 0; h < 7 * 24; h += 5) c.observe(stray(`ord-${h}`, h * 60 + 17));
  const start = 7 * 24 * 60 + 600;
  for (let a = 0; a < 40; a++) c.observe(stray(`t-${a}`, start + a * 3));
  return start;
}

test('the Poisson threshold: ten accounts at a quiet rate, more at a busy one', () => {
  assert.ok(Math.abs(poissonTail(1, 10) - 1.114e-7) < 1e-9);
  assert.equal(burstThreshold(1), BURST_MIN_ACCOUNTS);
  assert.equal(burstThreshold(5), 20);
  assert.ok(burstThreshold(50) > 80 && burstThreshold(50) < 100);
  assert.ok(poissonTail(500, 600) < 1e-4, 'a large rate does not underflow');
});

test('the usual rate over a shorter window follows a rate that fell since the tenant’s first day', () => {
  // A hundred accounts an hour on the first day, none since.
  const counts: [number, number][] = Array.from({ length: 96 }, (_, h) => [h, h < 24 ? 100 : 0]);
  const none = () => false;
  assert.equal(usualRate(counts, 96, none, 0, { floor: 0, peak: 1 }), 25);
  assert.equal(usualRate(counts, 96, none, 0, { floor: 0, peak: 1, window: 24 }), 0);
  assert.equal(usualRate(counts, 30, none, 0, { floor: 0, peak: 1, window: 24 }), 75);
});

test('forty accounts tried in two hours, each from somewhere new, are one campaign with the stopped stranger sign-in as its way in', () => {
  const c = new Correlator();
  // A week of ordinary life: a stray attempt every few hours.
  for (let h = 0; h < 7 * 24; h += 5) c.observe(stray(`ord-${h}`, h * 60 + 17));
  assert.equal(views(c).length, 0);
  const start = 7 * 24 * 60 + 600;
  for (let a = 0; a < 40; a++) c.observe(stray(`t-${a}`, start + a * 3));
  // A password that worked, from a stranger to the account, then a forwarding rule in its session.
  c.observe(
    stray('t-hit', start + 50, {
      outcome: 'success',
      attempt: false,
      verdict: 'deny',
      stranger: true,
      sessionId: 'hit',
    }),
  );
  c.observe(
    stray('t-hit', start + 60, {
      type: 'mailbox.forwarding.set',
      outcome: 'success',
      attempt: false,
      verdict: 'deny',
      detectors: ['post-takeover'],
      sessionId: 'hit',
      emails: ['drop@example.net'],
    }),
  );
  const found = views(c);
  assert.equal(found.length, 1, found.map((v) => `${v.id} ${v.targeted_count}`).join(', '));
  const [campaign] = found;
  assert.equal(campaign!.targeted_count, 41);
  assert.deepEqual(
    campaign!.targets.filter((t) => t.compromised).map((t) => t.account_id),
    ['t-hit'],
  );
  assert.ok(campaign!.joined_by!.some((j) => j.link === 'time' && j.value.startsWith('a burst')));
  assert.ok(
    !campaign!.targets.some((t) => t.account_id.startsWith('ord-')),
    'ordinary strays stay out',
  );
});

test('in a burst, the owner who passes a second factor is not its hit, and a takeover step counts only from where a hit came from', () => {
  const c = new Correlator();
  const start = weekThenBurst(c);
  const success = { outcome: 'success' as const, attempt: false, verdict: 'challenge' as const };
  // The owner on a new laptop, stopped by the burst, passes the second factor.
  c.observe(stray('owner', start + 50, { ...success, stranger: true, sessionId: 'own' }));
  c.observe(
    stray('owner', start + 51, {
      ...success,
      type: 'mfa.challenge',
      verdict: 'allow',
      sessionId: 'own',
    }),
  );
  // A hit, then its forwarding rule minutes later from the same exit, in a new session.
  c.observe(stray('hit', start + 55, { ...success, stranger: true, ip: '198.51.100.77' }));
  const step = {
    type: 'mailbox.forwarding.set' as const,
    ...success,
    detectors: ['post-takeover'],
  };
  c.observe(stray('hit', start + 70, { ...step, ip: '198.51.100.77' }));
  // Another target's own OAuth grant in the burst's hours, from its own address.
  c.observe(stray('t-3', start + 80, { ...step, type: 'oauth.consent.granted' }));
  const [campaign, ...rest] = views(c);
  assert.equal(rest.length, 0);
  const compromised = campaign!.targets.filter((t) => t.compromised).map((t) => t.account_id);
  assert.deepEqual(compromised, ['hit']);
});

test('the same forty attempts spread over four days make no campaign', () => {
  const c = new Correlator();
  for (let a = 0; a < 40; a++) c.observe(stray(`t-${a}`, a * 144));
  assert.equal(views(c).length, 0);
});

test('a tenant that always sees many strays needs many more for a burst', () => {
  const c = new Correlator();
  // A busy tenant: twelve stray accounts every hour for a week.
  for (let h = 0; h < 7 * 24; h++)
    for (let a = 0; a < 12; a++) c.observe(stray(`busy-${h}-${a}`, h * 60 + a * 4));
  const quietBefore = views(c).length;
  // Fifteen in the next hour is ordinary for it.
  for (let a = 0; a < 15; a++) c.observe(stray(`next-${a}`, 7 * 24 * 60 + a * 3));
  assert.equal(views(c).length, quietBefore);
});

/** The campaigns of `signals` observed in order, restored from a saved state (through JSON) before signal `at` if given. */
function replay(signals: readonly CorrelationSignal[], at?: number) {
  let c = new Correlator();
  signals.forEach((s, i) => {
    if (i === at) {
      const r = new Correlator();
      r.restore(JSON.parse(JSON.stringify(c.capture())));
      c = r;
    }
    c.observe(s);
  });
  return views(c);
}

test('a burst is the same straight through and restored from a saved state midway', () => {
  const signals: CorrelationSignal[] = [];
  for (let a = 0; a < 30; a++) signals.push(stray(`t-${a}`, 600 + a * 4));
  const run = (at?: number) => replay(signals, at);
  const straight = run();
  assert.equal(straight.length, 1);
  for (const at of [5, 12, 20]) assert.deepEqual(run(at), straight, `restored at ${at}`);
});

/** Ordinary strays every five hours from `fromH` to `toH`, then forty accounts tried from `burstAtH`. */
function ordinaryThenBurst(
  c: Correlator,
  fromH: number,
  toH: number,
  burstAtH: number,
  tag: string,
) {
  for (let h = fromH; h < toH; h += 5) c.observe(stray(`ord-${tag}-${h}`, h * 60 + 17));
  for (let a = 0; a < 40; a++) c.observe(stray(`${tag}-${a}`, burstAtH * 60 + a * 3));
}

test('a second wave while the burst’s campaign is dormant wakes it; once it is closed, a new burst is a campaign of its own', () => {
  const DAY_H = 24;
  for (const [gapDays, campaigns] of [
    [20, 1],
    [35, 2],
  ] as const) {
    const c = new Correlator();
    ordinaryThenBurst(c, 0, 7 * DAY_H, 7 * DAY_H + 10, 'w1');
    const second = 7 * DAY_H + 10 + gapDays * DAY_H;
    ordinaryThenBurst(c, 7 * DAY_H + 12, second - 1, second, 'w2');
    const found = views(c);
    assert.equal(found.length, campaigns, `${gapDays} days apart`);
    if (campaigns === 1) {
      const waves = found[0]!.targets.filter((t) => /^w[12]-/.test(t.account_id));
      assert.equal(waves.length, 80);
      assert.equal(found[0]!.status, 'active');
    }
  }
});

test('in hindsight, a stranger the burst stopped whose place the account has made its own since is no hit, and not the campaign’s infrastructure', () => {
  const c = new Correlator();
  const start = weekThenBurst(c);
  const stopped = { outcome: 'success' as const, attempt: false, verdict: 'deny' as const };
  // A traveller stopped on arrival; a household's second account on the family computer, stopped too.
  c.observe(stray('traveller', start + 50, { ...stopped, stranger: true, ip: '90.56.95.43' }));
  c.observe(stray('partner', start + 52, { ...stopped, stranger: true, deviceId: 'family-mac' }));
  // The other account of the household signs in on that computer, allowed.
  c.observe(
    stray('owner', start + 58, {
      outcome: 'success',
      attempt: false,
      verdict: 'allow',
      stranger: true,
      detectors: [],
      deviceId: 'family-mac',
    }),
  );
  c.observe(stray('hit', start + 60, { ...stopped, stranger: true }));
  const compromised = (owned?: (m: Member) => boolean) => {
    const { groups } = layoutCampaigns(c.campaigns('default'), []);
    const [g, ...rest] = [...groups.values()];
    assert.equal(rest.length, 0);
    const view = campaignView(g!, {
      now: c.now('default')!,
      techniqueName: () => undefined,
      ...(owned ? { owned } : {}),
    });
    return view.targets.filter((t) => t.compromised).map((t) => t.account_id);
  };
  assert.deepEqual(compromised(), ['traveller', 'partner', 'owner', 'hit']);
  // Days later the traveller's /24 and the household's computer are trusted.
  const theirs = (m: Member) => m.ip === '90.56.95.43' || m.deviceId === 'family-mac';
  assert.deepEqual(compromised(theirs), ['hit']);
});

test('another operation’s server that guessed a password in a burst’s hour carries neither its later steps nor its campaign into the burst', () => {
  const signals: CorrelationSignal[] = [];
  const start = weekThenBurst({ observe: (s: CorrelationSignal) => signals.push(s) });
  // In the burst's hour, a server of a recovery operation guesses one password: a stray, joined by its hour.
  const server = { ip: '185.100.87.232', deviceId: 'op-laptop', sessionId: 'op-1' };
  signals.push(stray('x-0', start + 20, server));
  // The next day the same server asks for resets and fails recovery answers on other accounts.
  const recovery = (account: string, at: number, o: Partial<CorrelationSignal>) => [
    stray(account, at, { type: 'password.reset.requested', outcome: 'success', ...o }),
    stray(account, at + 1, { type: 'recovery.challenge', detectors: ['recovery-probe'], ...o }),
  ];
  for (let a = 1; a <= 3; a++)
    signals.push(...recovery(`x-${a}`, start + 1440 + a * 30, { ip: server.ip }));
  // Its own campaign works from rented servers; then the laptop of the first guess shows up there.
  for (let a = 10; a < 18; a++)
    signals.push(
      ...recovery(`x-${a}`, start + 2000 + a * 30, {
        ip: '85.17.161.164',
        hosting: true,
        deviceId: `op-${a}`,
      }),
    );
  signals.push(
    ...recovery('x-20', start + 3000, {
      ip: '85.17.161.164',
      hosting: true,
      deviceId: 'op-laptop',
    }),
  );
  const run = (at?: number) => replay(signals, at);
  const found = run();
  const burst = found.find((v) => v.targets.some((t) => t.account_id === 't-0'))!;
  assert.deepEqual(
    burst.targets.filter((t) => !t.account_id.startsWith('t-')).map((t) => t.account_id),
    ['x-0'],
    'the burst holds the server’s one guess, nothing it did later',
  );
  const operation = found.find((v) => v.targets.some((t) => t.account_id === 'x-10'));
  assert.ok(operation && operation !== burst, 'the recovery operation is a campaign of its own');
  assert.ok(operation.targets.some((t) => t.account_id === 'x-20'));
  // A restore just after the guess (or after the resets) keeps the link loose.
  const guessAt = signals.findIndex((s) => s.accountId === 'x-0');
  for (const at of [guessAt + 1, guessAt + 4])
    assert.deepEqual(run(at), found, `restored at ${at}`);
});
